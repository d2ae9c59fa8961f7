"""Data export jobs: EXPORT#<uid> / <export id> (state, the S3 key of the document once written),
expired by TTL with the document (the bucket's lifecycle rule deletes it after EXPORT_RETENTION_DAYS)."""

from __future__ import annotations

import time

from conduit.store import keys, ops
from conduit.store.client import Item
from conduit.store.conditions import ABSENT, EXISTS
from conduit.store.ids import iso_now

EXPORT_RETENTION_DAYS = 7


def create(uid: str, export_id: str) -> Item:
    job = {
        **keys.export_job(uid, export_id),
        "type": "export",
        "id": export_id,
        "userId": uid,
        "state": "pending",
        "requestedAt": iso_now(),
        "expiresAt": int(time.time()) + EXPORT_RETENTION_DAYS * 24 * 3600,
    }
    ops.put_item(job, ABSENT)
    return job


def get(uid: str, export_id: str) -> Item | None:
    key = keys.export_job(uid, export_id)
    return ops.get_item(key, consistent=True) if keys.storable(key) else None


def finish(uid: str, export_id: str, object_key: str) -> None:
    ops.update_item(
        keys.export_job(uid, export_id),
        "SET #state = :done, objectKey = :objectKey, finishedAt = :now",
        EXISTS,
        {"#state": "state"},
        done="ready",
        objectKey=object_key,
        now=iso_now(),
    )
