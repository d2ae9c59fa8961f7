"""services.accounts against the in-memory deletion store: who may start an account's deletion, what
starting it records and queues, and that starting it again changes nothing."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from typing import Any

import pytest

from conduit import queues
from conduit.entities.lifecycle import AccountToDelete
from conduit.errors import (
    ChangedConcurrently,
    DeletionNotFound,
    ProfileNotFound,
    RateLimited,
    TokenInvalid,
    WrongPassword,
)
from conduit.ports import deletions as deletion_port
from conduit.ports import quotas as quota_port
from conduit.security import guard
from conduit.security.passwords import hash_password
from conduit.services import accounts
from conduit.settings import get_settings
from tests.unit.fakes.deletions import FakeDeletions
from tests.unit.fakes.quotas import FakeQuotas

PASSWORD = "password123"
PHASE_NAMES = ["articles", "comments", "favorites", "following", "followers", "feed"]


@pytest.fixture
def store() -> Iterator[FakeDeletions]:
    fake = FakeDeletions()
    fake.add(AccountToDelete("u1", "alice", "alice@example.com", hash_password(PASSWORD), credentials_version=3))
    with deletion_port.store.replaced(fake):
        yield fake


@pytest.fixture(autouse=True)
def quotas() -> Iterator[FakeQuotas]:
    with quota_port.store.replaced(FakeQuotas()) as fake:
        yield fake


@pytest.fixture
def sent(monkeypatch: pytest.MonkeyPatch) -> list[tuple[str, dict[str, Any], int]]:
    monkeypatch.setenv("ACCOUNT_DELETION_QUEUE_URL", "https://sqs.local/deletions")
    get_settings.cache_clear()
    messages: list[tuple[str, dict[str, Any], int]] = []
    monkeypatch.setattr(queues, "send", lambda url, body, delay=0: messages.append((url, body, delay)))
    return messages


@pytest.fixture
def forgotten(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    dropped: list[str] = []
    monkeypatch.setattr(guard, "forget", dropped.append)
    return dropped


def test_the_user_starts_it_with_their_password(store, quotas, sent, forgotten) -> None:
    view = accounts.request_deletion("u1", PASSWORD)
    assert (view["id"], view["username"], view["state"], view["phase"]) == ("u1", "alice", "running", "articles")
    assert view["removed"] == dict.fromkeys(PHASE_NAMES, 0)
    job = store.jobs["u1"]
    assert (job.step, job.requested_by, job.progress.cursor, job.progress.swept) == (0, "u1", None, False)
    assert store.accounts["u1"].credentials_version == 4  # every token refused
    assert sent == [("https://sqs.local/deletions", {"userId": "u1", "step": 0}, 0)]
    assert forgotten == ["u1"]  # this container's cached authorization goes at once
    assert quotas.hits(accounts.ATTEMPTS, "u1") == 0  # a right password is not counted against the limit


def test_a_wrong_password_is_refused_and_counted(store, quotas, sent) -> None:
    with pytest.raises(WrongPassword):
        accounts.request_deletion("u1", "not-my-password")
    assert store.jobs == {} and sent == []
    assert quotas.hits(accounts.ATTEMPTS, "u1") == 1


def test_confirmations_are_limited_like_logins(store, quotas, sent, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LOGIN_FAILURES_PER_MINUTE", "2")
    get_settings.cache_clear()
    for _ in range(2):
        with pytest.raises(WrongPassword):
            accounts.request_deletion("u1", "guess")
    with pytest.raises(RateLimited) as limited:
        accounts.request_deletion("u1", PASSWORD)  # even the right one, until the window ends
    assert limited.value.retry_after_seconds == 60  # the whole minute window: the fake clock stands still
    assert store.jobs == {} and sent == []


def test_a_user_who_is_gone_is_not_signed_in(store, sent) -> None:
    with pytest.raises(TokenInvalid):
        accounts.request_deletion("nobody", PASSWORD)


def test_starting_twice_answers_the_running_job(store, sent, forgotten) -> None:
    first = accounts.request_deletion("u1", PASSWORD)
    job = store.jobs["u1"]
    store.jobs["u1"] = replace(job, step=3, progress=replace(job.progress, phase="comments"))  # it went on
    again = accounts.request_deletion("u1", PASSWORD)
    assert again == {**first, "phase": "comments"}  # the job as it stands, not a new one
    assert len(sent) == 1  # no second message: the job's step 0 is queued once
    assert store.accounts["u1"].credentials_version == 4


def test_an_admin_deletes_by_username(store, sent, forgotten) -> None:
    view = accounts.delete_by_admin("alice", "admin-1")
    assert view["id"] == "u1" and store.jobs["u1"].requested_by == "admin-1"
    with pytest.raises(ProfileNotFound):
        accounts.delete_by_admin("alice", "admin-1")  # the username is free once the deletion began
    with pytest.raises(ProfileNotFound):
        accounts.delete_by_admin("nobody", "admin-1")


def test_a_concurrent_email_change_writes_and_queues_nothing(store, sent, forgotten) -> None:
    store.conflict = True
    with pytest.raises(ChangedConcurrently):
        accounts.request_deletion("u1", PASSWORD)
    assert store.jobs == {} and sent == [] and forgotten == []


def test_status(store, sent, forgotten) -> None:
    accounts.request_deletion("u1", PASSWORD)
    assert accounts.status("u1")["state"] == "running"
    with pytest.raises(DeletionNotFound):
        accounts.status("u2")
