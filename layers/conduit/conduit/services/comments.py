"""Comments on articles."""

from __future__ import annotations

from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor

from conduit import observability
from conduit.authz import Role, may_moderate
from conduit.errors import NotFound
from conduit.services import relations
from conduit.services.views import CommentView, comment_view
from conduit.store import articles, comments


def _article_id(slug: str) -> str:
    marker = articles.find_by_slug(slug)
    if marker is None:
        raise NotFound("article")
    return marker["articleId"]


def add(slug: str, viewer: str, body: str) -> CommentView:
    comment = comments.add(_article_id(slug), viewer, body)
    observability.count("CommentPosted")
    seen = relations.load(viewer, [viewer])
    return comment_view(comment, seen.author(viewer))


def list_for(slug: str, viewer: str | None) -> list[CommentView]:
    aid = _article_id(slug)
    return list_for_articles([aid], viewer)[aid]


def list_for_articles(article_ids: Sequence[str], viewer: str | None) -> dict[str, list[CommentView]]:
    """Comments of several articles (GraphQL's batched `Article.comments`): one Query per article,
    in parallel when there are several, then one BatchGetItem for every comment author."""
    ids = list(dict.fromkeys(article_ids))
    if len(ids) == 1:
        found = {ids[0]: comments.list_for(ids[0])}
    else:
        with ThreadPoolExecutor(max_workers=max(1, min(8, len(ids)))) as pool:
            found = dict(zip(ids, pool.map(comments.list_for, ids), strict=True))
    seen = relations.load(viewer, {c["authorId"] for listed in found.values() for c in listed})
    return {aid: [comment_view(c, seen.author(c["authorId"])) for c in listed] for aid, listed in found.items()}


def delete(slug: str, comment_id: int, viewer: str, role: Role | None = None) -> None:
    """The author deletes their comment; moderators and admins may delete anyone's."""
    comments.delete(_article_id(slug), comment_id, viewer, may_moderate(role))
