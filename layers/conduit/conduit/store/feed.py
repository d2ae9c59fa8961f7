"""Feed entries for FEED_MODE=fan-out: FEED#<follower> / <aid>, keys only, written from the stream.

The stream consumer (functions/feed_fanout) keeps them: an article's INSERT puts an entry into
each follower's feed, its REMOVE deletes them; a follow edge's INSERT backfills the followee's
newest BACKFILL articles, its REMOVE deletes that author's entries. Every entry is put with
`attribute_not_exists` / deleted with `attribute_exists` in the same transaction as the
follower's `feedCount` ADD, so replays change nothing and the counter counts exactly.
"""

from __future__ import annotations

from collections.abc import Iterable

from conduit.store import keys, ops, stream
from conduit.store import transactions as tx
from conduit.store.conditions import EXISTS

BACKFILL = 50
TRANSACT_MAX = 100  # actions per TransactWriteItems
FEED_COUNTER = "feedCount"


def page_ids(viewer: str, offset: int, limit: int) -> list[str]:
    """The viewer's newest feed entries: one Query, keys only."""
    items = ops.query(keys.feed_partition(viewer), newest_first=True, limit=offset + limit, projection=("SK",))
    return [item["SK"] for item in items[offset:]]


def followers(author: str) -> list[str]:
    """Every follower of `author` (ByOwner FOLLOWERS#<author>, keys only, paged)."""
    edges = ops.query(keys.followers_partition(author), index=keys.BY_OWNER_INDEX, projection=("GSI1SK",))
    return [edge["GSI1SK"] for edge in edges]


def apply(change: stream.Change) -> int:
    """Keep the feeds for one change of the table (functions/feed_fanout); returns how many entries
    were created or deleted. Article edits, and articles without an author, change no feed."""
    if isinstance(change, stream.ArticleChange):
        on_article = {stream.INSERT: on_article_created, stream.REMOVE: on_article_removed}.get(change.event)
        return on_article(change.author_id, change.article_id) if on_article and change.author_id else 0
    if not isinstance(change, stream.FollowChange):
        return 0  # a pending favorite marker: the favorites' fold follows those
    on_edge = {stream.INSERT: on_follow, stream.REMOVE: on_unfollow}.get(change.event)
    return on_edge(change.follower, change.followee) if on_edge else 0


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
    wanted = [keys.feed_entry(follower, aid) for follower, aids in candidates for aid in aids]
    found = ops.batch_get(wanted) if wanted else {}
    present = [(f, [a for a in aids if (keys.feed_partition(f), a) in found]) for f, aids in candidates]
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
        entries = [tx.put_new(keys.feed_entry(follower, aid)) for aid in aids]
    else:
        entries = [tx.delete(keys.feed_entry(follower, aid), EXISTS) for aid in aids]
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
