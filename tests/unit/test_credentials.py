"""Which tokens a password change outdates (conduit.security.credentials), and the guard that applies
it on the per-request auth-state read (conduit.security.guard.authenticate)."""

from __future__ import annotations

from typing import Any

import pytest

from conduit.errors import TokenInvalid
from conduit.security import credentials, guard
from conduit.security.tokens import issue_token

NOW = 1_800_000_000


def test_a_token_of_the_current_version_stands():
    assert credentials.is_current({}, 0, "t", grace_seconds=60, now=NOW)
    assert credentials.is_current({"credentialsVersion": 3}, 3, "t", grace_seconds=60, now=NOW)


def test_a_password_change_outdates_other_tokens_at_once():
    user = credentials.changed({}, "the-changer", now=NOW)
    digest = credentials.token_digest("the-changer")
    assert user == {"credentialsVersion": 1, "credentialsChangedBy": digest, "credentialsChangedAt": NOW}
    assert not credentials.is_current(user, 0, "another-token", grace_seconds=60, now=NOW)


def test_the_changing_token_stands_for_the_grace_period_only():
    user = credentials.changed({"credentialsVersion": 4}, "the-changer", now=NOW)
    assert user["credentialsVersion"] == 5
    assert credentials.is_current(user, 4, "the-changer", grace_seconds=60, now=NOW + 59)
    assert not credentials.is_current(user, 4, "the-changer", grace_seconds=60, now=NOW + 60)
    assert not credentials.is_current(user, 4, "the-changer", grace_seconds=0, now=NOW)


def test_a_token_from_a_future_version_is_refused():
    assert not credentials.is_current({"credentialsVersion": 1}, 2, "t", grace_seconds=60, now=NOW)


def test_the_digest_is_not_the_token():
    token = issue_token("u1")
    assert token not in credentials.token_digest(token)
    assert len(credentials.token_digest(token)) == 32


@pytest.mark.real_auth_state
def test_the_guard_refuses_a_token_older_than_the_password(monkeypatch):
    state: dict[str, Any] = {"id": "u1", "role": "user", **credentials.changed({}, "someone-else", now=0)}
    monkeypatch.setattr("conduit.store.users.auth_state", lambda uid: state)
    with pytest.raises(TokenInvalid) as refused:
        guard.authenticate(issue_token("u1", credentials_version=0))
    assert refused.value.errors == {"token": ["is invalid"]}
    assert guard.authenticate(issue_token("u1", credentials_version=1)) == ("u1", "user")


@pytest.mark.real_auth_state
def test_a_token_newer_than_the_cached_user_reads_the_user_again(monkeypatch, set_env):
    # Another container changed the password and issued a token of version 1; this container still
    # caches version 0 (AUTH_CACHE_SECONDS): the newer token must not be refused for that.
    set_env(AUTH_CACHE_SECONDS="300")
    stored: dict[str, Any] = {"id": "u1", "role": "user"}
    reads: list[str] = []

    def auth_state(uid: str) -> dict[str, Any]:
        reads.append(uid)
        return dict(stored)

    monkeypatch.setattr("conduit.store.users.auth_state", auth_state)
    guard.forget("u1")
    old = issue_token("u1", credentials_version=0)
    assert guard.authenticate(old)[0] == "u1"
    stored.update(credentials.changed(stored, "elsewhere"))
    assert guard.authenticate(issue_token("u1", credentials_version=1))[0] == "u1"
    assert len(reads) == 2
    with pytest.raises(TokenInvalid):
        guard.authenticate(old)  # the cache now holds version 1
    guard.forget("u1")
