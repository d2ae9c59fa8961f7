"""Content for the service tests: articles put straight into the fakes' state."""

from __future__ import annotations

from conduit.entities.articles import Article, SlugRef
from tests.unit.fakes.content import Content

WHEN = "2026-12-01T00:00:00.000Z"


def article(
    content: Content, aid: str, author: str, slug: str | None = None, tags: tuple[str, ...] = (), favorites: int = 0
) -> Article:
    """An article by `author` (ids sort as they were published: "a1" < "a2" ...)."""
    stored = Article(
        aid, slug or f"slug-{aid}", f"Title {aid}", "about", tags, author, WHEN, WHEN, favorites, body="text", version=1
    )
    content.articles[aid] = stored
    content.slugs[stored.slug] = SlugRef(aid, author)
    return stored
