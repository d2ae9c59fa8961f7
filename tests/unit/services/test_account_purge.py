"""services.account_purge against the in-memory stores: the queue-driven job removes everything the
account owned, phase by phase in bounded batches, resumes from its saved cursor after an interrupted
batch, advances once per step, and removes the user last, after the settle wait and a final sweep."""

from __future__ import annotations

import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from types import SimpleNamespace
from typing import Any

import pytest

from conduit import queues
from conduit.entities.lifecycle import AccountToDelete, Cursor
from conduit.ports import deletions as deletion_port
from conduit.ports import owned as owned_port
from conduit.security import guard
from conduit.services import account_purge, accounts
from conduit.settings import get_settings
from tests.unit.fakes.deletions import FakeDeletions, FakeOwned


@dataclass
class World:
    jobs: FakeDeletions
    owned: FakeOwned
    queued: list[tuple[dict[str, Any], int]] = field(default_factory=list)
    outcomes: list[str] = field(default_factory=list)

    def deliver(self, *, delayed: bool = False) -> str:
        """Run the oldest queued message (a delayed one only if `delayed`)."""
        message, delay = self.queued[0]
        assert delayed or delay == 0, f"{message} waits {delay} s"
        self.queued.pop(0)
        outcome = account_purge.run_batch(message["userId"], message["step"])
        self.outcomes.append(outcome)
        return outcome

    def drain(self) -> None:
        while self.queued and self.queued[0][1] == 0:
            self.deliver()

    @property
    def job(self) -> Any:
        return self.jobs.jobs["u1"]


def configure(monkeypatch: pytest.MonkeyPatch, **variables: str) -> None:
    for name, value in variables.items():
        monkeypatch.setenv(name, value)
    get_settings.cache_clear()


@pytest.fixture
def world(monkeypatch: pytest.MonkeyPatch) -> Iterator[World]:
    """`u1` (being deleted) wrote a1..a3 and comments and favorites elsewhere; follows u2 and is
    followed by u2 and u3; u2 keeps b1 with its own comment and favorite."""
    configure(monkeypatch, DELETION_SETTLE_SECONDS="0", DELETION_BATCH_SIZE="25", DELETION_BATCH_SECONDS="20")
    world = World(FakeDeletions(), FakeOwned())
    monkeypatch.setattr(queues, "send", lambda url, body, delay=0: world.queued.append((body, delay)))
    monkeypatch.setattr(guard, "forget", lambda uid: None)
    world.jobs.add(AccountToDelete("u1", "alice", "alice@example.com", "hash", 0))
    owned = world.owned
    owned.follow("u3", "u1")
    for aid in ("a1", "a2", "a3"):
        owned.article(aid, "u1")
    owned.article("b1", "u2")
    owned.comment("a1", 1, "u2")  # goes with u1's article
    owned.comment("a2", 2, "u1")  # under its own article: goes with it
    owned.comment("b1", 3, "u1")
    owned.comment("b1", 4, "u1")
    owned.comment("b1", 5, "u2")  # stays
    owned.favorite("a1", "u2")  # goes with u1's article
    owned.favorite("b1", "u1")
    owned.favorite("b1", "u2")  # stays
    owned.follow("u1", "u2")  # u1's feed gets b1
    owned.follow("u2", "u1")
    with deletion_port.store.replaced(world.jobs), owned_port.store.replaced(owned):
        yield world


def start(world: World) -> None:
    accounts.delete_by_admin("alice", "admin")
    assert world.queued == [({"userId": "u1", "step": 0}, 0)]


def test_the_job_removes_everything_the_account_owned(world: World) -> None:
    start(world)
    world.drain()
    assert world.job.state == "done" and world.job.progress.phase == "done"
    assert dict(world.job.progress.removed) == {
        "articles": 3, "comments": 2, "favorites": 1, "following": 1, "followers": 2, "feed": 1,
    }  # fmt: skip
    assert world.owned.owned_by("u1") == dict.fromkeys(world.owned.owned_by("u1"), 0)
    assert "u1" not in world.jobs.accounts  # the user item, last
    # what others own stays
    assert world.owned.articles_by == {"b1": "u2"}
    assert world.owned.comments_by == {("b1", 5): "u2"}
    assert world.owned.favorites_of == {("b1", "u2")}
    assert world.owned.unfed == []  # the feeds are read-merged: no fan-out entries to remove
    assert world.outcomes[-1] == "done" and world.queued == []


def test_in_fan_out_mode_the_followers_feeds_lose_its_articles(world: World, monkeypatch) -> None:
    configure(monkeypatch, FEED_MODE="fan-out")
    start(world)
    world.drain()
    assert world.owned.feeds["u3"] == set()  # u1's articles left its follower's feed
    assert world.job.progress.removed["feed"] == 0  # unfollowing u2 took b1 out of u1's own feed
    assert sorted(world.owned.unfed) == ["a1", "a2", "a3", "u2"]


