"""Favorite edges (ARTICLE#<aid> / FAVBY#<uid>) and their counters; no favorite touches the article's item.

A favorite's transaction holds only items of its own user: the edge, the user's `favoritesCount`,
and the user's *pending marker* for the article (ARTICLE#<aid> / FAVPENDING#<uid>, `delta` moved by
+1 or -1). So concurrent favorites of one article never cancel each other (TransactionConflict).
The article's `favoritesCount` is then *folded* from the markers: one transaction adds their sum
to it and deletes each marker on the condition that its delta is still the one read, so every
marker is counted exactly once. Always, for an article that is not being deleted:

    article.favoritesCount + sum(marker deltas) == number of FAVBY# edges

Who folds: the request itself, right after its commit, when the article has few pending markers
(QUIET_PENDING; a quiet article shows the new count at once), and FavoritesFoldFunction on the
table's stream (functions/favorites_fold) for the rest. The fold of an article being deleted or gone
*undoes* its pending favorites instead (edge, user count and marker go together), so a favorite
that raced the article's deletion leaves nothing behind.

What a reader sees (services.relations): the article's folded count plus the viewer's own marker,
so one's own favorite shows at once; others' show once folded. The two come from one BatchGetItem, not
a snapshot: a fold between its reads shows the viewer's own pending favorite twice or not at all in that
answer; the stored counts stay exact (docs/scale.md#favorites-the-fold says why it is not closed).
"""

from __future__ import annotations

from contextlib import suppress

from conduit.errors import ArticleNotFound, Unavailable
from conduit.store import edges, keys, ops, stream
from conduit.store import transactions as tx
from conduit.store.client import Item
from conduit.store.conditions import ARTICLE_OPEN, EXISTS

FOLD_BATCH = 99  # markers per fold transaction (+ the article: TransactWriteItems takes 100 actions)
QUIET_PENDING = 8  # the request folds only an article with at most this many pending markers
FOLD_ROUNDS = 20  # a fold stops after this many transactions (the stream brings it back)


def favorite(aid: str, uid: str) -> bool:
    """Add the edge and count it once; returns False if it was already there."""
    edge = edges.edge(keys.favorite(aid, uid), "favorite", keys.favorited_partition(uid), aid)
    added = edges.change(
        [
            tx.put_new(edge),
            tx.add_to_counter(keys.pending_favorite(aid, uid), "delta", 1),
            tx.add_to_counter(keys.user(uid), "favoritesCount", 1, must_exist=True),
        ]
    )
    if not added:
        return False
    if fold_if_quiet(aid) is False:  # the article is being deleted or gone: the fold undid this favorite
        raise ArticleNotFound()
    return True


def unfavorite(aid: str, uid: str) -> bool:
    """Remove the edge and uncount it once; returns False if there was none."""
    removed = edges.change(
        [
            tx.delete(keys.favorite(aid, uid), EXISTS),
            tx.add_to_counter(keys.pending_favorite(aid, uid), "delta", -1),
            tx.add_to_counter(keys.user(uid), "favoritesCount", -1, must_exist=True),
        ]
    )
    if not removed:
        return False
    fold_if_quiet(aid)
    return True


def remove_edge_of_deleted_article(aid: str, uid: str) -> None:
    """Remove one favorite edge of an article being deleted, uncounting it on both sides (on the
    article's own count: nobody favorites it any more, and no marker is left for the cleanup). Nothing
    to do when a concurrent unfavorite, cleanup or undo removed the edge first."""
    try:
        ops.transact(
            [
                tx.delete(keys.favorite(aid, uid), EXISTS),
                tx.add_to_counter(keys.article(aid), "favoritesCount", -1, must_exist=True),
                tx.add_to_counter(keys.user(uid), "favoritesCount", -1, must_exist=True),
            ]
        )
    except ops.TransactionCancelled as cancelled:
        if not cancelled.failed(0):
            raise


def article_to_fold(change: stream.Change) -> str | None:
    """The article a stream change asks to fold: a pending marker put or changed (not one folded away)."""
    if isinstance(change, stream.PendingFavoriteChange) and change.event in (stream.INSERT, stream.MODIFY):
        return change.article_id
    return None


