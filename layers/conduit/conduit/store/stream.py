"""The table's DynamoDB Streams records, read as typed changes, and the in-order handling of a batch.

Only keys, the event name and the article's author are read from a record; its images are never
logged (they hold bodies and password hashes). A consumer (functions/feed_fanout) hands each change
to its `apply`; the first record that fails is logged and reported (ReportBatchItemFailures), so
Lambda retries the batch from it, and the records after it are not attempted.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from conduit import observability
from conduit.store import keys

INSERT, MODIFY, REMOVE = "INSERT", "MODIFY", "REMOVE"


@dataclass(frozen=True, slots=True)
class _Change:
    event: str  # INSERT, MODIFY or REMOVE


@dataclass(frozen=True, slots=True)
class ArticleChange(_Change):
    """An article item written (INSERT), changed (MODIFY) or deleted (REMOVE); `author_id` from its
    new image on INSERT, its old one otherwise (None when the image has none)."""

    article_id: str
    author_id: str | None


@dataclass(frozen=True, slots=True)
class FollowChange(_Change):
    """A follow edge `follower` -> `followee` put (INSERT) or deleted (REMOVE)."""

    follower: str
    followee: str


@dataclass(frozen=True, slots=True)
class PendingFavoriteChange(_Change):
    """A pending favorite marker of an article put, changed (INSERT, MODIFY) or folded away (REMOVE)."""

    article_id: str


Change = ArticleChange | FollowChange | PendingFavoriteChange


def parse(record: dict[str, Any]) -> Change | None:
    """The change a record describes, or None for an item no consumer follows (users, comments, ...)."""
    event = str(record.get("eventName") or "")
    change = record.get("dynamodb") or {}
    raw_key = change.get("Keys") or {}
    key = {"PK": _string(raw_key, "PK") or "", "SK": _string(raw_key, "SK") or ""}
    article_id = keys.article_id_of(key)
    if article_id is not None:
        image = change.get("NewImage" if event == INSERT else "OldImage") or {}
        return ArticleChange(event, article_id, _string(image, "authorId"))
    return _child_change(event, key)


def _child_change(event: str, key: keys.Key) -> Change | None:
    """A change of an edge or marker (an item that is not an article)."""
    edge = keys.follow_of(key)
    if edge is not None:
        return FollowChange(event, *edge)
    marked = keys.pending_favorite_article_of(key)
    if marked is not None:
        return PendingFavoriteChange(event, marked)
    return None


def handle_in_order(event: dict[str, Any], apply: Callable[[Change], int]) -> dict[str, Any]:
    """Apply every record's change in order; the Lambda answer names the first that failed, if any."""
    for record in event.get("Records") or []:
        try:
            change = parse(record)
            if change is not None:
                apply(change)
        except Exception as error:  # reported: Lambda retries the batch from this record
            return _failed(record, error)
    return {"batchItemFailures": []}


def handle_once_per(
    event: dict[str, Any], subject_of: Callable[[Change], str | None], apply: Callable[[str], object]
) -> dict[str, Any]:
    """Apply once per subject (e.g. an article) named by the batch's records, in the order of their
    first record; the first subject that fails is logged and reported by that record, and Lambda
    retries the batch from it."""
    first_records: dict[str, dict[str, Any]] = {}
    for record in event.get("Records") or []:
        change = parse(record)
        subject = subject_of(change) if change is not None else None
        if subject is not None:
            first_records.setdefault(subject, record)
    for subject, record in first_records.items():
        try:
            apply(subject)
        except Exception as error:  # reported: Lambda retries the batch from this subject's first record
            return _failed(record, error)
    return {"batchItemFailures": []}


def _failed(record: dict[str, Any], error: Exception) -> dict[str, Any]:
    """Log a record that failed (names only: a message could quote the item) and report it."""
    sequence = str((record.get("dynamodb") or {}).get("SequenceNumber") or "")
    observability.logger().warning(
        "stream record failed",
        extra={
            "sequenceNumber": sequence,
            "eventName": record.get("eventName"),
            "error": type(error).__name__,
            "cause": type(error.__cause__).__name__ if error.__cause__ else None,
        },
    )
    return {"batchItemFailures": [{"itemIdentifier": sequence}]}


def _string(attributes: dict[str, Any], name: str) -> str | None:
    value = (attributes.get(name) or {}).get("S")
    return value if isinstance(value, str) else None
