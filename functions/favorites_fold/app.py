"""DynamoDB Streams consumer: folds articles' pending favorite markers into their favoritesCount.

A marker (ARTICLE#<aid> / FAVPENDING#<uid>) inserted or changed -> store.favorites.fold(aid): one
transaction per batch of markers adds their sum to the article's count and deletes them (each on
the condition that its delta is unchanged), so a replayed record folds nothing twice. An article
being deleted or gone has its pending favorites undone instead. One batch folds each article once,
however many of its markers the batch holds; the first article that fails is reported
(ReportBatchItemFailures) and Lambda retries from its first record.
"""

from __future__ import annotations

from typing import Any

from conduit.store import favorites, keys


def article_of(record: dict[str, Any]) -> str | None:
    """The article whose pending marker the record inserted or changed; None for any other record."""
    if record.get("eventName") not in ("INSERT", "MODIFY"):
        return None
    key = record.get("dynamodb", {}).get("Keys", {})
    pk, sk = key.get("PK", {}).get("S", ""), key.get("SK", {}).get("S", "")
    if pk.startswith("ARTICLE#") and sk.startswith(keys.PENDING_FAVORITE_PREFIX):
        return keys.suffix(pk)
    return None


def handler(event: dict[str, Any], context: Any) -> dict[str, Any]:
    first_record: dict[str, str] = {}  # article -> the sequence number of its first record in the batch
    for record in event.get("Records", []):
        aid = article_of(record)
        if aid is not None:
            first_record.setdefault(aid, record.get("dynamodb", {}).get("SequenceNumber", ""))
    for aid, sequence in first_record.items():
        try:
            favorites.fold(aid)
        except Exception:  # reported: Lambda retries the batch from this article's first record
            return {"batchItemFailures": [{"itemIdentifier": sequence}]}
    return {"batchItemFailures": []}
