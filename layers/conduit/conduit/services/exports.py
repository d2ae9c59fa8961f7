"""Data export: everything stored about a user, as one JSON document in S3, fetched by the user
through a pre-signed URL that expires (EXPORT_URL_SECONDS, 15 minutes).

`start` records the job and queues it; functions/export_builder runs `build` (reads through keys and
the ByOwner index only: the profile, the user's articles, comments, favorites, and follow edges both
ways) and writes the document under exports/<uid>/<export id>.json in the private, encrypted bucket
whose lifecycle rule deletes it after 7 days; `status` answers the state and, once ready, the link.
"""

from __future__ import annotations

import json
from typing import Any

from conduit import queues
from conduit.errors import ExportNotFound, UserNotFound, found
from conduit.services.views import ExportView
from conduit.settings import get_settings
from conduit.store import exports, keys, ops, users
from conduit.store.ids import new_id

PRIVATE_FIELDS = {"passwordHash", "PK", "SK", "GSI1PK", "GSI1SK", "GSI2PK", "GSI2SK", "type", "version"}
PRIVATE_PREFIXES = ("credentials",)
FORMAT = "conduit-export/1"


def start(uid: str) -> ExportView:
    job = exports.create(uid, new_id())
    queues.send(get_settings().export_queue_url, {"userId": uid, "exportId": job["id"]})
    return _view(job)


def status(uid: str, export_id: str) -> ExportView:
    return _view(found(exports.get(uid, export_id), ExportNotFound))


def _view(job: dict[str, Any]) -> ExportView:
    view: ExportView = {"id": job["id"], "state": job["state"], "requestedAt": job["requestedAt"], "url": None}
    if job["state"] == "ready":
        settings = get_settings()
        view["url"] = queues.client("s3").generate_presigned_url(
            "get_object",
            Params={"Bucket": settings.export_bucket, "Key": job["objectKey"]},
            ExpiresIn=settings.export_url_seconds,
        )
    return view


def object_key(uid: str, export_id: str) -> str:
    return f"exports/{uid}/{export_id}.json"


def build(uid: str, export_id: str) -> str:
    """Write the document of a queued export; returns its S3 key (a redelivered message rewrites it)."""
    job = exports.get(uid, export_id)
    if job is None or job["state"] == "ready":
        return ""
    document = collect(uid)
    key = object_key(uid, export_id)
    queues.client("s3").put_object(
        Bucket=get_settings().export_bucket,
        Key=key,
        Body=json.dumps(document, ensure_ascii=False, indent=1, default=str).encode("utf-8"),
        ContentType="application/json",
        ServerSideEncryption="AES256",
    )
    exports.finish(uid, export_id, key)
    return key


def collect(uid: str) -> dict[str, Any]:
    user = found(users.get(uid, consistent=True), UserNotFound)
    document = {
        "format": FORMAT,
        "profile": _public(user),
        "articles": [_public(a) for a in _articles(uid)],
        "comments": _comments(uid),
        "favorites": _favorites(uid),
    }
    return {**document, **_follows(uid)}


def _articles(uid: str) -> list[dict[str, Any]]:
    return _items([keys.article(r["GSI1SK"]) for r in _index(keys.authored_partition(uid))])


def _comments(uid: str) -> list[dict[str, Any]]:
    found = _items([{"PK": r["PK"], "SK": r["SK"]} for r in _index(keys.commented_partition(uid))])
    return [{**_public(c), "articleId": keys.suffix(c["PK"])} for c in found]


def _favorites(uid: str) -> list[dict[str, Any]]:
    favorite_ids = [r["GSI1SK"] for r in _index(keys.favorited_partition(uid))]
    found = _items([keys.article(aid) for aid in favorite_ids], ("id", "slug", "title"))
    return [{"articleId": a["id"], "slug": a.get("slug"), "title": a.get("title")} for a in found]


def _follows(uid: str) -> dict[str, list[str]]:
    """Usernames of whom the user follows and who follows them (one batch for both)."""
    following_ids = [keys.suffix(e["SK"]) for e in ops.query(keys.user_partition(uid), sk_prefix=keys.FOLLOWS_PREFIX)]
    follower_ids = [r["GSI1SK"] for r in _index(keys.followers_partition(uid))]
    names = _usernames([*following_ids, *follower_ids])
    return {
        "following": [names[f] for f in following_ids if f in names],
        "followers": [names[f] for f in follower_ids if f in names],
    }


def _index(partition: str) -> list[dict[str, Any]]:
    return ops.query(partition, index=keys.BY_OWNER_INDEX)


def _items(wanted: list[keys.Key], projection: tuple[str, ...] | None = None) -> list[dict[str, Any]]:
    found = ops.batch_get(wanted, projection)
    return [found[(k["PK"], k["SK"])] for k in wanted if (k["PK"], k["SK"]) in found]


def _usernames(uids: list[str]) -> dict[str, str]:
    found = _items([keys.user(u) for u in dict.fromkeys(uids)], ("id", "username"))
    return {item["id"]: item["username"] for item in found}


def _public(item: dict[str, Any]) -> dict[str, Any]:
    return {
        name: value
        for name, value in sorted(item.items())
        if name not in PRIVATE_FIELDS and not name.startswith(PRIVATE_PREFIXES)
    }
