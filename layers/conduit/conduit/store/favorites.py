"""Favorite edges (ARTICLE#<aid> / FAVBY#<uid>) and the counters they move, written together."""

from __future__ import annotations

from conduit.errors import ArticleNotFound
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
                # the article exists and its deletion has not begun (see store.articles.delete)
                tx.update(
                    keys.article(aid),
                    "ADD favoritesCount :delta",
                    "attribute_exists(PK) AND attribute_not_exists(deleting)",
                    delta=1,
                ),
                tx.add_to_counter(keys.user(uid), "favoritesCount", 1, must_exist=True),
            ]
        )
    except ops.TransactionCancelled as cancelled:
        if cancelled.failed(0):
            return False
        if cancelled.failed(1):
            raise ArticleNotFound() from None
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
            raise ArticleNotFound() from None
        raise
    return True


def remove_edge_of_deleted_article(aid: str, uid: str) -> None:
    """Remove one favorite edge of an article being deleted, uncounting it on both sides (the
    article still exists while its children go). Nothing to do when a concurrent unfavorite or
    cleanup removed the edge first."""
    try:
        ops.transact(
            [
                tx.delete(keys.favorite(aid, uid), "attribute_exists(PK)"),
                tx.add_to_counter(keys.article(aid), "favoritesCount", -1, must_exist=True),
                tx.add_to_counter(keys.user(uid), "favoritesCount", -1, must_exist=True),
            ]
        )
    except ops.TransactionCancelled as cancelled:
        if not cancelled.failed(0):
            raise
