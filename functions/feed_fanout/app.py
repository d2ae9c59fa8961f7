"""DynamoDB Streams consumer: keeps the FEED#<follower> entries that FEED_MODE=fan-out reads.

Article INSERT -> an entry per follower; article REMOVE -> those entries go; follow INSERT ->
backfill of the followee's newest articles; follow REMOVE -> that author's entries go (store.feed).
Records are read by store.stream and handled in order; the first that fails is logged and reported
(ReportBatchItemFailures), and Lambda retries from it. Every write is conditional, so replaying a
record is harmless.
"""

from __future__ import annotations

from typing import Any

from conduit.store import feed, stream


def handler(event: dict[str, Any], context: Any) -> dict[str, Any]:
    return stream.handle_in_order(event, feed.apply)
