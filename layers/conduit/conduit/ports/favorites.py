"""Favorites: a user's favorite of an article, added or removed once however often asked."""

from __future__ import annotations

from typing import Protocol

from conduit.ports import Accessor


class FavoriteStore(Protocol):
    def favorite(self, aid: str, uid: str) -> bool:
        """False if it was there already (nothing changed); ArticleNotFound if the article is gone
        or being deleted."""
        ...

    def unfavorite(self, aid: str, uid: str) -> bool:
        """False if there was none (nothing changed)."""
        ...


def _dynamodb() -> FavoriteStore:
    from conduit.store import favorites

    return favorites


store = Accessor[FavoriteStore](_dynamodb)
