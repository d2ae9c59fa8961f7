"""DynamoDB Streams consumer: keeps the FEED#<follower> entries that FEED_MODE=fan-out reads.

Article INSERT -> an entry per follower; article REMOVE -> those entries go; follow INSERT ->
backfill of the followee's newest articles; follow REMOVE -> that author's entries go. Records are
handled in order; the first that fails is reported (ReportBatchItemFailures) and Lambda retries
from it. Every write is conditional, so replaying a record is harmless.
"""

from __future__ import annotations

from typing import Any

from conduit.store import feed, keys


def handle_record(record: dict[str, Any]) -> int:
    """Apply one stream record; returns how many feed entries it created or deleted."""
    event = record.get("eventName")
    change = record.get("dynamodb", {})
    key = change.get("Keys", {})
    pk, sk = key.get("PK", {}).get("S", ""), key.get("SK", {}).get("S", "")
    if pk.startswith("ARTICLE#") and sk == "ARTICLE":
        image = change.get("NewImage" if event == "INSERT" else "OldImage", {})
        author = image.get("authorId", {}).get("S")
        if not author:
            return 0
        aid = keys.suffix(pk)
        if event == "INSERT":
            return feed.on_article_created(author, aid)
        if event == "REMOVE":
            return feed.on_article_removed(author, aid)
    elif pk.startswith("USER#") and sk.startswith(keys.FOLLOWS_PREFIX):
        follower, followee = keys.suffix(pk), keys.suffix(sk)
        if event == "INSERT":
            return feed.on_follow(follower, followee)
        if event == "REMOVE":
            return feed.on_unfollow(follower, followee)
    return 0


def handler(event: dict[str, Any], context: Any) -> dict[str, Any]:
    for record in event.get("Records", []):
        try:
            handle_record(record)
        except Exception:  # reported: Lambda retries the batch from this record
            sequence = record.get("dynamodb", {}).get("SequenceNumber", "")
            return {"batchItemFailures": [{"itemIdentifier": sequence}]}
    return {"batchItemFailures": []}
