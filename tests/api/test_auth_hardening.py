"""Issue 13, rows 1, 4, 7 and 9 over HTTP: login bursts, tokens outdated by a password change,
suspended logins, strict JSON bodies and byte-identical idempotent replays (docs/security.md)."""

from __future__ import annotations

import json
import threading
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor

import jwt
import pytest
import requests

from conduit.settings import get_settings
from conduit.store import keys
from tests.api.helpers import assert_error, table
from tests.conftest import unique
from tools.grant_role import grant

INVALID_CREDENTIALS = {"credentials": ["invalid"]}
INVALID_TOKEN = {"token": ["is invalid"]}
RATE_LIMITED = {"rate": ["limit reached, retry later"]}


def login(client, email: str, password: str) -> requests.Response:
    return client.post("/users/login", json={"user": {"email": email, "password": password}})


def fill_login_counter(runtime, email: str, room: int) -> None:
    """Leave `room` attempts in the per-email login counter of this window and the next one (the
    burst may straddle a minute), whatever LOGIN_FAILURES_PER_MINUTE the API runs with."""
    limit = get_settings().login_failures_per_minute
    window = int(time.time() // 60) * 60
    for start in (window, window + 60):
        key = keys.quota("login-email", email.lower(), start)
        table(runtime).put_item(Item={**key, "hits": limit - room, "expiresAt": start + 120})


# --- row 1: login attempts are reserved before the password is checked -----------------------------------


def test_a_login_burst_gets_no_more_password_checks_than_the_limit(client, make_user, runtime):
    user = make_user("burst")
    fill_login_counter(runtime, user["email"], room=5)
    passwords = ["wrong-password"] * 29 + [user["password"]]
    barrier = threading.Barrier(len(passwords))

    def attempt(password: str) -> requests.Response:
        with requests.Session() as session:
            barrier.wait(timeout=30)
            body = {"user": {"email": user["email"], "password": password}}
            return session.post(f"{client.base}/api/users/login", json=body, timeout=30)

    first_window = int(time.time() // 60)
    with ThreadPoolExecutor(max_workers=len(passwords)) as pool:
        responses = list(pool.map(attempt, passwords))
    windows = int(time.time() // 60) - first_window + 1  # 2 when the burst straddled a minute (fixed windows)

    statuses = Counter(response.status_code for response in responses)
    # Before: the counters were read first and counted after the check, so all 30 were checked
    # (29 x 401 + 1 x 200). Now each attempt reserves its slot first: at most 5 wrong passwords are
    # checked per window, whatever the interleaving (a right password gives its slot back).
    assert windows <= 2, "the burst outlasted the two windows fill_login_counter prepared"
    assert statuses[401] <= 5 * windows, statuses
    assert set(statuses) <= {401, 429, 200}, statuses
    assert statuses[429] >= 29 - 5 * windows, statuses
    for response in responses:
        if response.status_code == 429:
            assert_error(response, 429, RATE_LIMITED)
            assert 1 <= int(response.headers["retry-after"]) <= 60
        elif response.status_code == 401:
            assert_error(response, 401, INVALID_CREDENTIALS)


def test_a_right_password_gives_its_login_attempt_back(client, make_user, runtime):
    user = make_user("refund")
    fill_login_counter(runtime, user["email"], room=1)
    for _ in range(3):  # each success reserved the last slot and gave it back
        assert login(client, user["email"], user["password"]).status_code == 200
    assert_error(login(client, user["email"], "wrong-password"), 401, INVALID_CREDENTIALS)
    blocked = login(client, user["email"], user["password"])  # the failure keeps its slot
    assert_error(blocked, 429, RATE_LIMITED)


# --- row 4: a password change outdates the tokens issued before it --------------------------------------


def change_password(client, token: str, password: str) -> requests.Response:
    return client.put("/user", token=token, json={"user": {"password": password}})


def test_a_password_change_rejects_older_tokens_and_answers_a_fresh_one(client, make_user):
    user = make_user("pwchg")
    other_device = login(client, user["email"], user["password"]).json()["user"]["token"]
    assert client.get("/user", token=other_device).status_code == 200

    changed = change_password(client, user["token"], "a-new-password-1")
    assert changed.status_code == 200
    fresh = changed.json()["user"]["token"]
    assert fresh != user["token"]  # before: the same token came back, and every old one kept working

    assert_error(client.get("/user", token=other_device), 401, INVALID_TOKEN)
    assert_error(client.put("/user", token=other_device, json={"user": {"bio": "x"}}), 401, INVALID_TOKEN)
    assert client.get("/user", token=fresh).json()["user"]["username"] == user["username"]
    assert_error(login(client, user["email"], user["password"]), 401, INVALID_CREDENTIALS)
    relogged = login(client, user["email"], "a-new-password-1")
    assert relogged.status_code == 200
    assert client.get("/user", token=relogged.json()["user"]["token"]).status_code == 200


def test_the_token_that_changed_the_password_is_honoured_for_a_grace_period(client, make_user):
    # The RealWorld spec suite changes the password twice with the same token (errors-auth 19, 20).
    user = make_user("grace")
    first = change_password(client, user["token"], "first-new-password")
    assert first.status_code == 200
    second = change_password(client, user["token"], "second-new-password")
    assert second.status_code == 200
    # The fresh token of the first change predates the second change and did not make it.
    assert_error(client.get("/user", token=first.json()["user"]["token"]), 401, INVALID_TOKEN)
    assert client.get("/user", token=second.json()["user"]["token"]).status_code == 200
    assert login(client, user["email"], "second-new-password").status_code == 200


def test_other_changes_keep_the_token(client, make_user):
    user = make_user("keep")
    changed = client.put("/user", token=user["token"], json={"user": {"bio": "still me"}})
    assert changed.json()["user"]["token"] == user["token"]
    assert client.get("/user", token=user["token"]).status_code == 200


def test_graphql_password_change_answers_a_fresh_token_and_rejects_older_ones(client, make_user):
    user = make_user("gqlpw")
    other_device = login(client, user["email"], user["password"]).json()["user"]["token"]
    mutation = 'mutation { updateUser(user: {password: "graphql-new-pass"}) { token } }'
    answer = client.post("/graphql", token=user["token"], json={"query": mutation})
    assert answer.status_code == 200, answer.text
    fresh = answer.json()["data"]["updateUser"]["token"]
    assert fresh != user["token"]
    assert_error(client.get("/user", token=other_device), 401, INVALID_TOKEN)
    assert client.get("/user", token=fresh).status_code == 200


def test_tokens_name_their_signing_key_and_credentials_version(client, make_user):
    user = make_user("kid")
    assert jwt.get_unverified_header(user["token"])["kid"] == "default"  # JWT_SECRET: a one-key keyset
    claims = jwt.decode(user["token"], options={"verify_signature": False})
    assert claims["cv"] == 0
    fresh = change_password(client, user["token"], "another-password").json()["user"]["token"]
    assert jwt.decode(fresh, options={"verify_signature": False})["cv"] == 1


# --- row 7: a suspended account logs in as a wrong password does ----------------------------------------


def test_a_suspended_account_answers_login_exactly_as_a_wrong_password(client, make_user):
    user, admin = make_user("susp"), make_user("susa")
    assert grant(admin["username"], "admin") == 0
    assert client.post(f"/admin/users/{user['username']}/suspend", token=admin["token"]).status_code == 200

    right = login(client, user["email"], user["password"])
    wrong = login(client, user["email"], "wrong-password")
    unknown = login(client, f"{unique('nobody')}@example.com", user["password"])
    for response in (right, wrong, unknown):
        assert_error(response, 401, INVALID_CREDENTIALS)  # before: the right password said "is suspended"
    assert right.content == wrong.content == unknown.content
    assert right.headers["content-type"] == wrong.headers["content-type"]


# --- row 9: strict JSON bodies, byte-identical replays ---------------------------------------------------


def article_body() -> dict:
    return {"article": {"title": unique("Strict "), "description": "d", "body": "b"}}


@pytest.mark.parametrize("content_type", ["image/json", "application/jsonx", "text/json", "application/x-json"])
def test_only_application_json_is_read_as_json(client, make_user, content_type):
    author = make_user("ctype")
    response = client.post(
        "/articles", token=author["token"], data=json.dumps(article_body()), headers={"Content-Type": content_type}
    )
    assert_error(response, 415, {"body": ["must be JSON (Content-Type: application/json)"]})
    assert client.get("/articles", params={"author": author["username"]}).json()["articlesCount"] == 0


def test_application_json_with_a_charset_is_json(client, make_user):
    author = make_user("cset")
    headers = {"Content-Type": "application/json; charset=UTF-8"}
    response = client.post("/articles", token=author["token"], data=json.dumps(article_body()), headers=headers)
    assert response.status_code == 201, response.text


def test_duplicate_json_keys_are_refused(client, make_user):
    author = make_user("dupk")
    title = json.dumps(unique("Dup "))
    raw = '{"article": {"title": ' + title + ', "description": "d", "body": "b", "title": "Other"}}'
    response = client.post("/articles", token=author["token"], data=raw, headers={"Content-Type": "application/json"})
    assert_error(response, 422, {"body": ["has a duplicate key"]})
    assert client.get("/articles", params={"author": author["username"]}).json()["articlesCount"] == 0
    email, password = json.dumps(author["email"]), json.dumps(author["password"])
    smuggled = '{"user": {"email": ' + email + ', "password": "wrong-password", "password": ' + password + "}}"
    answer = client.post("/users/login", data=smuggled, headers={"Content-Type": "application/json"})
    assert_error(answer, 422, {"body": ["has a duplicate key"]})


def test_an_idempotent_replay_answers_the_first_answers_bytes(client, make_user):
    author = make_user("bytes")
    body, headers = article_body(), {"Idempotency-Key": unique("replay-")}
    first = client.post("/articles", token=author["token"], json=body, headers=headers)
    again = client.post("/articles", token=author["token"], json=body, headers=headers)
    assert first.status_code == again.status_code == 201
    assert again.content == first.content  # before: the replay's keys came back sorted
    assert again.headers["content-type"] == first.headers["content-type"]
