"""Tags: the most used ones, read from the tag counters."""

from __future__ import annotations

from typing import Protocol

from conduit.ports import Accessor


class TagStore(Protocol):
    def popular(self) -> list[str]:
        """The tags in use, most used first (at most store.tags.MAX_TAGS_LISTED)."""
        ...


def _dynamodb() -> TagStore:
    from conduit.store import tags

    return tags


store = Accessor[TagStore](_dynamodb)
