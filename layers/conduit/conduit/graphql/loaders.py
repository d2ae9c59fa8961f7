"""DataLoaders: what the fields of a page of articles need, fetched once for the whole page.

A page of articles comes from the services with its authors, `following` and `favorited` flags
already loaded in one BatchGetItem (services.relations), so those fields cost nothing more.
Fields the list endpoints do not return are batched here, per request:

- `markers`   slug -> what it names (SlugRef: article and author): one BatchGetItem for all the slugs
- `bodies`    slug -> body (lists are read without bodies): one BatchGetItem for all the articles
- `comments`  (slug, page size, cursor) -> a page of comments as the viewer sees them: one Query per
              article (in parallel) and one BatchGetItem for every comment author (services.comments.pages)
"""

from __future__ import annotations

from typing import Any

from strawberry.dataloader import DataLoader

from conduit.entities.articles import SlugRef
from conduit.errors import NotFound
from conduit.ports import listings as listing_port
from conduit.services import comments as comment_service

CommentPage = tuple[str, int, int | None]


class Loaders:
    def __init__(self) -> None:
        self.markers: DataLoader[str, SlugRef | None] = DataLoader(load_fn=self._load_markers)
        self.bodies: DataLoader[str, str] = DataLoader(load_fn=self._load_bodies)
        self._comments: dict[str | None, DataLoader[CommentPage, list[dict[str, Any]]]] = {}

    def comments(self, viewer: str | None) -> DataLoader[CommentPage, list[dict[str, Any]]]:
        """Keys: (slug, how many, id of the comment to start after or None)."""
        if viewer not in self._comments:

            async def load(pages: list[CommentPage]) -> list[Any]:
                return await self._load_comments(pages, viewer)

            self._comments[viewer] = DataLoader(load_fn=load)
        return self._comments[viewer]

    async def _load_markers(self, slugs: list[str]) -> list[SlugRef | None]:
        return listing_port.store().slug_refs(slugs)

    async def _load_bodies(self, slugs: list[str]) -> list[Any]:
        refs = await self.markers.load_many(slugs)
        found = listing_port.store().bodies([ref.article_id for ref in refs if ref])
        return [found.get(ref.article_id, NotFound("article")) if ref else NotFound("article") for ref in refs]

    async def _load_comments(self, pages: list[CommentPage], viewer: str | None) -> list[Any]:
        markers = await self.markers.load_many([slug for slug, _, _ in pages])
        wanted = [
            comment_service.Wanted(marker.article_id, limit, after=after)
            for (_, limit, after), marker in zip(pages, markers, strict=True)
            if marker
        ]
        found = iter(comment_service.pages(wanted, viewer))
        return [next(found) if marker else NotFound("article") for marker in markers]
