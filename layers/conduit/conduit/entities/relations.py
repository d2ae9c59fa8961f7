"""What a page's viewer sees next to its content, read in one batch (store.relations).

Authors' profiles, the viewer's follow and favorite edges, the viewer's favorites not yet folded into
the articles' counts (pending markers, store.favorites), and for a single article the article itself.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from conduit.entities.articles import Article, ArticleSummary
from conduit.entities.profiles import Author


@dataclass(frozen=True, slots=True)
class Relations:
    authors: Mapping[str, Author] = field(default_factory=dict)
    followed: frozenset[str] = frozenset()  # user ids the viewer follows (of the page's authors)
    favorited: frozenset[str] = frozenset()  # article ids the viewer favorited (of the page's)
    pending: Mapping[str, int] = field(default_factory=dict)  # article id -> the viewer's unfolded delta
    article: Article | None = None  # the article asked for with the batch, if it exists

    def favorites_count(self, article: ArticleSummary) -> int:
        """The article's favoritesCount as this viewer sees it: folded + the viewer's own pending."""
        return article.favorites_count + self.pending.get(article.id, 0)

    def following(self, uid: str) -> bool:
        return uid in self.followed

    def has_favorited(self, aid: str) -> bool:
        return aid in self.favorited
