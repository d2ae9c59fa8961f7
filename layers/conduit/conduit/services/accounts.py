"""Account deletion: the account stops at once, then a queue-driven job removes what it owned.

`request_deletion` (the user, with their current password) and `delete_by_admin` start it with one
transaction (store.deletions.start): the job item, the user marked `deleting` with its credentials
version moved on (every token refused), and both uniqueness markers gone (profile 404, login
impossible, the email and username free again). Then a message goes to the deletion queue.

Each message runs one batch of the job (`run_batch`, functions/account_purge): at most
DELETION_BATCH_SIZE units and DELETION_BATCH_SECONDS, far under the function's timeout; its
progress (phase, cursor, counts) is saved in the job under a condition on the job's step, then the
next batch is queued. A batch that fails is redelivered by SQS and redoes its work: every removal
goes through the store's own functions, which are idempotent and move every counter exactly
(article deletion with its comments, favorites and counters; unfavorite; comment delete; unfollow).

Phases, in order:
  articles   its articles, each with its comments (others' too: they go with the article, see
             docs/data-model.md#account-deletion) and favorites, slug marker, tags and counters
  comments   its comments under other articles (ByOwner COMMENTER#<uid>)
  favorites  its favorites of other articles, both counters moved (ByOwner FAVBY#<uid>)
  following  its follow edges (USER#<uid> / FOLLOWS#), with its feed entries in fan-out mode
  followers  others' edges to it (ByOwner FOLLOWERS#<uid>), each follower's count moved
  feed       any feed entry left under FEED#<uid>
  user       the user item, last

A write the account made with a token still honoured when the deletion began (another container's
cached authorization, a request in flight) lands within DELETION_SETTLE_SECONDS. So once that time
has passed, every phase runs once more from the start, and only then does the user item go: nothing
the account wrote can be left behind.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from conduit import observability, queues
from conduit.errors import (
    ChangedConcurrently,
    DeletionNotFound,
    NotAuthor,
    NotFound,
    ProfileNotFound,
    RateLimited,
    TokenInvalid,
    WrongPassword,
    found,
)
from conduit.security import guard
from conduit.security.passwords import verify_password
from conduit.services.views import DeletionView
from conduit.settings import get_settings
from conduit.store import articles, comments, deletions, favorites, feed, follows, keys, ops, quotas, users
from conduit.store.client import Item
from conduit.store.ids import iso_now

PHASES = ("articles", "comments", "favorites", "following", "followers", "feed", "user")
Row = dict[str, Any]


# --- starting ---------------------------------------------------------------------------------


def request_deletion(uid: str, password: str) -> DeletionView:
    """The user deletes their own account; the current password is required (403 when wrong, with
    attempts limited like logins)."""
    reservation = quotas.reserve("delete-account", uid, get_settings().login_failures_per_minute)
    if reservation.refused:
        observability.count("RateLimited")
        raise RateLimited(reservation.retry_after)
    user = users.get(uid, consistent=True)
    if user is None:
        raise TokenInvalid()
    if not verify_password(password, user["passwordHash"]):
        raise WrongPassword()
    quotas.release(reservation)
    return _start(user, requested_by=uid)


def delete_by_admin(username: str, admin: str) -> DeletionView:
    uid = users.id_for_username(username)
    user = found(users.get(uid, consistent=True) if uid else None, ProfileNotFound)
    return _start(user, requested_by=admin)


def _start(user: Item, requested_by: str) -> DeletionView:
    uid = user["id"]
    job = {
        "type": "deletion",
        "userId": uid,
        "username": user["username"],
        "state": "running",
        "phase": PHASES[0],
        "cursor": None,
        "swept": False,
        "step": 0,
        "removed": dict.fromkeys(PHASES[:-1], 0),
        "requestedBy": requested_by,
        "requestedAt": iso_now(),
        "requestedEpoch": int(time.time()),
        "updatedAt": iso_now(),
    }
    try:
        deletions.start(user, job)
    except deletions.AlreadyDeleting:
        return status(uid)
    except ops.TransactionCancelled:
        raise ChangedConcurrently() from None  # nothing was written
    guard.forget(uid)
    _queue(uid, 0)
    return _view(job)


def _queue(uid: str, step: int, delay_seconds: int = 0) -> None:
    queues.send(get_settings().account_deletion_queue_url, {"userId": uid, "step": step}, delay_seconds)


# --- progress ---------------------------------------------------------------------------------


def status(uid: str) -> DeletionView:
    # an id no key can hold finds nothing (store.ops)
    return _view(found(deletions.get(uid), DeletionNotFound))


def _view(job: Item) -> DeletionView:
    return {
        "id": job["userId"],
        "username": job["username"],
        "state": job["state"],
        "phase": job["phase"],
        "removed": {name: int(count) for name, count in (job.get("removed") or {}).items()},
        "requestedAt": job["requestedAt"],
        "updatedAt": job["updatedAt"],
    }


# --- the job ----------------------------------------------------------------------------------


def run_batch(uid: str, step: int) -> str:
    """Run the batch of `step` of the job of `uid`; returns what happened (for the consumer's log)."""
    job = deletions.get(uid)
    if job is None or job["state"] == "done":
        return "no job"
    if int(job["step"]) != step:
        return "stale message"  # another message carries the job's current step
    if job["phase"] == "user":
        return _last_phase(uid, step, job)
    phase, removed = job["phase"], _removed(job)
    cursor, done, count = _work(uid, phase, job.get("cursor"), get_settings())
    removed[phase] = removed.get(phase, 0) + count
    changes: dict[str, Any] = {"removed": removed, "cursor": cursor}
    if done:
        changes["phase"] = PHASES[PHASES.index(phase) + 1]
        changes["cursor"] = None
    if deletions.advance(uid, step, changes):
        _queue(uid, step + 1)
        return f"{phase}: {count} removed"
    return "advanced by another delivery"


def _removed(job: Item) -> dict[str, int]:
    return {name: int(count) for name, count in (job.get("removed") or {}).items()}


def _last_phase(uid: str, step: int, job: Item) -> str:
    """Once the account's last writes have landed, every phase once more; then the user item goes."""
    if job.get("swept"):
        return "done" if deletions.finish(uid, step, _removed(job)) else "finished by another delivery"
    wait = int(job["requestedEpoch"]) + get_settings().deletion_settle_seconds - int(time.time())
    if wait > 0:
        _queue(uid, step, delay_seconds=wait)  # the same step, after the account's last writes
        return "settling"
    if deletions.advance(uid, step, {"phase": PHASES[0], "cursor": None, "swept": True}):
        _queue(uid, step + 1)
    return "sweeping again"


def _work(uid: str, phase: str, cursor: Row | None, settings: Any) -> tuple[Row | None, bool, int]:
    """One batch of a phase: (the cursor to go on from, whether the phase is complete, how many removed).

    Items are removed as they are read, so the next read starts after the cursor; once the
    partition's end is reached the phase is read again from the start, and it is complete when a
    read from the start finds nothing left to remove."""
    read, remove = _PHASES[phase](uid)
    limit = settings.deletion_batch_size
    deadline = time.monotonic() + settings.deletion_batch_seconds
    rows = read(cursor, limit)
    count = 0
    for index, row in enumerate(rows):
        if time.monotonic() > deadline:
            return rows[index - 1] if index else cursor, False, count
        count += remove(row)
    if len(rows) == limit:
        return rows[-1], False, count
    if cursor is None and count == 0:
        return None, True, 0
    return None, False, count  # read it again from the start: complete when nothing is left


def _index_reader(partition: str) -> Callable[[Row | None, int], list[Row]]:
    def read(cursor: Row | None, limit: int) -> list[Row]:
        return ops.query(partition, index=keys.BY_OWNER_INDEX, limit=limit, after=cursor)

    return read


def _table_reader(partition: str, prefix: str | None = None) -> Callable[[Row | None, int], list[Row]]:
    def read(cursor: Row | None, limit: int) -> list[Row]:
        found = ops.query(partition, sk_prefix=prefix, limit=limit, after=cursor, consistent=True)
        return [{"PK": row["PK"], "SK": row["SK"]} for row in found]

    return read


def _fan_out() -> bool:
    return get_settings().feed_mode == "fan-out"


def _articles(uid: str) -> tuple[Any, Any]:
    def remove(row: Row) -> int:
        aid = row["GSI1SK"]
        article = articles.get(aid)
        if article is None:
            return 0
        try:
            articles.delete(article, uid, moderating=True)
        except NotFound:
            return 0  # deleted concurrently
        if _fan_out():
            feed.on_article_removed(uid, aid)  # while its followers' edges still exist
        return 1

    return _index_reader(keys.authored_partition(uid)), remove


def _comments(uid: str) -> tuple[Any, Any]:
    def remove(row: Row) -> int:
        aid, comment_id = keys.comment_of_owner_sort(row["GSI1SK"])
        try:
            comments.delete(aid, comment_id, uid)
        except (NotFound, NotAuthor):
            return 0
        return 1

    return _index_reader(keys.commented_partition(uid)), remove


def _favorites(uid: str) -> tuple[Any, Any]:
    def remove(row: Row) -> int:
        try:
            return int(favorites.unfavorite(row["GSI1SK"], uid))
        except NotFound:
            return 0

    return _index_reader(keys.favorited_partition(uid)), remove


def _following(uid: str) -> tuple[Any, Any]:
    def remove(row: Row) -> int:
        followee = keys.suffix(row["SK"])
        follows.unfollow(uid, followee)
        if _fan_out():
            feed.on_unfollow(uid, followee)
        return 1

    return _table_reader(keys.user_partition(uid), keys.FOLLOWS_PREFIX), remove


def _followers(uid: str) -> tuple[Any, Any]:
    def remove(row: Row) -> int:
        follows.unfollow(row["GSI1SK"], uid)
        return 1

    return _index_reader(keys.followers_partition(uid)), remove


def _feed(uid: str) -> tuple[Any, Any]:
    def remove(row: Row) -> int:
        ops.delete_item(keys.feed_entry(uid, row["SK"]))  # the user's own feed: its feedCount goes with the user
        return 1

    return _table_reader(keys.feed_partition(uid)), remove


_PHASES: dict[str, Callable[[str], tuple[Any, Any]]] = {
    "articles": _articles,
    "comments": _comments,
    "favorites": _favorites,
    "following": _following,
    "followers": _followers,
    "feed": _feed,
}
