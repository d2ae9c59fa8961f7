"""Comments under an article: add, page through, delete (the delete's condition decides who may)."""

from __future__ import annotations

from typing import Protocol

from conduit.entities.comments import Comment
from conduit.ports import Accessor


class CommentStore(Protocol):
    def add(self, aid: str, author: str, body: str) -> Comment:
        """The new comment, numbered after the article's last (ArticleNotFound if it is gone or being
        deleted)."""
        ...

    def page(self, aid: str, limit: int, offset: int = 0, after: int | None = None) -> list[Comment]:
        """Oldest first: `limit` after skipping `offset`, starting after the comment numbered `after`."""
        ...

    def delete(self, aid: str, comment_id: int, actor: str, moderating: bool = False) -> None:
        """Delete it if `actor` wrote it or is `moderating` (NotAuthor, CommentNotFound)."""
        ...


def _dynamodb() -> CommentStore:
    from conduit.store import comments

    return comments


store = Accessor[CommentStore](_dynamodb)
