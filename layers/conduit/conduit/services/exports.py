"""Data export: everything stored about a user, as one JSON document in S3, fetched by the user
through a pre-signed URL that expires (EXPORT_URL_SECONDS, 15 minutes).

`start` records the job and queues it; functions/export_builder runs `build` (reads through keys and
the ByOwner index only: the profile, the user's articles, comments, favorites, and follow edges both
ways) and writes the document under exports/<uid>/<export id>.json in the private, encrypted bucket
whose lifecycle rule deletes it after 7 days; `status` answers the state and, once ready, the link.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from conduit import queues
from conduit.entities.lifecycle import ExportJob
from conduit.errors import ExportNotFound, UserNotFound, found
from conduit.ports import exports as export_port
from conduit.services.views import ExportView
from conduit.settings import get_settings
from conduit.store.ids import new_id

PRIVATE_FIELDS = {"passwordHash"}  # the store copies no key or index attribute either
PRIVATE_PREFIXES = ("credentials",)
FORMAT = "conduit-export/1"


def start(uid: str) -> ExportView:
    job = export_port.store().create(uid, new_id())
    queues.send(get_settings().export_queue_url, {"userId": uid, "exportId": job.id})
    return _view(job)


def status(uid: str, export_id: str) -> ExportView:
    return _view(found(export_port.store().get(uid, export_id), ExportNotFound))


def _view(job: ExportJob) -> ExportView:
    view: ExportView = {"id": job.id, "state": job.state, "requestedAt": job.requested_at, "url": None}
    if job.ready:
        settings = get_settings()
        view["url"] = queues.client("s3").generate_presigned_url(
            "get_object",
            Params={"Bucket": settings.export_bucket, "Key": job.object_key},
            ExpiresIn=settings.export_url_seconds,
        )
    return view


def object_key(uid: str, export_id: str) -> str:
    return f"exports/{uid}/{export_id}.json"


def build(uid: str, export_id: str) -> str:
    """Write the document of a queued export; returns its S3 key (a redelivered message rewrites it)."""
    job = export_port.store().get(uid, export_id)
    if job is None or job.ready:
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
    export_port.store().finish(uid, export_id, key)
    return key


def collect(uid: str) -> dict[str, Any]:
    store = export_port.store()
    profile = found(store.profile(uid), UserNotFound)
    document = {
        "format": FORMAT,
        "profile": _public(profile),
        "articles": [_public(a) for a in store.articles(uid)],
        "comments": [{**_public(c.attributes), "articleId": c.article_id} for c in store.comments(uid)],
        "favorites": [{"articleId": f.article_id, "slug": f.slug, "title": f.title} for f in store.favorites(uid)],
    }
    return {**document, **_follows(uid)}


def _follows(uid: str) -> dict[str, list[str]]:
    """Usernames of whom the user follows and who follows them (one batch for both)."""
    store = export_port.store()
    following_ids, follower_ids = store.following(uid), store.followers(uid)
    names = store.usernames([*following_ids, *follower_ids])
    return {
        "following": [names[f] for f in following_ids if f in names],
        "followers": [names[f] for f in follower_ids if f in names],
    }


def _public(attributes: Mapping[str, Any]) -> dict[str, Any]:
    return {
        name: value
        for name, value in sorted(attributes.items())
        if name not in PRIVATE_FIELDS and not name.startswith(PRIVATE_PREFIXES)
    }
