"""In-memory TagStore (conduit.ports.tags): tags with their article counts."""

from __future__ import annotations

from collections import Counter


class FakeTags:
    def __init__(self) -> None:
        self.counts: Counter[str] = Counter()
        self.reads = 0

    def popular(self) -> list[str]:
        self.reads += 1
        return [tag for tag, count in self.counts.most_common() if count > 0]
