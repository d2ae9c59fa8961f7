"""The fan-out feed (FEED_MODE=fan-out): a follower's entries, kept from the table's stream."""

from __future__ import annotations

from typing import Protocol

from conduit.ports import Accessor


class FeedStore(Protocol):
    def page_ids(self, viewer: str, offset: int, limit: int) -> list[str]:
        """The viewer's newest feed entries' article ids: `limit` after skipping `offset`."""
        ...


def _dynamodb() -> FeedStore:
    from conduit.store import feed

    return feed


store = Accessor[FeedStore](_dynamodb)
