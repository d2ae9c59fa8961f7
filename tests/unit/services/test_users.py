"""services.users against the in-memory stores: registration, login (counted and limited per email and
per source address), the current user and its changes (taken names, email re-verification, password
changes that outdate older tokens)."""

from __future__ import annotations

from dataclasses import replace

import jwt
import pytest

from conduit import mail
from conduit.authz import Role
from conduit.entities.users import CredentialsState
from conduit.errors import (
    ChangedConcurrently,
    CredentialsInvalid,
    EmailTaken,
    RateLimited,
    TokenInvalid,
    UsernameTaken,
)
from conduit.http.error_map import status_of
from conduit.security import guard, passwords
from conduit.security.tokens import issue_token, verify_claims
from conduit.services import email_verification
from conduit.services import users as service
from conduit.validation import Credentials, NewUser, UserChanges
from tests.unit.fakes.people import People

IP = "203.0.113.7"
pytestmark = pytest.mark.real_auth_state  # the guard reads the fake user store


def login(email: str = "ada@example.com", password: str = "password123", ip: str = IP) -> dict[str, object]:
    return dict(service.login(Credentials(email=email, password=password), ip))


# --- registration -----------------------------------------------------------------------------------


def test_registration_answers_the_user_with_a_token_and_emails_a_verification_link(world: People) -> None:
    answer = service.register(NewUser(username="ada", email="ada@example.com", password="password123"))
    assert {k: v for k, v in answer.items() if k != "token"} == {
        "email": "ada@example.com",
        "username": "ada",
        "bio": None,
        "image": None,
        "emailVerified": False,
    }
    claims = verify_claims(answer["token"])
    stored = world.users.users[claims.subject]
    assert (stored.username, claims.credentials_version) == ("ada", 0)
    assert passwords.verify_password("password123", stored.password_hash)
    [email] = world.outbox
    assert (email.kind, email.to) == (mail.VERIFY_EMAIL, "ada@example.com")
    assert world.verifications.find(email_verification.token_hash(email.token)) is not None


def test_registration_with_a_taken_username_or_email_is_refused_and_sends_nothing(world: People) -> None:
    world.user("ada")
    with pytest.raises(UsernameTaken) as both:
        service.register(NewUser(username="ADA", email="Ada@Example.com", password="password123"))
    assert both.value.errors == {"username": ["has already been taken"], "email": ["has already been taken"]}
    with pytest.raises(EmailTaken):
        service.register(NewUser(username="bob", email="ADA@example.com", password="password123"))
    assert world.outbox == [] and len(world.users.users) == 1


# --- login --------------------------------------------------------------------------------------------


def test_attempts_are_reserved_before_the_password_is_checked_and_given_back_on_success(
    world: People, monkeypatch: pytest.MonkeyPatch
) -> None:
    world.user("ada")
    real = service.verify_password
    monkeypatch.setattr(service, "verify_password", lambda *args: world.journal.append("check password") or real(*args))
    answer = login(email="Ada@Example.com")
    assert answer["username"] == "ada"
    assert world.journal == [
        "reserve login-ip",
        "reserve login-email",
        "read email marker",
        "read user",
        "check password",
        "release login-ip",
        "release login-email",
    ]
    assert world.quotas.hits("login-ip", IP) == world.quotas.hits("login-email", "ada@example.com") == 0


def test_a_wrong_password_an_unknown_email_and_a_suspended_account_answer_alike_and_count(world: People) -> None:
    world.user("ada")
    world.user("sus", suspended=True)
    refusals = []
    for email, password in [
        ("ada@example.com", "wrong-password"),
        ("nobody@example.com", "password123"),
        ("sus@example.com", "password123"),  # the right password of a suspended account
    ]:
        with pytest.raises(CredentialsInvalid) as refused:
            login(email=email, password=password)
        refusals.append((status_of(refused.value), refused.value.errors))
    assert refusals == [(401, {"credentials": ["invalid"]})] * 3
    assert world.quotas.hits("login-ip", IP) == 3, "every failure stays counted"
    assert world.quotas.hits("login-email", "sus@example.com") == 1


def test_an_unknown_email_checks_a_decoy_password(world: People, monkeypatch: pytest.MonkeyPatch) -> None:
    checked: list[str | None] = []
    monkeypatch.setattr(service, "verify_password", lambda password, hashed: checked.append(hashed) or False)
    with pytest.raises(CredentialsInvalid):
        login(email="nobody@example.com")
    assert checked == [None], "the password is checked (against the decoy) all the same: no timing tell"