def pending(aid: str, limit: int | None = None) -> list[Item]:
    """The article's pending markers (one consistent Query of its partition)."""
    return ops.query(
        keys.article_partition(aid),
        sk_prefix=keys.PENDING_FAVORITE_PREFIX,
        limit=limit,
        projection=("PK", "SK", "delta"),
        consistent=True,
    )


def fold_if_quiet(aid: str) -> bool | None:
    """The request's own fold: only when at most QUIET_PENDING markers wait (a busy article is left
    to the stream's fold, so requests never queue up on its item), and best effort - a fault here
    never turns the committed favorite into an error. True: folded; False: the article is closed
    (deleting or gone) and its pending favorites were undone; None: left to the stream."""
    try:
        markers = pending(aid, QUIET_PENDING + 1)
        if not markers or len(markers) > QUIET_PENDING:
            return None
        return _fold_once(aid, markers)
    except (Unavailable, ops.TransactionCancelled):
        return None


def fold(aid: str) -> bool:
    """Fold every pending marker of the article (the stream consumer's call), batch by batch.
    Returns False if the article was closed (its pending favorites undone). A marker changed
    between the read and the transaction cancels it; the next round reads it again."""
    for _ in range(FOLD_ROUNDS):
        markers = pending(aid, FOLD_BATCH)
        if not markers:
            return True
        try:
            if not _fold_once(aid, markers):
                return False
        except ops.TransactionCancelled:
            continue
    return True


def _fold_once(aid: str, markers: list[Item]) -> bool:
    """One transaction: the article's favoritesCount += the markers' deltas, each marker deleted if
    its delta is still the one read. False (and the undo) if the article is closed."""
    actions = [
        tx.update(keys.article(aid), "ADD favoritesCount :n", ARTICLE_OPEN, n=sum(int(m["delta"]) for m in markers)),
        *(tx.delete(_key(m), "delta = :d", d=int(m["delta"])) for m in markers),
    ]
    try:
        ops.transact(actions)
    except ops.TransactionCancelled as cancelled:
        if cancelled.failed(0):
            undo(aid)
            return False
        raise
    return True


def undo(aid: str) -> int:
    """The article is being deleted or gone: each pending favorite goes with its edge and its user's
    count (a favorite that raced the deletion); the others are folded while the article exists and
    dropped once it is gone. Returns how many favorites were undone."""
    undone = 0
    for _ in range(FOLD_ROUNDS):
        markers = pending(aid, FOLD_BATCH)
        if not markers:
            break
        for marker in markers:
            undone += _undo_one(aid, marker)
    return undone


def _undo_one(aid: str, marker: Item) -> int:
    uid, delta = keys.suffix(marker["SK"]), int(marker["delta"])
    mark = tx.delete(_key(marker), "delta = :d", d=delta)
    if delta > 0:  # the edge it counts goes, with its user's count
        edge = tx.delete(keys.favorite(aid, uid), EXISTS)
        try:
            ops.transact([edge, mark, tx.add_to_counter(keys.user(uid), "favoritesCount", -1, must_exist=True)])
            return 1
        except ops.TransactionCancelled as cancelled:
            if cancelled.failed(1):
                return 0  # the marker moved meanwhile: the next round reads it again
            if not cancelled.failed(0):  # the user is gone (their account's purge): edge and marker still go
                ops.transact([edge, mark])
                return 1
            # the edge is gone already: the deletion's cleanup took it off the article's count
    # no edge behind it: folded while the article exists (its count stays exact), dropped once it is gone
    with suppress(ops.TransactionCancelled):
        ops.transact([tx.update(keys.article(aid), "ADD favoritesCount :n", EXISTS, n=delta), mark])
        return 0
    with suppress(ops.ConditionFailed):
        ops.delete_item(_key(marker), "delta = :d", d=delta)
    return 0


def _key(marker: Item) -> keys.Key:
    return {"PK": marker["PK"], "SK": marker["SK"]}
