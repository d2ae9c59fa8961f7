"""HTTP caching of reads (ETag / If-None-Match → 304, Cache-Control) and the tags TTL cache."""

from __future__ import annotations

import time

import pytest

from conduit.store import shards
from tests.reliability.faults import Recorder


def test_get_has_a_weak_etag_and_304_when_it_matches(client, make_user, make_article):
    author = make_user("etag")
    article = make_article(author["token"])
    first = client.get(f"/articles/{article['slug']}")
    etag = first.headers["etag"]
    assert etag.startswith('W/"')
    again = client.get(f"/articles/{article['slug']}", headers={"If-None-Match": etag})
    assert again.status_code == 304
    assert again.content == b""
    assert again.headers["etag"] == etag


def test_etag_changes_when_the_resource_changes(client, make_user, make_article):
    author = make_user("etag2")
    article = make_article(author["token"])
    before = client.get(f"/articles/{article['slug']}").headers["etag"]
    client.put(f"/articles/{article['slug']}", token=author["token"], json={"article": {"body": "changed"}})
    after = client.get(f"/articles/{article['slug']}", headers={"If-None-Match": before})
    assert after.status_code == 200
    assert after.json()["article"]["body"] == "changed"
    assert after.headers["etag"] != before


def test_anonymous_reads_are_publicly_cacheable_personal_ones_are_not(client, make_user):
    user = make_user("cc")
    anonymous = client.get("/articles")
    assert anonymous.headers["cache-control"] == "public, max-age=10"
    assert anonymous.headers["vary"] == "Authorization"
    assert client.get("/tags").headers["cache-control"] == "public, max-age=60"
    personal = client.get("/articles", token=user["token"])
    assert personal.headers["cache-control"] == "no-store"
    assert personal.headers["etag"].startswith('W/"')


def test_writes_and_errors_are_never_cached(client, make_user):
    user = make_user("nc")
    created = client.post(
        "/articles", token=user["token"], json={"article": {"title": "Cache me not", "description": "d", "body": "b"}}
    )
    assert created.headers["cache-control"] == "no-store"
    assert "etag" not in created.headers
    missing = client.get("/articles/definitely-not-here-404")
    assert missing.headers["cache-control"] == "no-store"
    assert "etag" not in missing.headers


@pytest.fixture
def tags_cache(runtime):
    with runtime.configured(TAGS_CACHE_SECONDS=30):  # new environments: each starts with an empty cache
        yield


def _tags_queries(recorder: Recorder) -> int:
    return sum(1 for op, request in recorder.requests if op == "Query" and request.get("IndexName") == "TagsByCount")


def test_tags_are_served_from_the_container_cache(client, make_user, make_article, tags_cache):
    with Recorder() as recorder:
        first = client.get("/tags").json()["tags"]
        for _ in range(5):
            assert client.get("/tags").json()["tags"] == first
    assert _tags_queries(recorder) == shards.TAG_PARTITIONS  # one read of the list: its index partitions


def test_tags_cache_expires(client, runtime, make_user, make_article):
    author = make_user("ttl")
    with runtime.configured(TAGS_CACHE_SECONDS=3):
        make_article(author["token"])  # both functions warm before the TTL starts
        client.get("/tags")
        make_article(author["token"], tags=["cachedtag-zz9"])
        assert "cachedtag-zz9" not in client.get("/tags").json()["tags"]  # within the TTL: the cached list
        time.sleep(3.2)
        assert "cachedtag-zz9" in client.get("/tags").json()["tags"]
