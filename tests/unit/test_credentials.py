"""Which tokens a password change outdates (conduit.security.credentials), and the guard that applies
it on the per-request auth-state read (conduit.security.guard.authenticate)."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace

import pytest

from conduit.entities.users import CredentialsState
from conduit.errors import TokenInvalid
from conduit.ports import users as user_port
from conduit.security import credentials, guard
from conduit.security.tokens import issue_token
from tests.unit.fakes.users import FakeUsers

NOW = 1_800_000_000


def test_a_token_of_the_current_version_stands():
    assert credentials.is_current(CredentialsState(), 0, "t", grace_seconds=60, now=NOW)
    assert credentials.is_current(CredentialsState(3), 3, "t", grace_seconds=60, now=NOW)


def test_a_password_change_outdates_other_tokens_at_once():
    state = credentials.changed(CredentialsState(), "the-changer", now=NOW)
    assert state == CredentialsState(1, credentials.token_digest("the-changer"), NOW)
    assert not credentials.is_current(state, 0, "another-token", grace_seconds=60, now=NOW)


def test_the_changing_token_stands_for_the_grace_period_only():
    state = credentials.changed(CredentialsState(4), "the-changer", now=NOW)
    assert state.version == 5
    assert credentials.is_current(state, 4, "the-changer", grace_seconds=60, now=NOW + 59)
    assert not credentials.is_current(state, 4, "the-changer", grace_seconds=60, now=NOW + 60)
    assert not credentials.is_current(state, 4, "the-changer", grace_seconds=0, now=NOW)


def test_a_reset_moves_the_version_on_and_leaves_no_grace_period():
    state = credentials.reset(credentials.changed(CredentialsState(4), "the-changer", now=NOW))
    assert state == CredentialsState(6)
    assert not credentials.is_current(state, 5, "the-changer", grace_seconds=60, now=NOW)


def test_a_token_from_a_future_version_is_refused():
    assert not credentials.is_current(CredentialsState(1), 2, "t", grace_seconds=60, now=NOW)


def test_a_stored_item_without_a_version_is_at_version_0():
    assert credentials.version({}) == 0
    assert credentials.version({"credentialsVersion": 2}) == 2


@pytest.fixture
def stored() -> Iterator[FakeUsers]:
    users = FakeUsers()
    users.create("ada", "ada@example.com", "h")  # u1
    with user_port.store.replaced(users):
        yield users


def set_credentials(users: FakeUsers, state: CredentialsState) -> None:
    users.users["u1"] = replace(users.users["u1"], credentials=state)


def test_the_digest_is_not_the_token():
    token = issue_token("u1")
    assert token not in credentials.token_digest(token)
    assert len(credentials.token_digest(token)) == 32


@pytest.mark.real_auth_state
def test_the_guard_refuses_a_token_older_than_the_password(stored):
    guard.forget("u1")
    set_credentials(stored, credentials.changed(CredentialsState(), "someone-else", now=0))
    with pytest.raises(TokenInvalid) as refused:
        guard.authenticate(issue_token("u1", credentials_version=0))
    assert refused.value.errors == {"token": ["is invalid"]}
    assert guard.authenticate(issue_token("u1", credentials_version=1)) == ("u1", "user")


@pytest.mark.real_auth_state
def test_a_token_newer_than_the_cached_user_reads_the_user_again(stored, set_env):
    # Another container changed the password and issued a token of version 1; this container still
    # caches version 0 (AUTH_CACHE_SECONDS): the newer token must not be refused for that.
    set_env(AUTH_CACHE_SECONDS="300")
    guard.forget("u1")
    old = issue_token("u1", credentials_version=0)
    assert guard.authenticate(old)[0] == "u1"
    set_credentials(stored, credentials.changed(CredentialsState(), "elsewhere"))
    assert guard.authenticate(issue_token("u1", credentials_version=1))[0] == "u1"
    assert stored.journal.count("read auth state") == 2
    with pytest.raises(TokenInvalid):
        guard.authenticate(old)  # the cache now holds version 1
    guard.forget("u1")
