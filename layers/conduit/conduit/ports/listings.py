"""Lists of articles: one page of ids per list, the lists' totals, and a page's articles in one batch."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

from conduit.entities.articles import ArticleSummary, SlugRef, UserTotal
from conduit.ports import Accessor


class ListingStore(Protocol):
    """Each `*_ids` reads one page, newest first: `limit` ids after skipping `offset`."""

    def recent_ids(self, offset: int, limit: int) -> list[str]: ...

    def tagged_ids(self, tag: str, offset: int, limit: int) -> list[str]: ...

    def authored_ids(self, uid: str, offset: int, limit: int) -> list[str]: ...

    def favorited_ids(self, uid: str, offset: int, limit: int) -> list[str]: ...

    def article_total(self) -> int: ...

    def tag_total(self, tag: str) -> int: ...

    def authored_total(self, authors: Sequence[str]) -> int:
        """How many articles these authors wrote together (their counters, one batch)."""
        ...

    def summaries(self, ids: Sequence[str], total: UserTotal | None = None) -> tuple[list[ArticleSummary], int | None]:
        """The articles of `ids` that exist, in that order, and `total` read in the same batch (None
        without one)."""
        ...

    def slug_refs(self, slugs: Sequence[str]) -> list[SlugRef | None]:
        """What each slug names, in order (one batch)."""
        ...

    def bodies(self, article_ids: Sequence[str]) -> dict[str, str]:
        """The bodies of those articles that exist (one batch)."""
        ...


def _dynamodb() -> ListingStore:
    from conduit.store import listings

    return listings


store = Accessor[ListingStore](_dynamodb)
