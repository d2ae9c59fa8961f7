"""In-memory CommentStore (conduit.ports.comments): numbered per article, only on an open article,
deleted only by their author (or a moderator)."""

from __future__ import annotations

from conduit.entities.comments import Comment
from conduit.errors import ArticleNotFound, CommentNotFound, NotAuthor
from tests.unit.fakes.content import Content


class FakeComments:
    def __init__(self, content: Content, now: str = "2026-12-01T00:00:00.000Z") -> None:
        self.content = content
        self.now = now

    def add(self, aid: str, author: str, body: str) -> Comment:
        if self.content.open_article(aid) is None:
            raise ArticleNotFound()
        self.content.comment_seq[aid] += 1
        comment = Comment(self.content.comment_seq[aid], body, author, self.now, self.now)
        self.content.comments.setdefault(aid, []).append(comment)
        return comment

    def page(self, aid: str, limit: int, offset: int = 0, after: int | None = None) -> list[Comment]:
        self.content.calls["comments.page"] += 1
        listed = [c for c in self.content.comments.get(aid, []) if after is None or c.id > after]
        return listed[offset : offset + limit]

    def delete(self, aid: str, comment_id: int, actor: str, moderating: bool = False) -> None:
        listed = self.content.comments.get(aid, [])
        comment = next((c for c in listed if c.id == comment_id), None)
        if comment is None:
            raise CommentNotFound()
        if comment.author_id != actor and not moderating:
            raise NotAuthor("comment")
        listed.remove(comment)
