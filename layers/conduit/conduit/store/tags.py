"""Tag counters, read most-used first from the TagsByCount index."""

from __future__ import annotations

from conduit.store import keys, ops

MAX_TAGS_LISTED = 200


def popular() -> list[str]:
    rows = ops.query(keys.TAGS_PARTITION, index=keys.TAGS_BY_COUNT_INDEX, newest_first=True, limit=MAX_TAGS_LISTED)
    return [row["PK"].removeprefix("TAG#") for row in rows if row.get("tagCount", 0) > 0]
