"""Feed entries for FEED_MODE=fan-out: FEED#<follower> / <aid>, keys only, written from the stream.

The stream consumer (functions/feed_fanout) keeps them: an article's INSERT puts an entry into
each follower's feed, its REMOVE deletes them; a follow edge's INSERT backfills the followee's
newest BACKFILL articles, its REMOVE deletes that author's entries. Every entry is put with
`attribute_not_exists` / deleted with `attribute_exists` in the same transaction as the
follower's `feedCount` ADD, so replays change nothing and the counter counts exactly.
"""

from __future__ import annotations

from collections.abc import Iterable

from conduit.store import keys, ops
from conduit.store import transactions as tx

BACKFILL = 50
TRANSACT_MAX = 100  # actions per TransactWriteItems
FEED_COUNTER = "feedCount"


def entry(follower: str, aid: str) -> keys.Key:
    return {"PK": f"FEED#{follower}", "SK": aid}


def page_ids(viewer: str, offset: int, limit: int) -> list[str]:
    """The viewer's newest feed entries: one Query, keys only."""
    items = ops.query(f"FEED#{viewer}", newest_first=True, limit=offset + limit, projection=("SK",))
    return [item["SK"] for item in items[offset:]]


def followers(author: str) -> list[str]:
    """Every follower of `author` (ByOwner FOLLOWERS#<author>, keys only, paged)."""
    edges = ops.query(keys.followers_partition(author), index=keys.BY_OWNER_INDEX, projection=("GSI1SK",))
    return [edge["GSI1SK"] for edge in edges]


def on_article_created(author: str, aid: str) -> int:
    return _apply([(follower, [aid]) for follower in followers(author)], adding=True)


def on_article_removed(author: str, aid: str) -> int:
    candidates = [(follower, [aid]) for follower in followers(author)]
    return _apply(_existing(candidates), adding=False)


def on_follow(follower: str, followee: str) -> int:
    if ops.get_item(keys.follow(follower, followee), projection=("PK",), consistent=True) is None:
        return 0  # unfollowed since: the REMOVE record that follows takes care of it
    newest = ops.query(
        keys.authored_partition(followee), index=keys.BY_OWNER_INDEX, newest_first=True, limit=BACKFILL,
        projection=("GSI1SK",),
    )  # fmt: skip
    return _apply([(follower, [item["GSI1SK"] for item in newest])], adding=True)


def on_unfollow(follower: str, followee: str) -> int:
    authored = ops.query(keys.authored_partition(followee), index=keys.BY_OWNER_INDEX, projection=("GSI1SK",))
    return _apply(_existing([(follower, [item["GSI1SK"] for item in authored])]), adding=False)


def _existing(candidates: list[tuple[str, list[str]]]) -> list[tuple[str, list[str]]]:
    """Only the entries that exist (one BatchGet per 100), so deletes rarely fail their condition."""
    wanted = [entry(follower, aid) for follower, aids in candidates for aid in aids]
    found = ops.batch_get(wanted) if wanted else {}
    present = [(f, [a for a in aids if (f"FEED#{f}", a) in found]) for f, aids in candidates]
    return [(f, aids) for f, aids in present if aids]


def _apply(changes: Iterable[tuple[str, list[str]]], adding: bool) -> int:
    """Put (or delete) the entries, each follower's counter moved by as many in the same transaction.

    Returns how many entries were actually created (or deleted). A transaction whose condition
    fails (a replay, a concurrent consumer) is redone entry by entry, skipping those already done.
    """
    groups: list[tuple[str, list[str]]] = []
    for follower, aids in changes:
        for start in range(0, len(aids), TRANSACT_MAX - 1):
            groups.append((follower, aids[start : start + TRANSACT_MAX - 1]))
    done = 0
    batch: list[tuple[str, list[str]]] = []
    size = 0
    for group in [*groups, None]:
        if group is None or size + len(group[1]) + 1 > TRANSACT_MAX:
            if batch:
                done += _transact(batch, adding)
            batch, size = [], 0
        if group is not None:
            batch.append(group)
            size += len(group[1]) + 1
    return done


def _actions(follower: str, aids: list[str], adding: bool) -> list[tx.Action]:
    if adding:
        entries = [tx.put_new(entry(follower, aid)) for aid in aids]
    else:
        entries = [tx.delete(entry(follower, aid), "attribute_exists(PK)") for aid in aids]
    delta = len(aids) if adding else -len(aids)
    return [*entries, tx.add_to_counter(keys.user(follower), FEED_COUNTER, delta, must_exist=True)]


def _transact(batch: list[tuple[str, list[str]]], adding: bool) -> int:
    try:
        ops.transact([action for follower, aids in batch for action in _actions(follower, aids, adding)])
        return sum(len(aids) for _, aids in batch)
    except ops.TransactionCancelled:
        pass
    done = 0
    for follower, aids in batch:
        for aid in aids:
            try:
                ops.transact(_actions(follower, [aid], adding))
                done += 1
            except ops.TransactionCancelled:
                pass  # already there (or gone), or the follower's user item is gone
    return done
