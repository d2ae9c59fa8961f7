"""services.exports against the in-memory export store and a recording S3: the job, the document
(exactly the user's data, no secret), and the pre-signed link once it is ready."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest

from conduit import queues
from conduit.entities.lifecycle import CommentRecord, FavoriteRecord
from conduit.errors import ExportNotFound, UserNotFound
from conduit.ports import exports as export_port
from conduit.services import exports
from conduit.settings import get_settings
from tests.unit.fakes.exports import FakeExports


class RecordingS3:
    def __init__(self) -> None:
        self.objects: dict[str, dict[str, Any]] = {}
        self.signed: list[dict[str, Any]] = []

    def put_object(self, **request: Any) -> None:
        self.objects[request["Key"]] = request

    def generate_presigned_url(self, operation: str, Params: dict[str, Any], ExpiresIn: int) -> str:
        self.signed.append({"operation": operation, **Params, "ExpiresIn": ExpiresIn})
        return f"https://s3.local/{Params['Bucket']}/{Params['Key']}?signed"


@pytest.fixture
def s3(monkeypatch: pytest.MonkeyPatch) -> RecordingS3:
    for name, value in {"EXPORT_QUEUE_URL": "https://sqs.local/exports", "EXPORT_BUCKET": "exports-bucket"}.items():
        monkeypatch.setenv(name, value)
    get_settings.cache_clear()
    recording = RecordingS3()
    monkeypatch.setattr(queues, "client", lambda service: recording)
    return recording


@pytest.fixture
def sent(monkeypatch: pytest.MonkeyPatch) -> list[tuple[str, dict[str, Any]]]:
    messages: list[tuple[str, dict[str, Any]]] = []
    monkeypatch.setattr(queues, "send", lambda url, body, delay=0: messages.append((url, body)))
    return messages


@pytest.fixture
def store() -> Iterator[FakeExports]:
    fake = FakeExports()
    fake.users = {
        "u1": {
            "id": "u1", "username": "alice", "email": "alice@example.com", "bio": "hi",
            "passwordHash": "$argon2id$secret", "credentialsVersion": 2, "credentialsChangedBy": "digest",
        },
        "u2": {"id": "u2", "username": "bob"},
        "u3": {"id": "u3", "username": "carol"},
    }  # fmt: skip
    fake.articles_of["u1"] = [{"id": "a1", "slug": "first", "title": "First"}]
    fake.comments_of["u1"] = [CommentRecord("b1", {"id": 7, "body": "my remark", "authorId": "u1"})]
    fake.favorites_of["u1"] = [FavoriteRecord("b1", "theirs", "Theirs")]
    fake.follows = [("u1", "u2"), ("u1", "gone"), ("u3", "u1"), ("u2", "u3")]
    with export_port.store.replaced(fake):
        yield fake


def test_start_records_a_pending_job_and_queues_it(store, s3, sent) -> None:
    view = exports.start("u1")
    assert view["state"] == "pending" and view["url"] is None
    assert store.jobs[("u1", view["id"])].state == "pending"
    assert sent == [("https://sqs.local/exports", {"userId": "u1", "exportId": view["id"]})]


def test_build_writes_exactly_the_users_data(store, s3, sent) -> None:
    export_id = exports.start("u1")["id"]
    key = exports.build("u1", export_id)
    assert key == f"exports/u1/{export_id}.json"
    written = s3.objects[key]
    assert (written["Bucket"], written["ContentType"], written["ServerSideEncryption"]) == (
        "exports-bucket", "application/json", "AES256",
    )  # fmt: skip
    document = json.loads(written["Body"])
    assert document == {
        "format": "conduit-export/1",
        "profile": {"bio": "hi", "email": "alice@example.com", "id": "u1", "username": "alice"},
        "articles": [{"id": "a1", "slug": "first", "title": "First"}],
        "comments": [{"articleId": "b1", "authorId": "u1", "body": "my remark", "id": 7}],
        "favorites": [{"articleId": "b1", "slug": "theirs", "title": "Theirs"}],
        "following": ["bob"],  # a followee whose account is gone is left out
        "followers": ["carol"],
    }
    assert store.username_reads == [["u2", "gone", "u3"]]  # one read for both lists
    assert store.jobs[("u1", export_id)].object_key == key


def test_a_ready_or_unknown_export_is_not_built_again(store, s3, sent) -> None:
    export_id = exports.start("u1")["id"]
    exports.build("u1", export_id)
    s3.objects.clear()
    assert exports.build("u1", export_id) == ""  # a redelivered message after the job finished
    assert exports.build("u1", "unknown") == ""
    assert s3.objects == {}


def test_an_export_of_a_user_gone_fails(store, s3, sent) -> None:
    export_id = exports.start("u1")["id"]
    del store.users["u1"]
    with pytest.raises(UserNotFound):
        exports.build("u1", export_id)
    assert s3.objects == {} and store.jobs[("u1", export_id)].state == "pending"


def test_status_links_the_document_once_ready_and_only_for_its_user(store, s3, sent, monkeypatch) -> None:
    monkeypatch.setenv("EXPORT_URL_SECONDS", "600")
    get_settings.cache_clear()
    export_id = exports.start("u1")["id"]
    assert exports.status("u1", export_id)["url"] is None and s3.signed == []
    key = exports.build("u1", export_id)
    ready = exports.status("u1", export_id)
    assert ready["state"] == "ready" and ready["url"] == f"https://s3.local/exports-bucket/{key}?signed"
    assert s3.signed == [{"operation": "get_object", "Bucket": "exports-bucket", "Key": key, "ExpiresIn": 600}]
    with pytest.raises(ExportNotFound):
        exports.status("u2", export_id)
