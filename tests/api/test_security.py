"""Security: roles and moderation, suspension, rate limits, idempotent creates, hardening headers,
and the OWASP API Top 10 cases listed in docs/security.md."""

from __future__ import annotations

import time
import uuid
from typing import Any

import jwt
import pytest

from conduit.settings import get_settings
from tests.api.helpers import user_id, within_one_window
from tools.grant_role import grant


def _name(prefix: str) -> str:
    return f"{prefix}{uuid.uuid4().hex[:10]}"


@pytest.fixture
def admin(make_user):
    user = make_user("adm")
    assert grant(user["username"], "admin") == 0
    return user


@pytest.fixture
def limits(runtime):
    """Lower a rate limit for one test: limits(WRITE_QUOTA_PER_MINUTE=3) (new function environments)."""
    changed: dict[str, str | None] = {}

    def apply(**env: int) -> None:
        for name, _value in env.items():
            changed.setdefault(name, runtime.overrides.get(name))
        runtime.configure(**{name: str(value) for name, value in env.items()})

    yield apply
    if changed:
        runtime.configure(**changed)


# --- roles and moderation (API1 BOLA, API5 BFLA) ----------------------------------------------


@pytest.mark.parametrize(
    ("method", "path", "body"),
    [
        ("GET", "/admin/users", None),
        ("PUT", "/admin/users/{name}/role", {"role": "admin"}),
        ("POST", "/admin/users/{name}/suspend", None),
        ("DELETE", "/admin/users/{name}/suspend", None),
    ],
)
def test_admin_routes_refuse_plain_users_and_moderators(client, make_user, method, path, body):
    target, plain, moderator = make_user("tgt"), make_user("pln"), make_user("mod")
    grant(moderator["username"], "moderator")
    for caller in (plain, moderator):
        response = client.request(method, path.format(name=target["username"]), token=caller["token"], json=body)
        assert response.status_code == 403
        assert response.json() == {"errors": {"admin": ["forbidden"]}}
    anonymous = client.request(method, path.format(name=target["username"]), json=body)
    assert anonymous.status_code == 401


def test_admin_lists_users_with_roles_and_no_secrets(client, admin, make_user):
    newest = make_user("lst")
    response = client.get("/admin/users?limit=5", token=admin["token"])
    assert response.status_code == 200
    users = response.json()["users"]
    assert users[0]["username"] == newest["username"]  # newest first
    assert users[0] == {
        "username": newest["username"],
        "email": newest["email"],
        "role": "user",
        "suspended": False,
        "createdAt": users[0]["createdAt"],
    }
    assert "passwordHash" not in response.text and "password" not in response.text
    assert len(users) <= 5


def test_admin_makes_a_moderator_who_may_delete_others_content(client, admin, make_user, make_article):
    author, moderator, bystander = make_user("aut"), make_user("mod"), make_user("bys")
    article = make_article(author["token"])
    comment = client.post(
        f"/articles/{article['slug']}/comments", token=author["token"], json={"comment": {"body": "mine"}}
    ).json()["comment"]

    assert client.delete(f"/articles/{article['slug']}", token=bystander["token"]).status_code == 403
    changed = client.put(f"/admin/users/{moderator['username']}/role", token=admin["token"], json={"role": "moderator"})
    assert changed.status_code == 200
    assert changed.json()["user"]["role"] == "moderator"

    removed = client.delete(f"/articles/{article['slug']}/comments/{comment['id']}", token=moderator["token"])
    assert removed.status_code == 204
    assert client.delete(f"/articles/{article['slug']}", token=moderator["token"]).status_code == 204
    assert client.get(f"/articles/{article['slug']}").status_code == 404


def test_role_changes_are_validated(client, admin, make_user):
    target = make_user("val")
    bad = client.put(f"/admin/users/{target['username']}/role", token=admin["token"], json={"role": "root"})
    assert bad.status_code == 422
    assert list(bad.json()["errors"]) == ["role"]
    self_demotion = client.put(f"/admin/users/{admin['username']}/role", token=admin["token"], json={"role": "user"})
    assert self_demotion.status_code == 422
    unknown = client.put("/admin/users/nobody-here-xyz/role", token=admin["token"], json={"role": "user"})
    assert unknown.status_code == 404


