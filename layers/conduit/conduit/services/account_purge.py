"""The account deletion job: each queue message runs one batch (`run_batch`, functions/account_purge).

A batch removes at most DELETION_BATCH_SIZE units within DELETION_BATCH_SECONDS, far under the
function's timeout; its progress (phase, cursor, counts) is saved in the job under a condition on the
job's step, then the next batch is queued. A batch that fails is redelivered by SQS and redoes its
work: every removal goes through the store's own functions (conduit.ports.owned), which are
idempotent and move every counter exactly (article deletion with its comments, favorites and
counters; unfavorite; comment delete; unfollow).

Phases, in order:
  articles   its articles, each with its comments (others' too: they go with the article, see
             docs/data-model.md#account-deletion) and favorites, slug marker, tags and counters
  comments   its comments under other articles
  favorites  its favorites of other articles, both counters moved
  following  its follow edges, with its feed entries in fan-out mode
  followers  others' edges to it, each follower's count moved
  feed       any feed entry left in its own feed
  user       the user item, last

A write the account made with a token still honoured when the deletion began (another container's
cached authorization, a request in flight) lands within DELETION_SETTLE_SECONDS. So once that time
has passed, every phase runs once more from the start, and only then does the user item go: nothing
the account wrote can be left behind.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from typing import Any, Generic, Protocol, TypeVar

from conduit import queues
from conduit.entities.lifecycle import Cursor, DeletionJob, FeedEntry, Follow, OwnedArticle, OwnedComment, OwnedFavorite
from conduit.ports import deletions as deletion_port
from conduit.ports import owned as owned_port
from conduit.ports.owned import OwnedContent
from conduit.settings import Settings, get_settings

PHASES = ("articles", "comments", "favorites", "following", "followers", "feed", "user")


def queue_batch(uid: str, step: int, delay_seconds: int = 0) -> None:
    queues.send(get_settings().account_deletion_queue_url, {"userId": uid, "step": step}, delay_seconds)


def run_batch(uid: str, step: int) -> str:
    """Run the batch of `step` of the job of `uid`; returns what happened (for the consumer's log)."""
    store = deletion_port.store()
    job = store.get(uid)
    if job is None or job.state == "done":
        return "no job"
    if job.step != step:
        return "stale message"  # another message carries the job's current step
    progress = job.progress
    if progress.phase == "user":
        return _last_phase(job)
    phase = progress.phase
    cursor, done, count = _work(uid, phase, progress.cursor, get_settings())
    removed = {**progress.removed, phase: progress.removed.get(phase, 0) + count}
    after = replace(progress, removed=removed, cursor=cursor)
    if done:
        after = replace(after, phase=PHASES[PHASES.index(phase) + 1], cursor=None)
    if store.advance(uid, step, after):
        queue_batch(uid, step + 1)
        return f"{phase}: {count} removed"
    return "advanced by another delivery"


def _last_phase(job: DeletionJob) -> str:
    """Once the account's last writes have landed, every phase once more; then the user item goes."""
    store, uid, step = deletion_port.store(), job.user_id, job.step
    if job.progress.swept:
        return "done" if store.finish(uid, step, dict(job.progress.removed)) else "finished by another delivery"
    wait = job.requested_epoch + get_settings().deletion_settle_seconds - int(time.time())
    if wait > 0:
        queue_batch(uid, step, delay_seconds=wait)  # the same step, after the account's last writes
        return "settling"
    if store.advance(uid, step, replace(job.progress, phase=PHASES[0], cursor=None, swept=True)):
        queue_batch(uid, step + 1)
    return "sweeping again"


def _work(uid: str, phase: str, cursor: Cursor | None, settings: Settings) -> tuple[Cursor | None, bool, int]:
    """One batch of a phase: (the cursor to go on from, whether the phase is complete, how many removed).

    Rows are removed as they are read, so the next read starts after the cursor; once the
    partition's end is reached the phase is read again from the start, and it is complete when a
    read from the start finds nothing left to remove."""
    store, kind = owned_port.store(), _PHASES[phase]
    limit = settings.deletion_batch_size
    deadline = time.monotonic() + settings.deletion_batch_seconds
    rows = kind.read(store, uid, cursor, limit)
    count = 0
    for index, row in enumerate(rows):
        if time.monotonic() > deadline:
            return rows[index - 1].at if index else cursor, False, count
        count += kind.remove(store, uid, row)
    if len(rows) == limit:
        return rows[-1].at, False, count
    if cursor is None and count == 0:
        return None, True, 0
    return None, False, count  # read it again from the start: complete when nothing is left


# --- what each phase reads and removes -----------------------------------------------------------


class _Row(Protocol):
    @property
    def at(self) -> Cursor: ...


R = TypeVar("R", bound=_Row)


@dataclass(frozen=True, slots=True)
class _Phase(Generic[R]):
    read: Callable[[OwnedContent, str, Cursor | None, int], Sequence[R]]
    remove: Callable[[OwnedContent, str, R], int]  # how many it removed: 0 when already gone


def _fan_out() -> bool:
    return get_settings().feed_mode == "fan-out"


def _remove_article(store: OwnedContent, uid: str, article: OwnedArticle) -> int:
    if not store.remove_article(uid, article.article_id):
        return 0
    if _fan_out():
        store.unfeed_article(uid, article.article_id)  # while its followers' edges still exist
    return 1


def _remove_following(store: OwnedContent, uid: str, follow: Follow) -> int:
    store.unfollow(follow)
    if _fan_out():
        store.unfeed_followee(follow)
    return 1


def _remove_follower(store: OwnedContent, uid: str, follow: Follow) -> int:
    store.unfollow(follow)
    return 1


def _remove_comment(store: OwnedContent, uid: str, comment: OwnedComment) -> int:
    return int(store.remove_comment(uid, comment))


def _unfavorite(store: OwnedContent, uid: str, favorite: OwnedFavorite) -> int:
    return int(store.unfavorite(uid, favorite.article_id))


def _remove_feed_entry(store: OwnedContent, uid: str, entry: FeedEntry) -> int:
    store.remove_feed_entry(uid, entry)
    return 1


_PHASES: dict[str, _Phase[Any]] = {
    "articles": _Phase(lambda s, uid, after, n: s.articles(uid, after, n), _remove_article),
    "comments": _Phase(lambda s, uid, after, n: s.comments(uid, after, n), _remove_comment),
    "favorites": _Phase(lambda s, uid, after, n: s.favorites(uid, after, n), _unfavorite),
    "following": _Phase(lambda s, uid, after, n: s.following(uid, after, n), _remove_following),
    "followers": _Phase(lambda s, uid, after, n: s.followers(uid, after, n), _remove_follower),
    "feed": _Phase(lambda s, uid, after, n: s.feed(uid, after, n), _remove_feed_entry),
}
