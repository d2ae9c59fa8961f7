"""Tag counters, read most-used first from the TagsByCount index."""

from __future__ import annotations

from conduit.store import counters

MAX_TAGS_LISTED = 200


def popular() -> list[str]:
    return counters.popular_tags(MAX_TAGS_LISTED)
