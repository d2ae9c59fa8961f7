"""Favorite edges (ARTICLE#<aid> / FAVBY#<uid>) and the counters they move, written together."""

from __future__ import annotations

from contextlib import suppress

from conduit.errors import NotFound
from conduit.store import keys, ops
from conduit.store import transactions as tx
from conduit.store.ids import iso_now


def favorite(aid: str, uid: str) -> bool:
    """Add the edge and count it once; returns False if it was already there."""
    edge = {
        **keys.favorite(aid, uid),
        "type": "favorite",
        "GSI1PK": keys.favorited_partition(uid),
        "GSI1SK": aid,
        "createdAt": iso_now(),
    }
    try:
        ops.transact(
            [
                tx.put_new(edge),
                tx.add_to_counter(keys.article(aid), "favoritesCount", 1, must_exist=True),
                tx.add_to_counter(keys.user(uid), "favoritesCount", 1, must_exist=True),
            ]
        )
    except ops.TransactionCancelled as cancelled:
        if cancelled.failed(0):
            return False
        if cancelled.failed(1):
            raise NotFound("article") from None
        raise
    return True


def unfavorite(aid: str, uid: str) -> bool:
    """Remove the edge and uncount it once; returns False if there was none."""
    try:
        ops.transact(
            [
                tx.delete(keys.favorite(aid, uid), "attribute_exists(PK)"),
                tx.add_to_counter(keys.article(aid), "favoritesCount", -1, must_exist=True),
                tx.add_to_counter(keys.user(uid), "favoritesCount", -1, must_exist=True),
            ]
        )
    except ops.TransactionCancelled as cancelled:
        if cancelled.failed(0):
            return False
        if cancelled.failed(1):
            raise NotFound("article") from None
        raise
    return True


def remove_edge_of_deleted_article(aid: str, uid: str) -> None:
    # Cancelled when a concurrent cleanup removed the edge first, or the user is gone: nothing to do.
    with suppress(ops.TransactionCancelled):
        ops.transact(
            [
                tx.delete(keys.favorite(aid, uid), "attribute_exists(PK)"),
                tx.add_to_counter(keys.user(uid), "favoritesCount", -1, must_exist=True),
            ]
        )
