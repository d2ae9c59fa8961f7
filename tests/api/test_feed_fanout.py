"""FEED_MODE=fan-out: the stream consumer (FeedFanoutFunction) keeps FEED#<follower> entries and the
feed reads them. `runtime.drain_streams()` delivers the table's stream synchronously."""

from __future__ import annotations

import pytest

from tests.api.helpers import article_id, partition, stored_user, user_id
from tests.api.test_lists import LIST_ITEM_KEYS, listing, slugs
from tests.reliability.faults import Fault


@pytest.fixture
def fan_out(runtime):
    runtime.drain_streams()  # whatever earlier tests left in the stream
    with runtime.configured(FEED_MODE="fan-out"):
        yield runtime


def feed(client, token, **query):
    return listing(client, token, path="/articles/feed", **query)


def entries(runtime, token):
    return [item["SK"] for item in partition(runtime, f"FEED#{user_id(token)}")]


def feed_count(runtime, token):
    return stored_user(runtime, token).get("feedCount", 0)


def test_feed_lists_followed_authors_newest_first_with_paging(client, make_user, make_article, fan_out):
    reader, followed_a, followed_b, stranger = (make_user(p) for p in ("freader", "ffa", "ffb", "fstranger"))
    client.post(f"/profiles/{followed_a['username']}/follow", token=reader["token"])
    client.post(f"/profiles/{followed_b['username']}/follow", token=reader["token"])
    fan_out.drain_streams()
    a1 = make_article(followed_a["token"])
    make_article(stranger["token"])
    b1 = make_article(followed_b["token"])
    a2 = make_article(followed_a["token"])
    make_article(reader["token"])
    assert feed(client, reader["token"]) == {"articles": [], "articlesCount": 0}  # not delivered yet
    fan_out.drain_streams()

    body = feed(client, reader["token"])
    assert slugs(body) == [a2["slug"], b1["slug"], a1["slug"]]
    assert body["articlesCount"] == 3
    assert all(set(a) == LIST_ITEM_KEYS for a in body["articles"])
    assert all(a["author"]["following"] is True for a in body["articles"])
    assert slugs(feed(client, reader["token"], limit=1, offset=1)) == [b1["slug"]]
    page = feed(client, reader["token"], limit=2, offset=2)
    assert slugs(page) == [a1["slug"]]
    assert page["articlesCount"] == 3


def test_delete_removes_the_entries(client, make_user, make_article, fan_out):
    reader, author = make_user("fdreader"), make_user("fdauthor")
    client.post(f"/profiles/{author['username']}/follow", token=reader["token"])
    kept, gone = make_article(author["token"]), make_article(author["token"])
    fan_out.drain_streams()
    assert feed(client, reader["token"])["articlesCount"] == 2
    assert client.delete(f"/articles/{gone['slug']}", token=author["token"]).status_code in (200, 204)
    fan_out.drain_streams()
    body = feed(client, reader["token"])
    assert slugs(body) == [kept["slug"]]
    assert body["articlesCount"] == 1
    assert entries(fan_out, reader["token"]) == [article_id(fan_out, kept["slug"])]


def test_follow_backfills_and_unfollow_removes(client, make_user, make_article, fan_out):
    reader, author = make_user("fbreader"), make_user("fbauthor")
    older = [make_article(author["token"]) for _ in range(3)]
    fan_out.drain_streams()
    assert entries(fan_out, reader["token"]) == []
    client.post(f"/profiles/{author['username']}/follow", token=reader["token"])
    fan_out.drain_streams()
    body = feed(client, reader["token"])
    assert slugs(body) == [a["slug"] for a in reversed(older)]
    assert body["articlesCount"] == 3

    client.delete(f"/profiles/{author['username']}/follow", token=reader["token"])
    fan_out.drain_streams()
    assert feed(client, reader["token"]) == {"articles": [], "articlesCount": 0}
    assert entries(fan_out, reader["token"]) == []


def _record(name, key, image, sequence):
    from conduit.store.client import to_ddb

    change = {"Keys": to_ddb(key), "SequenceNumber": str(sequence), "StreamViewType": "NEW_AND_OLD_IMAGES"}
    change["NewImage" if name == "INSERT" else "OldImage"] = to_ddb({**key, **image})
    return {"eventName": name, "eventSource": "aws:dynamodb", "dynamodb": change}


def test_replayed_batches_are_harmless_and_counts_exact(client, make_user, make_article, fan_out):
    from conduit.store import keys

    author = make_user("frauthor")
    readers = [make_user("frreader") for _ in range(3)]
    for reader in readers:
        client.post(f"/profiles/{author['username']}/follow", token=reader["token"])
    article = make_article(author["token"])
    fan_out.drain_streams()
    aid, uid = article_id(fan_out, article["slug"]), user_id(author["token"])
    insert = _record("INSERT", keys.article(aid), {"id": aid, "authorId": uid}, 1)
    follow = _record("INSERT", keys.follow(user_id(readers[0]["token"]), uid), {}, 2)

    for _ in range(2):  # the same batch again, twice: nothing changes
        answer = fan_out.invoke("FeedFanoutFunction", {"Records": [insert, follow]})
        assert answer == {"batchItemFailures": []}
        for reader in readers:
            assert entries(fan_out, reader["token"]) == [aid]
            assert feed_count(fan_out, reader["token"]) == 1

    remove = _record("REMOVE", keys.article(aid), {"id": aid, "authorId": uid}, 3)
    for _ in range(2):
        assert fan_out.invoke("FeedFanoutFunction", {"Records": [remove]}) == {"batchItemFailures": []}
        for reader in readers:
            assert entries(fan_out, reader["token"]) == []
            assert feed_count(fan_out, reader["token"]) == 0


def test_the_first_failing_record_is_reported_for_retry(fan_out):
    records = [
        _record("INSERT", {"PK": "ARTICLE#a1", "SK": "ARTICLE"}, {"authorId": "u1"}, 7),
        _record("INSERT", {"PK": "ARTICLE#a2", "SK": "ARTICLE"}, {"authorId": "u1"}, 8),
    ]
    with Fault("internal", at=1) as fault:  # the first record's first DynamoDB call fails
        answer = fan_out.invoke("FeedFanoutFunction", {"Records": records})
    assert fault.fired
    assert answer == {"batchItemFailures": [{"itemIdentifier": "7"}]}
