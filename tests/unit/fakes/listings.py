"""In-memory ListingStore (conduit.ports.listings): pages of ids newest first (ids are time-ordered),
totals from the state, a page's summaries in one 'batch' (counted in `calls`)."""

from __future__ import annotations

from collections.abc import Sequence

from conduit.entities.articles import ArticleSummary, SlugRef, UserTotal
from tests.unit.fakes.content import Content


class FakeListings:
    def __init__(self, content: Content) -> None:
        self.content = content

    def _page(self, ids: list[str], offset: int, limit: int) -> list[str]:
        return sorted(ids, reverse=True)[offset : offset + limit]

    def recent_ids(self, offset: int, limit: int) -> list[str]:
        return self._page(list(self.content.articles), offset, limit)

    def tagged_ids(self, tag: str, offset: int, limit: int) -> list[str]:
        return self._page([a.id for a in self.content.articles.values() if tag in a.tag_list], offset, limit)

    def authored_ids(self, uid: str, offset: int, limit: int) -> list[str]:
        self.content.calls["listings.authored_ids"] += 1
        return self._page([a.id for a in self.content.articles.values() if a.author_id == uid], offset, limit)

    def favorited_ids(self, uid: str, offset: int, limit: int) -> list[str]:
        return self._page([aid for aid, fan in self.content.favorites if fan == uid], offset, limit)

    def article_total(self) -> int:
        return len(self.content.articles)

    def tag_total(self, tag: str) -> int:
        return sum(1 for a in self.content.articles.values() if tag in a.tag_list)

    def authored_total(self, authors: Sequence[str]) -> int:
        return sum(1 for a in self.content.articles.values() if a.author_id in authors)

    def summaries(self, ids: Sequence[str], total: UserTotal | None = None) -> tuple[list[ArticleSummary], int | None]:
        self.content.calls["listings.summaries"] += 1
        page: list[ArticleSummary] = [self.content.articles[aid] for aid in ids if aid in self.content.articles]
        return page, self._total(total) if total else None

    def _total(self, total: UserTotal) -> int:
        if total.of == "authored":
            return self.authored_total([total.user_id])
        if total.of == "favorited":
            return sum(1 for _, fan in self.content.favorites if fan == total.user_id)
        return len(self.content.feeds.get(total.user_id, []))

    def slug_refs(self, slugs: Sequence[str]) -> list[SlugRef | None]:
        self.content.calls["listings.slug_refs"] += 1
        return [self.content.slugs.get(slug) for slug in slugs]

    def bodies(self, article_ids: Sequence[str]) -> dict[str, str]:
        self.content.calls["listings.bodies"] += 1
        return {aid: self.content.articles[aid].body for aid in article_ids if aid in self.content.articles}
