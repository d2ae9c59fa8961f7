"""Comments on articles."""

from __future__ import annotations

from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

from conduit import observability
from conduit.authz import Role, may_moderate
from conduit.entities.comments import Comment
from conduit.errors import ArticleNotFound, CommentNotFound, found
from conduit.ports import articles as article_port
from conduit.ports import comments as comment_port
from conduit.services import relations
from conduit.services.paging import Page
from conduit.services.views import CommentView, comment_view


def _article_id(slug: str) -> str:
    return found(article_port.store().find_by_slug(slug), ArticleNotFound).article_id


def add(slug: str, viewer: str, body: str) -> CommentView:
    comment = comment_port.store().add(_article_id(slug), viewer, body)
    observability.count("CommentPosted")
    return comment_view(comment, relations.author(relations.load(viewer, [viewer]), viewer))


@dataclass(frozen=True, slots=True)
class Wanted:
    """One page of one article's comments: `limit` after skipping `offset`, after the comment `after`."""

    article_id: str
    limit: int
    offset: int = 0
    after: int | None = None


def list_for(slug: str, viewer: str | None, page: Page, after: int | None = None) -> list[CommentView]:
    """A page of an article's comments, oldest first (the page's size is capped by
    services.paging.COMMENTS_PAGE_MAX, so the answer fits a Lambda response)."""
    return pages([Wanted(_article_id(slug), page.limit, page.offset, after)], viewer)[0]


def pages(wanted: Sequence[Wanted], viewer: str | None) -> list[list[CommentView]]:
    """Pages of comments of several articles (GraphQL's batched `Article.comments`): one Query per
    page, in parallel when there are several, then one BatchGetItem for every comment author."""
    unique = list(dict.fromkeys(wanted))

    def read(one: Wanted) -> list[Comment]:
        return comment_port.store().page(one.article_id, one.limit, one.offset, one.after)

    if len(unique) == 1:
        found = {unique[0]: read(unique[0])}
    else:
        with ThreadPoolExecutor(max_workers=max(1, min(8, len(unique)))) as pool:
            found = dict(zip(unique, pool.map(read, unique), strict=True))
    seen = relations.load(viewer, {c.author_id for listed in found.values() for c in listed})
    return [[comment_view(c, relations.author(seen, c.author_id)) for c in found[one]] for one in wanted]


ID_DIGITS = 12  # comment ids are stored zero-padded to 12 digits (store.keys.comment)


def parse_id(raw: str) -> int:
    """A comment id from a path: ASCII digits, at most ID_DIGITS of them; anything else names no
    comment (404, as an id that does not exist)."""
    if not (raw.isascii() and raw.isdigit()) or len(raw) > ID_DIGITS:
        raise CommentNotFound()
    return int(raw)


def delete(slug: str, comment_id: int, viewer: str, role: Role | None = None) -> None:
    """The author deletes their comment; moderators and admins may delete anyone's."""
    comment_port.store().delete(_article_id(slug), comment_id, viewer, may_moderate(role))
