"""What the content fakes share: one in-memory 'table' of users, articles, comments and edges.

Each area's fake (articles.py, listings.py, comments.py, favorites.py, follows.py, feed.py,
relations.py) reads and writes this state, so a favorite shows in the relations, a deleted article's
comments go with it, etc. `calls` counts what the services asked of the store (their round trips).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field, replace

from conduit.entities.articles import Article, SlugRef
from conduit.entities.comments import Comment
from conduit.entities.profiles import Author


@dataclass
class Content:
    users: dict[str, Author] = field(default_factory=dict)
    usernames: dict[str, str] = field(default_factory=dict)  # the username markers: name -> user id
    articles: dict[str, Article] = field(default_factory=dict)
    slugs: dict[str, SlugRef] = field(default_factory=dict)  # the slug markers
    comments: dict[str, list[Comment]] = field(default_factory=dict)  # article id -> its comments, oldest first
    comment_seq: Counter[str] = field(default_factory=Counter)
    favorites: set[tuple[str, str]] = field(default_factory=set)  # (article id, user id)
    pending: Counter[tuple[str, str]] = field(default_factory=Counter)  # not yet folded into the count
    follows: set[tuple[str, str]] = field(default_factory=set)  # (follower, followee)
    feeds: dict[str, list[str]] = field(default_factory=dict)  # follower -> article ids (fan-out entries)
    calls: Counter[str] = field(default_factory=Counter)

    def add_user(self, uid: str, username: str | None = None, bio: str | None = None) -> Author:
        self.users[uid] = Author(uid, username or uid, bio=bio, image=None)
        self.usernames[self.users[uid].username] = uid
        return self.users[uid]

    def open_article(self, aid: str) -> Article | None:
        """The article, unless it is gone or being deleted (what ARTICLE_OPEN requires)."""
        article = self.articles.get(aid)
        return article if article and not article.deleting else None

    def fold(self) -> None:
        """The favorites' fold (store.favorites.fold): pending deltas into the articles' counts."""
        for (aid, uid), delta in list(self.pending.items()):
            article = self.articles[aid]
            self.articles[aid] = replace(article, favorites_count=article.favorites_count + delta)
            del self.pending[(aid, uid)]