def test_each_batch_is_bounded_and_reads_on_from_its_cursor(world: World, monkeypatch) -> None:
    configure(monkeypatch, DELETION_BATCH_SIZE="2")
    for aid in ("a4", "a5"):
        world.owned.article(aid, "u1")
    start(world)
    removals = []
    while world.queued:
        before = world.owned.removals
        world.deliver()
        removals.append(world.owned.removals - before)
    assert max(removals) == 2
    assert [(after, limit) for kind, after, limit in world.owned.reads if kind == "articles"] == [
        (None, 2), (Cursor((("sort", "a2"),)), 2), (Cursor((("sort", "a4"),)), 2),
        (None, 2),  # after a partial page: again from the start, complete when nothing is left
        (None, 2),  # the final sweep
    ]  # fmt: skip
    assert world.job.state == "done" and world.job.progress.removed["articles"] == 5


def test_an_interrupted_batch_is_redelivered_and_the_job_resumes(world: World, monkeypatch) -> None:
    configure(monkeypatch, DELETION_BATCH_SIZE="2")
    for aid in ("a4", "a5"):
        world.owned.article(aid, "u1")
    start(world)
    world.deliver()
    world.owned.crash_at = world.owned.removals + 1  # the next batch fails at its first removal
    message = world.queued[0]
    with pytest.raises(RuntimeError):
        world.deliver()
    assert world.job.step == 1 and world.job.progress.cursor == Cursor((("sort", "a2"),))  # nothing saved
    world.queued.insert(0, message)  # SQS delivers it again
    world.drain()
    assert world.owned.reads[1:3] == [("articles", Cursor((("sort", "a2"),)), 2)] * 2  # the same batch, redone
    assert world.job.state == "done"
    assert world.job.progress.removed["articles"] == 5 and world.job.progress.removed["comments"] == 2
    assert world.owned.owned_by("u1") == dict.fromkeys(world.owned.owned_by("u1"), 0)


def test_a_batch_stops_at_its_time_limit(world: World, monkeypatch) -> None:
    configure(monkeypatch, DELETION_BATCH_SECONDS="2")
    ticks = iter(range(1000))
    monkeypatch.setattr(account_purge, "time", SimpleNamespace(monotonic=lambda: next(ticks), time=time.time))
    start(world)
    assert world.deliver() == "articles: 2 removed"  # a3 waits for the next batch
    assert world.job.progress.cursor == Cursor((("sort", "a2"),)) and world.job.progress.phase == "articles"
    world.deliver()
    assert world.owned.reads[1] == ("articles", Cursor((("sort", "a2"),)), 25)
    assert "a3" not in world.owned.articles_by


def test_a_message_of_another_step_changes_nothing(world: World) -> None:
    start(world)
    world.deliver()
    assert account_purge.run_batch("u1", 0) == "stale message"  # a redelivery of a step done
    assert account_purge.run_batch("nobody", 0) == "no job"
    world.drain()
    assert account_purge.run_batch("u1", world.job.step) == "no job"  # done


def test_a_step_advanced_by_another_delivery_queues_nothing(world: World, monkeypatch) -> None:
    start(world)
    seen = world.job
    world.deliver()
    queued = list(world.queued)
    monkeypatch.setattr(world.jobs, "get", lambda uid: seen)  # this delivery read the job before the other's save
    assert account_purge.run_batch("u1", 0) == "advanced by another delivery"
    assert world.queued == queued and world.job.step == 1


def test_the_user_goes_after_the_settle_wait_and_a_final_sweep(world: World, monkeypatch) -> None:
    configure(monkeypatch, DELETION_SETTLE_SECONDS="60")
    start(world)
    world.drain()
    assert world.outcomes[-1] == "settling" and world.job.progress.phase == "user"
    (message, delay) = world.queued[0]
    assert message["step"] == world.job.step and 0 < delay <= 60
    world.owned.article("late", "u1")  # a write in flight when the deletion began lands now
    later = world.job.requested_epoch + 60
    monkeypatch.setattr(account_purge, "time", SimpleNamespace(monotonic=time.monotonic, time=lambda: later))
    assert world.deliver(delayed=True) == "sweeping again"
    assert world.job.progress.phase == "articles" and world.job.progress.swept
    assert "u1" in world.jobs.accounts  # not yet
    world.drain()
    assert world.job.state == "done" and "u1" not in world.jobs.accounts
    assert "late" not in world.owned.articles_by and world.job.progress.removed["articles"] == 4


def test_a_phase_is_complete_only_when_a_read_from_the_start_finds_nothing(world: World, monkeypatch) -> None:
    configure(monkeypatch, DELETION_BATCH_SIZE="2")
    world.owned.article("a4", "u1")
    start(world)
    world.deliver()
    world.deliver()  # a3, a4: a full page, the cursor at a4
    world.owned.article("a0", "u1")  # a write that landed before the cursor
    assert world.deliver() == "articles: 0 removed"  # nothing after a4: read again from the start
    assert (world.job.progress.phase, world.job.progress.cursor) == ("articles", None)
    assert world.deliver() == "articles: 1 removed"
    assert world.deliver() == "articles: 0 removed" and world.job.progress.phase == "comments"
