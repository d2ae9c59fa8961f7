"""Articles: publish, find by slug, read, change and delete one (the store's conditions decide who may)."""

from __future__ import annotations

from typing import Protocol

from conduit.entities.articles import Article, Draft, Edit, SlugRef
from conduit.ports import Accessor


class SlugTaken(Exception):
    """Another article holds the slug: nothing was written; the caller picks another slug."""


class AuthorMissing(Exception):
    """The author's user item does not exist (the account was deleted): nothing was written."""


class ArticleStore(Protocol):
    def create(self, draft: Draft) -> Article:
        """Publish under `draft.slug` (SlugTaken, AuthorMissing). Under an Idempotency-Key whose earlier
        attempt published already: that article as it is now (ArticleNotFound if deleted since)."""
        ...

    def find_by_slug(self, slug: str) -> SlugRef | None: ...

    def get(self, aid: str, consistent: bool = False) -> Article | None: ...

    def confirm_author(self, aid: str, editor: str) -> Article:
        """The article, if `editor` is its author and it is open (NotAuthor, ArticleNotFound,
        ChangedConcurrently otherwise): the empty edit's conditional write."""
        ...

    def update(self, current: Article, edit: Edit, editor: str) -> Article:
        """Apply `edit` if `editor` is the author and nobody changed it since `current` was read
        (SlugTaken when `edit.slug` is another article's; NotAuthor, ArticleNotFound, ChangedConcurrently)."""
        ...

    def delete(self, current: Article, deleter: str, moderating: bool = False) -> None:
        """Delete it with everything under it, if `deleter` is the author or `moderating`
        (NotAuthor, ArticleNotFound, ChangedConcurrently)."""
        ...


def _dynamodb() -> ArticleStore:
    from conduit.store import articles

    return articles


store = Accessor[ArticleStore](_dynamodb)
