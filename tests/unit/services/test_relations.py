"""services.relations (what a viewer sees next to content) and the DynamoDB store's one batch behind it
(store.relations: which keys it asks for, and how it sorts the items out)."""

from __future__ import annotations

from typing import Any

import pytest

from conduit.entities.articles import ArticleSummary
from conduit.entities.profiles import Author
from conduit.entities.relations import Relations
from conduit.services import relations
from conduit.store import keys, ops
from conduit.store import relations as stored
from tests.unit.fakes.content import Content

ADA = Author("ada", "ada", bio="b", image=None)


def summary(aid: str, favorites: int) -> ArticleSummary:
    return ArticleSummary(aid, "s", "t", "d", (), "ada", "w", "w", favorites)


def test_an_author_as_the_viewer_sees_them() -> None:
    seen = Relations(authors={"ada": ADA}, followed=frozenset({"ada"}))
    assert relations.author(seen, "ada") == {"username": "ada", "bio": "b", "image": None, "following": True}
    assert relations.author(Relations(authors={"ada": ADA}), "ada")["following"] is False


def test_an_author_whose_account_is_gone_is_shown_deleted() -> None:
    assert relations.author(Relations(followed=frozenset({"gone"})), "gone") == {
        "username": "[deleted]",
        "bio": None,
        "image": None,
        "following": False,
    }


def test_the_viewers_own_pending_favorites_are_added_to_the_folded_count() -> None:
    seen = Relations(pending={"a1": 1, "a2": -1})
    assert seen.favorites_count(summary("a1", 4)) == 5
    assert seen.favorites_count(summary("a2", 4)) == 3
    assert seen.favorites_count(summary("a3", 4)) == 4


def test_load_asks_the_port_once_with_each_id_once(content: Content) -> None:
    relations.load("me", ["ada", "ada", "bob"], ["a1", "a1"], article_id="a1")
    from conduit.ports import relations as port

    assert port.store().loads == [("me", frozenset({"ada", "bob"}), frozenset({"a1"}), "a1")]  # type: ignore[attr-defined]


# --- the DynamoDB implementation's batch -------------------------------------------------------


@pytest.fixture
def batch(monkeypatch: pytest.MonkeyPatch) -> dict[str, Any]:
    """ops.batch_get answering from `asked["items"]`; records the keys and projection asked for."""
    asked: dict[str, Any] = {"items": []}

    def batch_get(wanted: list[keys.Key], projection: Any = None) -> dict[tuple[str, str], Any]:
        asked.update(
            wanted=[(k["PK"], k["SK"]) for k in wanted], projection=projection, calls=asked.get("calls", 0) + 1
        )
        return {
            (item["PK"], item["SK"]): item for item in asked["items"] if (item["PK"], item["SK"]) in asked["wanted"]
        }

    monkeypatch.setattr(ops, "batch_get", batch_get)
    return asked


def test_the_batch_asks_for_authors_and_the_viewers_edges_but_not_their_own_follow(batch: dict[str, Any]) -> None:
    stored.load("me", {"ada", "me"}, {"a1"})
    assert sorted(batch["wanted"]) == sorted(
        keys.pair(k)
        for k in (
            keys.user("ada"),
            keys.user("me"),
            keys.follow("me", "ada"),
            keys.favorite("a1", "me"),
            keys.pending_favorite("a1", "me"),
        )
    )
    assert batch["projection"] == (*stored.USER_FIELDS, "delta")


def test_an_anonymous_batch_asks_for_authors_only_and_an_empty_one_for_nothing(batch: dict[str, Any]) -> None:
    stored.load(None, {"ada"}, {"a1"})
    assert batch["wanted"] == [keys.pair(keys.user("ada"))]
    batch.clear()
    assert stored.load(None, set(), set()) == Relations()
    assert "calls" not in batch


def test_the_batch_sorted_out(batch: dict[str, Any]) -> None:
    article = {**keys.article("a1"), "id": "a1", "slug": "s", "title": "t", "description": "d", "body": "b",
               "authorId": "ada", "createdAt": "w", "updatedAt": "w", "version": 2, "favoritesCount": 3}  # fmt: skip
    batch["items"] = [
        {**keys.user("ada"), "id": "ada", "username": "ada", "bio": "b"},
        {**keys.follow("me", "ada")},
        {**keys.favorite("a1", "me")},
        {**keys.pending_favorite("a1", "me"), "delta": 1},
        article,
    ]
    seen = stored.load("me", {"ada"}, {"a1"}, article_id="a1")
    assert seen.authors == {"ada": ADA}
    assert (seen.followed, seen.favorited, dict(seen.pending)) == (frozenset({"ada"}), frozenset({"a1"}), {"a1": 1})
    assert seen.article is not None and (seen.article.body, seen.article.version, seen.article.tag_list) == ("b", 2, ())
    assert batch["wanted"][0] == keys.pair(keys.article("a1")) and batch["projection"] is None, "the article whole"
