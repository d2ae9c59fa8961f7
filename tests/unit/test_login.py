"""The login story (conduit.services.users.login) on fakes of its store calls: attempts are reserved on
both counters before the password is checked, given back on success only, and suspended accounts
answer as wrong passwords do, after the same password check."""

from __future__ import annotations

from typing import Any

import pytest

from conduit.errors import CredentialsInvalid, RateLimited
from conduit.http.error_map import status_of
from conduit.services import users as service
from conduit.store import quotas
from conduit.validation import Credentials

PASSWORD = "right-password"


class FakeStore:
    """The store calls of a login, recorded in order; counters refuse past their limit."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch, user: dict[str, Any] | None, full: set[str] = frozenset()):
        self.calls: list[str] = []
        self.full = full
        self.user = user
        monkeypatch.setattr(service.quotas, "reserve", self.reserve)
        monkeypatch.setattr(service.quotas, "release", self.release)
        monkeypatch.setattr(service.users, "id_for_email", self.id_for_email)
        monkeypatch.setattr(service.users, "get", self.get)
        monkeypatch.setattr(service, "verify_password", self.verify_password)

    def reserve(self, kind: str, subject: str, limit: int) -> quotas.Reservation:
        self.calls.append(f"reserve {kind}")
        if kind in self.full:
            return quotas.Reservation(None, retry_after=17)
        return quotas.Reservation({"PK": f"QUOTA#{kind}#{subject}", "SK": "0"}, "attempt")

    def release(self, reservation: quotas.Reservation) -> None:
        self.calls.append(f"release {reservation.key['PK'].split('#')[1]}")

    def id_for_email(self, email: str) -> str | None:
        self.calls.append("read email marker")
        return self.user["id"] if self.user else None

    def get(self, uid: str, *args: Any, **kwargs: Any) -> dict[str, Any] | None:
        self.calls.append("read user")
        return self.user

    def verify_password(self, password: str, password_hash: str | None) -> bool:
        self.calls.append("check password")
        return password_hash is not None and password == PASSWORD


def a_user(**extra: Any) -> dict[str, Any]:
    return {"id": "u1", "username": "ada", "email": "ada@example.com", "passwordHash": "h", **extra}


def attempt(password: str = PASSWORD) -> Credentials:
    return Credentials(email="Ada@Example.com", password=password)


def test_attempts_are_reserved_before_the_password_is_checked_and_given_back_on_success(monkeypatch):
    store = FakeStore(monkeypatch, a_user())
    answer = service.login(attempt(), "203.0.113.7")
    assert answer["username"] == "ada"
    assert store.calls == [
        "reserve login-ip",
        "reserve login-email",
        "read email marker",
        "read user",
        "check password",
        "release login-ip",
        "release login-email",
    ]


def test_a_wrong_password_keeps_both_reservations(monkeypatch):
    store = FakeStore(monkeypatch, a_user())
    with pytest.raises(CredentialsInvalid) as refused:
        service.login(attempt("wrong-password"), "203.0.113.7")
    assert refused.value.errors == {"credentials": ["invalid"]}
    assert not [call for call in store.calls if call.startswith("release")]


def test_a_full_ip_counter_refuses_before_anything_else(monkeypatch):
    store = FakeStore(monkeypatch, a_user(), full={"login-ip"})
    with pytest.raises(RateLimited) as refused:
        service.login(attempt(), "203.0.113.7")
    assert refused.value.retry_after_seconds == 17
    assert store.calls == ["reserve login-ip"]  # the email's counter untouched, no password checked


def test_a_full_email_counter_gives_the_ip_reservation_back(monkeypatch):
    store = FakeStore(monkeypatch, a_user(), full={"login-email"})
    with pytest.raises(RateLimited):
        service.login(attempt(), "203.0.113.7")
    assert store.calls == ["reserve login-ip", "reserve login-email", "release login-ip"]


def test_a_suspended_account_checks_the_password_and_answers_as_a_wrong_one(monkeypatch):
    store = FakeStore(monkeypatch, a_user(suspended=True))
    with pytest.raises(CredentialsInvalid) as right:
        service.login(attempt(), "203.0.113.7")
    assert "check password" in store.calls  # the same work as any other attempt: no timing tell
    assert not [call for call in store.calls if call.startswith("release")]  # counted as a failure
    with pytest.raises(CredentialsInvalid) as wrong:
        service.login(attempt("wrong-password"), "203.0.113.7")
    assert status_of(right.value) == status_of(wrong.value) == 401
    assert right.value.errors == wrong.value.errors == {"credentials": ["invalid"]}


def test_an_unknown_email_checks_a_decoy_password(monkeypatch):
    store = FakeStore(monkeypatch, None)
    with pytest.raises(CredentialsInvalid) as refused:
        service.login(attempt(), "203.0.113.7")
    assert refused.value.errors == {"credentials": ["invalid"]}
    assert "check password" in store.calls