def test_suspension_blocks_login_and_existing_tokens_until_lifted(client, admin, make_user):
    user = make_user("sus")
    assert client.post(f"/admin/users/{user['username']}/suspend", token=admin["token"]).json()["user"]["suspended"]

    refused = client.get("/user", token=user["token"])
    assert refused.status_code == 401
    assert refused.json() == {"errors": {"user": ["is suspended"]}}
    write = client.post(
        "/articles", token=user["token"], json={"article": {"title": "t", "description": "d", "body": "b"}}
    )
    assert write.status_code == 401
    login = client.post("/users/login", json={"user": {"email": user["email"], "password": user["password"]}})
    assert login.status_code == 401
    assert login.json() == {"errors": {"credentials": ["invalid"]}}  # as a wrong password: nothing leaks

    lifted = client.delete(f"/admin/users/{user['username']}/suspend", token=admin["token"])
    assert lifted.json()["user"]["suspended"] is False
    assert client.get("/user", token=user["token"]).status_code == 200


def test_token_of_a_deleted_user_is_rejected(client, make_user, runtime):
    import boto3

    user = make_user("del")
    me = client.get("/user", token=user["token"])
    assert me.status_code == 200
    uid = jwt.decode(user["token"], options={"verify_signature": False})["sub"]
    ddb = boto3.client("dynamodb", endpoint_url=runtime.endpoint, region_name="us-east-1")
    ddb.delete_item(
        TableName=runtime.table_names["ConduitTable"], Key={"PK": {"S": f"USER#{uid}"}, "SK": {"S": "PROFILE"}}
    )
    gone = client.get("/user", token=user["token"])
    assert gone.status_code == 401
    assert gone.json() == {"errors": {"token": ["is invalid"]}}


# --- rate limits (API4) --------------------------------------------------------------------------


def test_write_quota_per_user_answers_429_then_resets(client, make_user, limits, monkeypatch):
    from conduit.store import quotas

    # Two pairs of users, registered before the limit is lowered (registrations count as writes): the
    # second pair is for a rerun, should the first attempt straddle two minutes.
    pairs = iter([(make_user("rl"), make_user("rl2")) for _ in range(2)])
    limits(WRITE_QUOTA_PER_MINUTE=3)
    get_settings.cache_clear()  # this process's own store calls (quotas.reserve below) read the settings again

    def fill_the_quota() -> tuple[Any, ...]:  # the quota counts per clock minute
        writer, other = next(pairs)
        follows = [client.post(f"/profiles/{other['username']}/follow", token=writer["token"]) for _ in range(4)]
        others = client.post(f"/profiles/{writer['username']}/follow", token=other["token"])
        subject = user_id(writer["token"])
        return writer, follows, others, subject, quotas.reserve("write", subject, 3).refused

    writer, follows, others, subject, full = within_one_window(fill_the_quota, window_seconds=60)
    assert [answer.status_code for answer in follows] == [200, 200, 200, 429]
    assert follows[-1].json() == {"errors": {"rate": ["limit reached, retry later"]}}
    assert 1 <= int(follows[-1].headers["retry-after"]) <= 60
    assert others.status_code == 200  # another user has their own quota
    assert client.get("/user", token=writer["token"]).status_code == 200  # reads are not limited
    assert full  # the same counter code, called here on the same table: this window is full
    # The next window starts afresh, a minute later.
    real_time = quotas.time.time
    monkeypatch.setattr(quotas.time, "time", lambda: real_time() + 60)
    assert not quotas.reserve("write", subject, 3).refused


def test_failed_logins_are_limited_per_email(client, make_user, limits):
    users = iter([make_user("bf"), make_user("bf")])  # the second for a rerun (a scenario straddling a minute)
    limits(LOGIN_FAILURES_PER_MINUTE=2)  # the per-IP limit stays out of the way (other tests fail logins too)

    def two_failures_then_the_right_password() -> tuple[list[int], Any]:  # the limit counts per clock minute
        user = next(users)
        wrong = {"user": {"email": user["email"], "password": "wrong-password"}}
        failures = [client.post("/users/login", json=wrong).status_code for _ in range(2)]
        right = {"user": {"email": user["email"], "password": user["password"]}}
        return failures, client.post("/users/login", json=right)

    failures, blocked = within_one_window(two_failures_then_the_right_password, window_seconds=60)
    assert failures == [401, 401]
    assert blocked.status_code == 429
    assert "retry-after" in blocked.headers


