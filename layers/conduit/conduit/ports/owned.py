"""What an account owns, for its purge: one page of each kind after a cursor, and removing one of each.

Every removal is idempotent and moves every counter exactly (it is the store's own delete, unfavorite,
unfollow); removing what is already gone answers False (nothing counted)."""

from __future__ import annotations

from typing import Protocol

from conduit.entities.lifecycle import Cursor, FeedEntry, Follow, OwnedArticle, OwnedComment, OwnedFavorite
from conduit.ports import Accessor


class OwnedContent(Protocol):
    def articles(self, uid: str, after: Cursor | None, limit: int) -> list[OwnedArticle]: ...

    def remove_article(self, uid: str, article_id: str) -> bool:
        """The article with its comments (everyone's), favorites, slug, tags and counters."""
        ...

    def unfeed_article(self, author: str, article_id: str) -> None:
        """Remove the article from its author's followers' feeds (FEED_MODE=fan-out)."""
        ...

    def comments(self, uid: str, after: Cursor | None, limit: int) -> list[OwnedComment]:
        """The account's comments under any article (its own articles' go with them too)."""
        ...

    def remove_comment(self, uid: str, comment: OwnedComment) -> bool: ...

    def favorites(self, uid: str, after: Cursor | None, limit: int) -> list[OwnedFavorite]: ...

    def unfavorite(self, uid: str, article_id: str) -> bool: ...

    def following(self, uid: str, after: Cursor | None, limit: int) -> list[Follow]:
        """The account's edges to whom it follows (a consistent read)."""
        ...

    def followers(self, uid: str, after: Cursor | None, limit: int) -> list[Follow]:
        """Others' edges to the account."""
        ...

    def unfollow(self, follow: Follow) -> None: ...

    def unfeed_followee(self, follow: Follow) -> None:
        """Remove the followee's articles from the follower's feed (FEED_MODE=fan-out)."""
        ...

    def feed(self, uid: str, after: Cursor | None, limit: int) -> list[FeedEntry]:
        """The account's own feed entries (a consistent read)."""
        ...

    def remove_feed_entry(self, uid: str, entry: FeedEntry) -> None: ...


def _dynamodb() -> OwnedContent:
    from conduit.store import owned

    return owned


store = Accessor[OwnedContent](_dynamodb)
