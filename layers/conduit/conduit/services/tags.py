"""Tags, most used first (never derived from articles: read from the tag counters)."""

from __future__ import annotations

from conduit.store import tags as stored_tags


def popular() -> list[str]:
    return stored_tags.popular()