def test_failed_logins_are_limited_per_source_ip(client, make_user, limits):
    first, second = make_user("ip1"), make_user("ip2")

    def three_failures_then_a_right_password() -> Any:  # the limit counts per clock minute
        for _ in range(3):
            client.post("/users/login", json={"user": {"email": f"{_name('x')}@example.com", "password": "whatever1"}})
        limits(LOGIN_FAILURES_PER_IP_PER_MINUTE=3)
        # Three failures from this address in this window already: every email is refused from here.
        right = {"user": {"email": second["email"], "password": second["password"]}}
        return client.post("/users/login", json=right)

    blocked = within_one_window(three_failures_then_a_right_password, window_seconds=60)
    assert blocked.status_code == 429
    assert first["email"] != second["email"]


# --- idempotent creates --------------------------------------------------------------------------


def test_idempotent_article_create_replays_the_first_answer(client, make_user):
    author = make_user("idem")
    body = {"article": {"title": _name("Idem "), "description": "d", "body": "b"}}
    headers = {"Idempotency-Key": "create-1"}
    first = client.post("/articles", token=author["token"], json=body, headers=headers)
    again = client.post("/articles", token=author["token"], json=body, headers=headers)
    assert first.status_code == again.status_code == 201
    assert first.json() == again.json()
    listed = client.get(f"/articles?author={author['username']}").json()
    assert listed["articlesCount"] == 1

    other_body = {"article": {"title": "Something else", "description": "d", "body": "b"}}
    reused = client.post("/articles", token=author["token"], json=other_body, headers=headers)
    assert reused.status_code == 422
    assert list(reused.json()["errors"]) == ["Idempotency-Key"]
    assert client.get(f"/articles?author={author['username']}").json()["articlesCount"] == 1


def test_idempotency_keys_are_scoped_to_the_caller(client, make_user):
    alice, bob = make_user("ida"), make_user("idb")
    body = {"article": {"title": _name("Scoped "), "description": "d", "body": "b"}}
    a = client.post("/articles", token=alice["token"], json=body, headers={"Idempotency-Key": "same"})
    b = client.post("/articles", token=bob["token"], json=body, headers={"Idempotency-Key": "same"})
    assert a.status_code == b.status_code == 201
    assert a.json()["article"]["slug"] != b.json()["article"]["slug"]


def test_idempotent_register_and_comment(client, make_user, make_article):
    name = _name("idr")
    user = {"username": name, "email": f"{name}@example.com", "password": "password123"}
    first = client.post("/users", json={"user": user}, headers={"Idempotency-Key": name})
    replay = client.post("/users", json={"user": user}, headers={"Idempotency-Key": name})
    assert first.status_code == replay.status_code == 201
    assert first.json()["user"]["username"] == replay.json()["user"]["username"] == name

    author = make_user("idc")
    article = make_article(author["token"])
    path = f"/articles/{article['slug']}/comments"
    one = client.post(path, token=author["token"], json={"comment": {"body": "hi"}}, headers={"Idempotency-Key": "c1"})
    two = client.post(path, token=author["token"], json={"comment": {"body": "hi"}}, headers={"Idempotency-Key": "c1"})
    assert one.json() == two.json()
    assert len(client.get(path).json()["comments"]) == 1


def test_failed_creates_are_not_remembered(client, make_user):
    author = make_user("idf")
    headers = {"Idempotency-Key": "retry-after-fix"}
    bad = client.post("/articles", token=author["token"], json={"article": {"title": ""}}, headers=headers)
    assert bad.status_code == 422
    fixed = {"article": {"title": _name("Fixed "), "description": "d", "body": "b"}}
    assert client.post("/articles", token=author["token"], json=fixed, headers=headers).status_code == 201


def test_malformed_idempotency_key_is_rejected(client, make_user):
    author = make_user("idm")
    body = {"article": {"title": _name("K "), "description": "d", "body": "b"}}
    response = client.post("/articles", token=author["token"], json=body, headers={"Idempotency-Key": "x" * 300})
    assert response.status_code == 422
    assert list(response.json()["errors"]) == ["Idempotency-Key"]


# --- hardening (API8) ----------------------------------------------------------------------------


