"""services.password_reset against the in-memory stores: one answer whatever the email, limits per
address and per email, and a token used once that moves the credentials on (older tokens refused)."""

from __future__ import annotations

from dataclasses import replace

import pytest

from conduit import mail
from conduit.entities.users import CredentialsState
from conduit.errors import ChangedConcurrently, InvalidInput, RateLimited, TokenInvalid
from conduit.security import credentials, guard, passwords
from conduit.security.tokens import issue_token, verify_claims
from conduit.services import password_reset
from conduit.validation import ResetConfirmation
from tests.unit.fakes.people import People

IP = "203.0.113.7"
pytestmark = pytest.mark.real_auth_state  # the guard reads the fake user store


def confirm(token: str, password: str = "brand-new-password") -> dict[str, object]:
    return dict(password_reset.confirm(ResetConfirmation(token=token, password=password)))


def requested(world: People, name: str = "ada") -> str:
    """The token of a reset requested for `name` (emailed to them)."""
    password_reset.request(f"{name}@example.com", IP)
    email = world.outbox[-1]
    assert (email.kind, email.to, email.data["username"]) == (mail.PASSWORD_RESET, f"{name}@example.com", name)
    return email.token


def test_a_reset_sets_the_password_moves_the_credentials_on_and_answers_like_login(world: People) -> None:
    changer = issue_token("u1", "user", 1)  # the token that just changed the password: in its grace period
    ada = world.user("ada", credentials=credentials.changed(CredentialsState(1), changer))
    current = issue_token(ada.id, "user", 2)
    assert guard.authenticate(changer)[0] == guard.authenticate(current)[0] == ada.id
    answer = confirm(requested(world))
    stored = world.users.users[ada.id]
    assert stored.credentials == CredentialsState(3), "no grace period for any earlier token"
    assert passwords.verify_password("brand-new-password", stored.password_hash)
    assert answer["username"] == "ada" and verify_claims(str(answer["token"])).credentials_version == 3
    for older in (changer, current):
        with pytest.raises(TokenInvalid):
            guard.authenticate(older)


def test_a_token_works_once(world: People) -> None:
    world.user("ada")
    token = requested(world)
    confirm(token)
    with pytest.raises(InvalidInput) as refused:
        confirm(token, "yet-another-password")
    assert refused.value.errors == {"token": ["is invalid or expired"]}


def test_a_token_used_by_a_concurrent_confirm_is_refused(world: People) -> None:
    ada = world.user("ada")
    token = requested(world)
    world.resets.concurrently = lambda: world.resets.pending.clear()  # the other confirm won
    with pytest.raises(InvalidInput):
        confirm(token)
    assert world.users.users[ada.id] == ada


def test_a_user_changed_meanwhile_is_a_retryable_conflict_and_the_token_stays(world: People) -> None:
    ada = world.user("ada")
    token = requested(world)
    world.resets.concurrently = lambda: world.users.apply_update(ada, replace(ada, email="ada@new.example"))
    with pytest.raises(ChangedConcurrently):
        confirm(token)
    assert len(world.resets.pending) == 1
    assert world.users.users[ada.id].credentials.version == 0


def test_a_token_issued_before_a_password_change_is_refused(world: People) -> None:
    ada = world.user("ada")
    token = requested(world)
    world.users.users[ada.id] = replace(ada, credentials=CredentialsState(1))  # changed since the email
    with pytest.raises(InvalidInput):
        confirm(token)


def test_an_expired_token_or_a_suspended_user_is_refused(world: People) -> None:
    ada = world.user("ada")
    token = requested(world)
    world.resets.now += 3600 + 1  # PASSWORD_RESET_TTL_SECONDS: an hour by default
    with pytest.raises(InvalidInput):
        confirm(token)
    world.resets.now -= 3600 + 1
    world.users.users[ada.id] = replace(ada, suspended=True)
    with pytest.raises(InvalidInput):
        confirm(token)
    with pytest.raises(InvalidInput):
        confirm("never-issued")


def test_unknown_and_suspended_emails_get_the_same_answer_and_no_email(world: People) -> None:
    world.user("sus", suspended=True)
    assert password_reset.request("nobody@example.com", IP) is None
    assert password_reset.request("sus@example.com", IP) is None
    assert world.outbox == [] and world.resets.pending == {}


def test_past_the_per_email_limit_the_answer_is_the_same_but_nothing_is_sent(world: People, set_env) -> None:
    set_env(PASSWORD_RESETS_PER_EMAIL_PER_HOUR="2")
    world.user("ada")
    for _ in range(3):
        password_reset.request("ADA@example.com", IP)
    assert len(world.outbox) == 2 and len(world.resets.pending) == 2
    world.quotas.now += 3600  # the next hour
    password_reset.request("ada@example.com", IP)
    assert len(world.outbox) == 3


def test_past_the_per_address_limit_the_request_is_a_429(world: People, set_env) -> None:
    set_env(PASSWORD_RESETS_PER_IP_PER_HOUR="2")
    for _ in range(2):
        password_reset.request("nobody@example.com", IP)
    world.quotas.now += 600
    with pytest.raises(RateLimited) as limited:
        password_reset.request("nobody@example.com", IP)
    assert limited.value.retry_after_seconds == 3000
    assert world.quotas.hits("reset-email", "nobody@example.com") == 2, "refused before the email's counter"
