"""Comments on articles."""

from __future__ import annotations

from typing import Any

from conduit import observability
from conduit.errors import NotFound
from conduit.services import relations
from conduit.services.views import comment_view
from conduit.store import articles, comments


def _article_id(slug: str) -> str:
    marker = articles.find_by_slug(slug)
    if marker is None:
        raise NotFound("article")
    return marker["articleId"]


def add(slug: str, viewer: str, body: str) -> dict[str, Any]:
    comment = comments.add(_article_id(slug), viewer, body)
    observability.count("CommentPosted")
    seen = relations.load(viewer, [viewer])
    return comment_view(comment, seen.author(viewer))


def list_for(slug: str, viewer: str | None) -> list[dict[str, Any]]:
    found = comments.list_for(_article_id(slug))
    seen = relations.load(viewer, {c["authorId"] for c in found})
    return [comment_view(c, seen.author(c["authorId"])) for c in found]


def delete(slug: str, comment_id: int, viewer: str) -> None:
    comments.delete(_article_id(slug), comment_id, viewer)
