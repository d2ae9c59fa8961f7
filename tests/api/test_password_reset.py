"""Password reset by email (issue 16): request -> queued email -> SES (moto) -> confirm -> login.

The local runtime runs the email queue's consumer (functions/email_sender) like Lambda's SQS event
source mapping; `runtime.drain_queues()` delivers what is queued now, `runtime.aws.sent_emails()` is
SES's outbox (localapi/queues.py).
"""

from __future__ import annotations

import threading
import time
from typing import Any
from urllib.parse import parse_qs, urlsplit

from tests.api.helpers import assert_error, within_one_window

ACCEPTED = {"message": "If the email is registered, a reset link is on its way"}
INVALID = {"token": ["is invalid or expired"]}


def request_reset(client, email: str):
    return client.post("/users/password-reset", json={"user": {"email": email}})


def confirm(client, token: str, password: str):
    return client.post("/users/password-reset/confirm", json={"user": {"token": token, "password": password}})


def login(client, email: str, password: str):
    return client.post("/users/login", json={"user": {"email": email, "password": password}})


def emails_to(runtime, address: str) -> list[dict]:
    runtime.drain_queues()
    sent = runtime.aws.sent_emails()
    return [email for email in sent if email["to"] == [address] and email["template"].endswith("password-reset")]


def reset_token(email: dict) -> str:
    link = email["data"]["link"]
    assert link.startswith("http://localhost:4100/reset-password?token="), link
    return parse_qs(urlsplit(link).query)["token"][0]


def test_forgotten_password_email_reset_then_login_with_the_new_one(client, runtime, make_user):
    user = make_user("reset")
    response = request_reset(client, user["email"])
    assert response.status_code == 202, response.text
    assert response.json() == ACCEPTED

    (email,) = emails_to(runtime, user["email"])
    assert email["template"] == "conduit-dev-password-reset"
    assert email["data"]["username"] == user["username"]
    token = reset_token(email)

    reset = confirm(client, token, "a-brand-new-password")
    assert reset.status_code == 200, reset.text
    body = reset.json()["user"]
    assert (body["username"], body["email"]) == (user["username"], user["email"])
    assert client.get("/user", token=body["token"]).status_code == 200  # answers like login

    assert login(client, user["email"], "a-brand-new-password").status_code == 200
    assert login(client, user["email"], user["password"]).status_code == 401
    assert_error(client.get("/user", token=user["token"]), 401, {"token": ["is invalid"]})  # old tokens rejected
    assert_error(confirm(client, token, "yet-another-password"), 422, INVALID)  # single use


def test_unknown_emails_get_the_same_answer_and_no_email(client, runtime):
    address = f"nobody-{time.time_ns()}@example.com"
    response = request_reset(client, address)
    assert response.status_code == 202
    assert response.json() == ACCEPTED
    assert emails_to(runtime, address) == []


def test_a_reset_revokes_every_earlier_reset_token(client, runtime, make_user):
    user = make_user("reset")
    assert request_reset(client, user["email"]).status_code == 202
    assert request_reset(client, user["email"]).status_code == 202
    first, second = (reset_token(email) for email in emails_to(runtime, user["email"]))
    assert first != second
    assert confirm(client, second, "password-number-two").status_code == 200
    assert_error(confirm(client, first, "password-number-one"), 422, INVALID)
    assert login(client, user["email"], "password-number-two").status_code == 200


def test_a_password_change_revokes_pending_reset_tokens(client, runtime, make_user):
    user = make_user("reset")
    assert request_reset(client, user["email"]).status_code == 202
    (email,) = emails_to(runtime, user["email"])
    changed = client.put("/user", json={"user": {"password": "changed-meanwhile"}}, token=user["token"])
    assert changed.status_code == 200
    assert_error(confirm(client, reset_token(email), "too-late-password"), 422, INVALID)


def test_expired_and_made_up_tokens_are_refused_and_change_nothing(client, runtime, make_user):
    user = make_user("reset")
    with runtime.configured(PASSWORD_RESET_TTL_SECONDS=1):
        assert request_reset(client, user["email"]).status_code == 202
        (email,) = emails_to(runtime, user["email"])
    time.sleep(1.5)
    assert_error(confirm(client, reset_token(email), "expired-password"), 422, INVALID)
    assert_error(confirm(client, "made-up-token", "made-up-password"), 422, INVALID)
    assert login(client, user["email"], user["password"]).status_code == 200
    assert client.get("/user", token=user["token"]).status_code == 200


def test_bad_bodies_are_422(client):
    bad_email = client.post("/users/password-reset", json={"user": {"email": "not-an-email"}})
    assert_error(bad_email, 422, {"email": ["is invalid"]})
    assert_error(client.post("/users/password-reset", json={"user": {}}), 422, {"email": ["can't be blank"]})
    assert_error(
        client.post("/users/password-reset/confirm", json={"user": {"password": "long-enough-1"}}),
        422,
        {"token": ["can't be blank"]},
    )
    short = client.post("/users/password-reset/confirm", json={"user": {"token": "t", "password": "short"}})
    assert_error(short, 422, {"password": ["is too short (minimum is 8 characters)"]})


def test_resets_are_limited_per_email_silently_and_per_ip_with_429(client, runtime, make_user):
    def three_resets() -> tuple[dict[str, Any], list[int]]:  # the limits count per clock hour
        user = make_user("reset")
        return user, [request_reset(client, user["email"]).status_code for _ in range(3)]

    with runtime.configured(PASSWORD_RESETS_PER_EMAIL_PER_HOUR=2):
        user, statuses = within_one_window(three_resets)
    assert statuses == [202, 202, 202]  # no difference to tell
    assert len(emails_to(runtime, user["email"])) == 2  # but no third email
    with runtime.configured(PASSWORD_RESETS_PER_IP_PER_HOUR=1):
        answers = [request_reset(client, f"ip-limit-{i}@example.com") for i in range(2)]
    assert answers[-1].status_code == 429
    assert int(answers[-1].headers["retry-after"]) > 0


def test_concurrent_confirms_with_one_token_reset_once(client, runtime, make_user):
    user = make_user("reset")
    assert request_reset(client, user["email"]).status_code == 202
    (email,) = emails_to(runtime, user["email"])
    token = reset_token(email)
    statuses: list[int] = []

    def attempt(n: int) -> None:
        statuses.append(confirm(client, token, f"concurrent-password-{n}").status_code)

    threads = [threading.Thread(target=attempt, args=(n,)) for n in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(statuses)[0] == 200 and statuses.count(200) == 1, statuses
    assert set(statuses) <= {200, 422, 503}, statuses


def test_an_email_that_cannot_be_sent_is_retried_then_dead_lettered(client, runtime, make_user):
    user = make_user("reset")
    sqs = runtime.aws.client("sqs")
    dead_letters = runtime.aws.queue_urls["EmailDeadLetterQueue"]
    runtime.drain_queues()  # the registration's verification email goes out first
    sqs.purge_queue(QueueUrl=dead_letters)
    with runtime.configured(SENDER_EMAIL="unverified-sender@example.com"):  # SES refuses it every time
        assert request_reset(client, user["email"]).status_code == 202
        assert emails_to(runtime, user["email"]) == []
    received = sqs.receive_message(QueueUrl=dead_letters, AttributeNames=["All"], MaxNumberOfMessages=10)
    (message,) = received["Messages"]
    assert user["email"] in message["Body"]
    assert int(message["Attributes"]["ApproximateReceiveCount"]) >= 5  # the redrive policy's maxReceiveCount
