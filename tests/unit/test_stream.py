"""Stream records read as typed changes (store.stream), dispatched to the feed (store.feed.apply), and
a failing record logged, without its images, and reported for Lambda to retry from."""

from __future__ import annotations

import logging
from typing import Any

import pytest

from conduit.store import favorites, feed, stream
from conduit.store.stream import ArticleChange, FollowChange, PendingFavoriteChange


def record(event: str, pk: str, sk: str, sequence: str = "1", **images: dict[str, Any]) -> dict[str, Any]:
    return {
        "eventName": event,
        "dynamodb": {"Keys": {"PK": {"S": pk}, "SK": {"S": sk}}, "SequenceNumber": sequence, **images},
    }


AUTHORED = {"authorId": {"S": "u1"}, "body": {"S": "a secret draft"}}


@pytest.mark.parametrize(
    ("given", "change"),
    [
        (record("INSERT", "ARTICLE#a1", "ARTICLE", NewImage=AUTHORED), ArticleChange("INSERT", "a1", "u1")),
        (record("REMOVE", "ARTICLE#a1", "ARTICLE", OldImage=AUTHORED), ArticleChange("REMOVE", "a1", "u1")),
        (record("INSERT", "ARTICLE#a1", "ARTICLE"), ArticleChange("INSERT", "a1", None)),
        (record("INSERT", "USER#u1", "FOLLOWS#u2"), FollowChange("INSERT", "u1", "u2")),
        (record("REMOVE", "USER#u1", "FOLLOWS#u2"), FollowChange("REMOVE", "u1", "u2")),
        (record("INSERT", "ARTICLE#a1", "FAVPENDING#u2"), PendingFavoriteChange("INSERT", "a1")),
        (record("REMOVE", "ARTICLE#a1", "FAVPENDING#u2"), PendingFavoriteChange("REMOVE", "a1")),
        (record("INSERT", "USER#u1", "PROFILE"), None),
        (record("INSERT", "ARTICLE#a1", "COMMENT#000000000001"), None),
        (record("INSERT", "FEED#u1", "a1"), None),
        ({"eventName": "INSERT"}, None),
    ],
)
def test_records_read_as_typed_changes(given, change):
    assert stream.parse(given) == change


@pytest.fixture
def feed_calls(monkeypatch):
    calls: list[tuple[str, str, str]] = []
    for name in ("on_article_created", "on_article_removed", "on_follow", "on_unfollow"):
        monkeypatch.setattr(feed, name, lambda a, b, name=name: calls.append((name, a, b)) or 1)
    return calls


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (ArticleChange("INSERT", "a1", "u1"), [("on_article_created", "u1", "a1")]),
        (ArticleChange("REMOVE", "a1", "u1"), [("on_article_removed", "u1", "a1")]),
        (ArticleChange("MODIFY", "a1", "u1"), []),
        (ArticleChange("INSERT", "a1", None), []),
        (FollowChange("INSERT", "u1", "u2"), [("on_follow", "u1", "u2")]),
        (FollowChange("REMOVE", "u1", "u2"), [("on_unfollow", "u1", "u2")]),
        (FollowChange("MODIFY", "u1", "u2"), []),
    ],
)
def test_each_change_moves_the_feeds_it_concerns(feed_calls, change, expected):
    assert feed.apply(change) == len(expected)
    assert feed_calls == expected


def test_a_failing_record_is_logged_without_its_images_and_reported(caplog):
    applied: list[Any] = []

    def apply(change: Any) -> int:
        if change.article_id == "a2":
            raise RuntimeError("the item was {'body': 'a secret draft'}") from ConnectionError("reset")
        applied.append(change.article_id)
        return 1

    event = {
        "Records": [
            record("INSERT", "ARTICLE#a1", "ARTICLE", "101", NewImage=AUTHORED),
            record("INSERT", "ARTICLE#a2", "ARTICLE", "102", NewImage=AUTHORED),
            record("INSERT", "ARTICLE#a3", "ARTICLE", "103", NewImage=AUTHORED),
        ]
    }
    with caplog.at_level(logging.WARNING):
        answer = stream.handle_in_order(event, apply)
    assert answer == {"batchItemFailures": [{"itemIdentifier": "102"}]}
    assert applied == ["a1"]  # the records after the failure wait for Lambda's retry
    [logged] = [r for r in caplog.records if r.getMessage() == "stream record failed"]
    assert (logged.sequenceNumber, logged.eventName, logged.error, logged.cause) == (
        "102",
        "INSERT",
        "RuntimeError",
        "ConnectionError",
    )
    assert "secret" not in caplog.text


def test_a_batch_that_succeeds_reports_nothing():
    event = {"Records": [record("INSERT", "USER#u1", "PROFILE"), record("INSERT", "USER#u1", "FOLLOWS#u2")]}
    seen: list[Any] = []
    assert stream.handle_in_order(event, lambda change: seen.append(change) or 1) == {"batchItemFailures": []}
    assert seen == [FollowChange("INSERT", "u1", "u2")]


def test_a_pending_marker_changes_no_feed(feed_calls):
    assert feed.apply(PendingFavoriteChange("INSERT", "a1")) == 0
    assert feed_calls == []


def marker(event: str, aid: str, uid: str, sequence: str) -> dict[str, Any]:
    return record(event, f"ARTICLE#{aid}", f"FAVPENDING#{uid}", sequence)


def test_the_fold_runs_once_per_article_for_markers_put_or_changed():
    folded: list[str] = []
    batch = {
        "Records": [
            marker("INSERT", "a1", "u1", "1"),
            record("INSERT", "USER#u1", "FOLLOWS#u2", "2"),
            marker("MODIFY", "a2", "u1", "3"),
            marker("INSERT", "a1", "u2", "4"),
            marker("REMOVE", "a3", "u1", "5"),  # folded away: nothing left to fold
        ]
    }
    assert stream.handle_once_per(batch, favorites.article_to_fold, folded.append) == {"batchItemFailures": []}
    assert folded == ["a1", "a2"]


def test_a_failing_fold_is_logged_and_reported_by_its_first_record(caplog):
    def fold(aid: str) -> None:
        if aid == "a2":
            raise RuntimeError("the item said: a secret draft")

    batch = {
        "Records": [
            marker("INSERT", "a1", "u1", "1"),
            marker("INSERT", "a2", "u1", "2"),
            marker("INSERT", "a2", "u3", "3"),
        ]
    }
    with caplog.at_level(logging.WARNING):
        answer = stream.handle_once_per(batch, favorites.article_to_fold, fold)
    assert answer == {"batchItemFailures": [{"itemIdentifier": "2"}]}
    assert "stream record failed" in caplog.text
    assert "secret" not in caplog.text
