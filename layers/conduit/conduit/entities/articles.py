"""Articles as the services see them: a slug's reference, an article in a list, one article whole.

The store builds these from its items (store.articles, store.listings); nothing here knows DynamoDB.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal


@dataclass(frozen=True, slots=True)
class SlugRef:
    """What a slug names: the article and its author (the slug marker)."""

    article_id: str
    author_id: str


@dataclass(frozen=True, slots=True)
class ArticleSummary:
    """An article as a list shows it: everything but its body. `favorites_count` is the folded count
    (store.favorites); a viewer's own pending favorite is added when shown (entities.relations)."""

    id: str
    slug: str
    title: str
    description: str
    tag_list: tuple[str, ...]
    author_id: str
    created_at: str
    updated_at: str
    favorites_count: int


@dataclass(frozen=True, slots=True)
class Article(ArticleSummary):
    """One article as stored, with its body and what a change of it must carry: the version it was read
    at (the write's optimistic check), the shard its counters live on, whether its deletion began."""

    body: str
    version: int
    counter_shard: int | None = None
    deleting: bool = False


@dataclass(frozen=True, slots=True)
class Draft:
    """A new article as its author wrote it; the store publishes it under `slug` (or refuses the slug)."""

    id: str
    slug: str
    title: str
    description: str
    body: str
    tag_list: tuple[str, ...]
    author_id: str
    created_at: str


@dataclass(frozen=True, slots=True)
class Edit:
    """An author's change of an article: the fields given (None: unchanged), when, and its slug."""

    updated_at: str
    slug: str
    title: str | None = None
    description: str | None = None
    body: str | None = None
    tag_list: tuple[str, ...] | None = None


@dataclass(frozen=True, slots=True)
class UserTotal:
    """A list's total kept on a user's item: the articles they wrote, favorited, or have in their feed."""

    user_id: str
    of: Literal["authored", "favorited", "feed"]
