"""In-memory FavoriteStore (conduit.ports.favorites): once per user, on an open article; counted as
store.favorites counts: a pending delta of the user's own until `Content.fold()` (unless
`fold_at_once`, as a quiet article is folded by the request itself)."""

from __future__ import annotations

from conduit.errors import ArticleNotFound
from tests.unit.fakes.content import Content


class FakeFavorites:
    def __init__(self, content: Content, fold_at_once: bool = False) -> None:
        self.content = content
        self.fold_at_once = fold_at_once

    def favorite(self, aid: str, uid: str) -> bool:
        if (aid, uid) in self.content.favorites:
            return False
        if self.content.open_article(aid) is None:
            raise ArticleNotFound()
        self.content.favorites.add((aid, uid))
        return self._count(aid, uid, 1)

    def unfavorite(self, aid: str, uid: str) -> bool:
        if (aid, uid) not in self.content.favorites:
            return False
        self.content.favorites.discard((aid, uid))
        return self._count(aid, uid, -1)

    def _count(self, aid: str, uid: str, delta: int) -> bool:
        self.content.pending[(aid, uid)] += delta
        if self.fold_at_once:
            self.content.fold()
        return True