def test_security_headers_on_every_response(client, make_user):
    user = make_user("hdr")
    for response in (client.get("/tags"), client.get("/user", token=user["token"]), client.get("/articles/nope-x")):
        assert response.headers["x-content-type-options"] == "nosniff"
        assert response.headers["strict-transport-security"].startswith("max-age=")
        assert response.headers["x-frame-options"] == "DENY"
        assert "default-src 'none'" in response.headers["content-security-policy"]
    assert client.get("/user", token=user["token"]).headers["cache-control"] == "no-store"
    assert client.get("/articles/nope-x").headers["cache-control"] == "no-store"


# --- BOPLA (API3), broken auth (API2), injection-looking input ------------------------------------


def test_clients_cannot_set_server_owned_properties(client, make_user, admin):
    name = _name("bop")
    registered = client.post(
        "/users",
        json={"user": {"username": name, "email": f"{name}@example.com", "password": "password123", "role": "admin"}},
    )
    assert registered.status_code == 201
    token = registered.json()["user"]["token"]
    assert client.get("/admin/users", token=token).status_code == 403
    listed = client.get("/admin/users?limit=3", token=admin["token"]).json()["users"]
    assert {u["username"]: u["role"] for u in listed}.get(name) in (None, "user")

    updated = client.put("/user", token=token, json={"user": {"bio": "hi", "role": "admin", "suspended": False}})
    assert updated.status_code == 200
    assert client.get("/admin/users", token=token).status_code == 403

    article = client.post(
        "/articles",
        token=token,
        json={
            "article": {
                "title": _name("Bopla "),
                "description": "d",
                "body": "b",
                "favoritesCount": 999,
                "favorited": True,
                "slug": "chosen-slug",
                "author": {"username": "someone-else"},
                "createdAt": "1999-01-01T00:00:00.000Z",
            }
        },
    ).json()["article"]
    assert article["favoritesCount"] == 0
    assert article["favorited"] is False
    assert article["slug"] != "chosen-slug"
    assert article["author"]["username"] == name
    assert article["createdAt"] > "2020"


@pytest.mark.parametrize("algorithm", ["none", "HS512"])
def test_tokens_with_another_algorithm_are_rejected(client, make_user, algorithm):
    user = make_user("alg")
    claims = jwt.decode(user["token"], options={"verify_signature": False})
    key = None if algorithm == "none" else get_settings().jwt_secret
    forged = jwt.encode(claims, key, algorithm=algorithm)
    response = client.get("/user", token=forged)
    assert response.status_code == 401
    assert response.json() == {"errors": {"token": ["is invalid"]}}


def test_expired_and_foreign_tokens_are_rejected(client, make_user):
    user = make_user("exp")
    claims = jwt.decode(user["token"], options={"verify_signature": False})
    expired = jwt.encode({**claims, "exp": int(time.time()) - 3600}, get_settings().jwt_secret, algorithm="HS256")
    foreign = jwt.encode(claims, "another-secret-that-is-long-enough-32b", algorithm="HS256")
    for token in (expired, foreign, user["token"][:-4] + "abcd"):
        assert client.get("/user", token=token).status_code == 401


def test_injection_looking_input_is_stored_and_returned_verbatim(client, make_user):
    author = make_user("inj")
    hostile = {
        "title": "<script>alert(1)</script> " + _name(""),
        "description": "'; DROP TABLE articles; --",
        "body": '{"$ne": null} ${jndi:ldap://x} {{7*7}} \u202e',
        "tagList": ["<b>", "' OR 1=1 --"],
    }
    created = client.post("/articles", token=author["token"], json={"article": hostile}).json()["article"]
    fetched = client.get(f"/articles/{created['slug']}").json()["article"]
    for field in ("title", "description", "body"):
        assert fetched[field] == hostile[field]
    assert fetched["tagList"] == sorted(hostile["tagList"])
    assert "<" not in created["slug"] and "'" not in created["slug"]


def test_an_idempotency_key_reused_on_another_article_is_a_mismatch(client, make_user, make_article):
    author = make_user("idp")
    first, second = make_article(author["token"]), make_article(author["token"])
    body = {"comment": {"body": "same text"}}
    headers = {"Idempotency-Key": "comment-key"}
    made = client.post(f"/articles/{first['slug']}/comments", token=author["token"], json=body, headers=headers)
    assert made.status_code == 201
    other = client.post(f"/articles/{second['slug']}/comments", token=author["token"], json=body, headers=headers)
    assert other.status_code == 422
    assert list(other.json()["errors"]) == ["Idempotency-Key"]
    assert client.get(f"/articles/{second['slug']}/comments").json()["comments"] == []
