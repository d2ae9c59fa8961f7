"""Email verification (issue 16): a link at registration and on email change, `emailVerified` on the user,
and the per-stage switch REQUIRE_VERIFIED_EMAIL (template parameter RequireVerifiedEmail) for publishing."""

from __future__ import annotations

from typing import Any
from urllib.parse import parse_qs, urlsplit

from tests.api.helpers import assert_error, within_one_window
from tests.conftest import unique

INVALID = {"token": ["is invalid or expired"]}
UNVERIFIED = {"email": ["must be verified before publishing"]}
ARTICLE = {"article": {"title": "Verified words", "description": "d", "body": "b", "tagList": []}}


def verification_emails(runtime, address: str) -> list[dict]:
    runtime.drain_queues()
    return [e for e in runtime.aws.sent_emails() if e["to"] == [address] and e["template"].endswith("verify-email")]


def token_of(email: dict) -> str:
    link = email["data"]["link"]
    assert link.startswith("http://localhost:4100/verify-email?token="), link
    return parse_qs(urlsplit(link).query)["token"][0]


def verify(client, token: str):
    return client.post("/users/verify-email", json={"user": {"token": token}})


def test_registration_emails_a_link_that_verifies_the_email_once(client, runtime, make_user):
    user = make_user("verify")
    assert client.get("/user", token=user["token"]).json()["user"]["emailVerified"] is False
    (email,) = verification_emails(runtime, user["email"])
    assert email["data"]["username"] == user["username"]

    response = verify(client, token_of(email))
    assert response.status_code == 200, response.text
    assert response.json() == {"message": "Email verified"}
    assert client.get("/user", token=user["token"]).json()["user"]["emailVerified"] is True
    assert_error(verify(client, token_of(email)), 422, INVALID)  # single use
    assert_error(verify(client, "made-up"), 422, INVALID)


def test_an_email_change_unverifies_and_sends_a_link_to_the_new_address(client, runtime, make_user):
    user = make_user("verify")
    (first,) = verification_emails(runtime, user["email"])
    assert verify(client, token_of(first)).status_code == 200
    new_address = f"{unique('moved')}@example.com"
    changed = client.put("/user", json={"user": {"email": new_address}}, token=user["token"])
    assert changed.status_code == 200, changed.text
    assert changed.json()["user"]["emailVerified"] is False
    (second,) = verification_emails(runtime, new_address)
    assert verify(client, token_of(second)).status_code == 200
    assert client.get("/user", token=user["token"]).json()["user"]["emailVerified"] is True


def test_a_link_for_an_address_changed_since_verifies_nothing(client, runtime, make_user):
    user = make_user("verify")
    (old,) = verification_emails(runtime, user["email"])
    moved = client.put("/user", json={"user": {"email": f"{unique('moved')}@example.com"}}, token=user["token"])
    assert moved.status_code == 200
    assert_error(verify(client, token_of(old)), 422, INVALID)
    assert client.get("/user", token=user["token"]).json()["user"]["emailVerified"] is False


def test_the_stage_switch_requires_a_verified_email_to_publish(client, runtime, make_user):
    user = make_user("verify")
    assert client.post("/articles", json=ARTICLE, token=user["token"]).status_code == 201  # default: off
    with runtime.configured(REQUIRE_VERIFIED_EMAIL="true"):
        assert_error(client.post("/articles", json=ARTICLE, token=user["token"]), 403, UNVERIFIED)
        (email,) = verification_emails(runtime, user["email"])
        assert verify(client, token_of(email)).status_code == 200
        assert client.post("/articles", json=ARTICLE, token=user["token"]).status_code == 201


def test_a_fresh_link_on_request_limited_per_hour_and_none_once_verified(client, runtime, make_user):
    def four_requests() -> tuple[dict[str, Any], list[int], int]:  # the limit counts per clock hour
        user = make_user("verify")
        first = client.post("/user/verify-email", token=user["token"]).status_code
        sent_after_first = len(verification_emails(runtime, user["email"]))
        more = [client.post("/user/verify-email", token=user["token"]).status_code for _ in range(3)]
        return user, [first, *more], sent_after_first

    user, statuses, sent_after_first = within_one_window(four_requests)
    assert sent_after_first == 2  # registration's and the first request's
    assert statuses == [202, 202, 202, 429]
    emails = verification_emails(runtime, user["email"])
    assert len(emails) == 4
    assert verify(client, token_of(emails[-1])).status_code == 200
    assert client.post("/user/verify-email").status_code == 401


def test_graphql_shows_email_verified(client, make_user):
    user = make_user("verify")
    answer = client.post("/graphql", json={"query": "{ me { username emailVerified } }"}, token=user["token"])
    assert answer.status_code == 200, answer.text
    assert answer.json()["data"]["me"] == {"username": user["username"], "emailVerified": False}