def test_failures_past_the_email_limit_lock_the_account_out_for_the_window(world: People, set_env) -> None:
    set_env(LOGIN_FAILURES_PER_MINUTE="2")
    world.user("ada")
    for _ in range(2):
        with pytest.raises(CredentialsInvalid):
            login(password="wrong-password")
    with pytest.raises(RateLimited) as limited:
        login()  # even the right password: the attempt is not checked
    assert limited.value.retry_after_seconds == 60
    assert world.quotas.hits("login-ip", IP) == 2, "the refused attempt gave its IP reservation back"
    world.quotas.now += 60  # the next window
    assert login()["username"] == "ada"


def test_a_full_ip_counter_refuses_before_anything_else(world: People, set_env) -> None:
    set_env(LOGIN_FAILURES_PER_IP_PER_MINUTE="1")
    world.user("ada")
    with pytest.raises(CredentialsInvalid):
        login(password="wrong-password")
    world.journal.clear()
    world.quotas.now += 15
    with pytest.raises(RateLimited) as limited:
        login()
    assert limited.value.retry_after_seconds == 45
    assert world.journal == ["reserve login-ip"], "no email counter, no read, no password check"
    assert login(ip="198.51.100.1")["username"] == "ada", "another address has its own counter"


def test_a_successful_login_issues_a_token_at_the_role_and_credentials_version(world: People) -> None:
    world.user("ada", role=Role.MODERATOR, credentials=CredentialsState(3))
    token = str(login()["token"])
    claims = verify_claims(token)
    assert (claims.subject, claims.credentials_version) == ("u1", 3)
    assert jwt.decode(token, options={"verify_signature": False})["role"] == "moderator"


# --- the current user and its changes ----------------------------------------------------------------


def test_the_current_user_of_a_token_whose_user_is_gone_is_a_401(world: People) -> None:
    ada = world.user("ada")
    assert service.current(ada.id) == ada
    with pytest.raises(TokenInvalid):
        service.current("u404")


def test_an_update_changes_the_profile_and_keeps_the_token(world: People) -> None:
    ada = world.user("ada", image="old.png")
    changes = UserChanges.model_validate({"bio": "Analyst", "image": None, "username": "Ada2"})
    answer = service.update(ada.id, "the-token", changes)
    assert answer == {
        "email": "ada@example.com",
        "token": "the-token",
        "username": "Ada2",
        "bio": "Analyst",
        "image": None,
        "emailVerified": False,
    }
    assert world.users.id_for_username("ada2") == ada.id and world.users.id_for_username("ada") is None
    assert world.outbox == [], "the email did not change: no verification"


def test_an_update_to_a_taken_username_changes_nothing(world: People) -> None:
    ada = world.user("ada")
    world.user("bob")
    with pytest.raises(UsernameTaken):
        service.update(ada.id, "t", UserChanges.model_validate({"username": "BOB", "bio": "x"}))
    assert world.users.users[ada.id] == ada


def test_a_new_email_is_unverified_until_its_link_is_followed(world: People) -> None:
    ada = world.user("ada", email_verified=True)
    answer = service.update(ada.id, "t", UserChanges.model_validate({"email": "ada@new.example"}))
    assert answer["emailVerified"] is False and answer["email"] == "ada@new.example"
    [email] = world.outbox
    assert email.to == "ada@new.example"
    assert world.users.id_for_email("ada@example.com") is None


def test_a_password_change_outdates_older_tokens_and_answers_a_fresh_one(world: People, set_env) -> None:
    set_env(AUTH_CACHE_SECONDS="300")
    ada = world.user("ada")
    old, other = issue_token(ada.id, "user", 0), issue_token(ada.id, "user", 0)
    assert guard.authenticate(other) == (ada.id, Role.USER)  # this container caches version 0 now
    answer = service.update(ada.id, old, UserChanges.model_validate({"password": "new-password"}))
    stored = world.users.users[ada.id]
    assert stored.credentials.version == 1
    assert verify_claims(answer["token"]).credentials_version == 1
    assert passwords.verify_password("new-password", stored.password_hash)
    with pytest.raises(TokenInvalid):  # another old token (the changing one has its grace period only)
        guard.authenticate(other)
    assert guard.authenticate(answer["token"]) == (ada.id, Role.USER)


def test_an_update_racing_another_change_is_a_retryable_conflict_and_writes_nothing(world: People) -> None:
    ada = world.user("ada")

    def other_request() -> None:
        world.users.apply_update(ada, replace(ada, email="ada@elsewhere.example"))

    world.users.concurrently = other_request
    with pytest.raises(ChangedConcurrently):
        service.update(ada.id, "t", UserChanges.model_validate({"bio": "mine"}))
    assert world.users.users[ada.id].bio is None


def test_an_empty_update_writes_nothing(world: People) -> None:
    ada = world.user("ada")
    assert service.update(ada.id, "t", UserChanges.model_validate({}))["username"] == "ada"
    assert "update user" not in world.journal
