"""Data export jobs: EXPORT#<uid> / <export id> (state, the S3 key of the document once written),
expired by TTL with the document (the bucket's lifecycle rule deletes it after EXPORT_RETENTION_DAYS);
and the reads of everything stored about a user that the document copies (keys and the ByOwner
index only). Implements conduit.ports.exports.ExportStore.
"""

from __future__ import annotations

import time

from conduit.entities.lifecycle import Attributes, CommentRecord, ExportJob, FavoriteRecord
from conduit.store import keys, ops, users
from conduit.store.client import Item
from conduit.store.conditions import ABSENT, EXISTS
from conduit.store.ids import iso_now

EXPORT_RETENTION_DAYS = 7
LAYOUT_FIELDS = {"PK", "SK", "GSI1PK", "GSI1SK", "GSI2PK", "GSI2SK", "type", "version"}  # never exported

# --- the job -------------------------------------------------------------------------------------


def create(uid: str, export_id: str) -> ExportJob:
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
    return _job(job)


def get(uid: str, export_id: str) -> ExportJob | None:
    key = keys.export_job(uid, export_id)
    item = ops.get_item(key, consistent=True) if keys.storable(key) else None
    return None if item is None else _job(item)


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


def _job(item: Item) -> ExportJob:
    return ExportJob(item["id"], item["userId"], item["state"], item["requestedAt"], item.get("objectKey"))


# --- what the document copies --------------------------------------------------------------------


def profile(uid: str) -> Attributes | None:
    user = users.get(uid, consistent=True)
    return None if user is None else _attributes(user)


def articles(uid: str) -> list[Attributes]:
    return [_attributes(a) for a in _items([keys.article(r["GSI1SK"]) for r in _index(keys.authored_partition(uid))])]


def comments(uid: str) -> list[CommentRecord]:
    found = _items([{"PK": r["PK"], "SK": r["SK"]} for r in _index(keys.commented_partition(uid))])
    return [CommentRecord(keys.suffix(c["PK"]), _attributes(c)) for c in found]


def favorites(uid: str) -> list[FavoriteRecord]:
    favorite_ids = [r["GSI1SK"] for r in _index(keys.favorited_partition(uid))]
    found = _items([keys.article(aid) for aid in favorite_ids], ("id", "slug", "title"))
    return [FavoriteRecord(a["id"], a.get("slug"), a.get("title")) for a in found]


def following(uid: str) -> list[str]:
    return [keys.suffix(e["SK"]) for e in ops.query(keys.user_partition(uid), sk_prefix=keys.FOLLOWS_PREFIX)]


def followers(uid: str) -> list[str]:
    return [r["GSI1SK"] for r in _index(keys.followers_partition(uid))]


def usernames(uids: list[str]) -> dict[str, str]:
    found = _items([keys.user(u) for u in dict.fromkeys(uids)], ("id", "username"))
    return {item["id"]: item["username"] for item in found}


def _index(partition: str) -> list[Item]:
    return ops.query(partition, index=keys.BY_OWNER_INDEX)


def _items(wanted: list[keys.Key], projection: tuple[str, ...] | None = None) -> list[Item]:
    found = ops.batch_get(wanted, projection)
    return [found[(k["PK"], k["SK"])] for k in wanted if (k["PK"], k["SK"]) in found]


def _attributes(item: Item) -> Attributes:
    return {name: value for name, value in item.items() if name not in LAYOUT_FIELDS}
