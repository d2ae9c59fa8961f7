"""In-memory FeedStore (conduit.ports.feed): the fan-out entries as the stream would have kept them."""

from __future__ import annotations

from tests.unit.fakes.content import Content


class FakeFeed:
    def __init__(self, content: Content) -> None:
        self.content = content

    def page_ids(self, viewer: str, offset: int, limit: int) -> list[str]:
        return sorted(self.content.feeds.get(viewer, []), reverse=True)[offset : offset + limit]
