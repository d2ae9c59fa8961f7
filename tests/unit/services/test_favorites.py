"""Favorites through services.articles: once per user, and counted as the viewer sees them (the
folded count plus their own pending favorite, store.favorites)."""

from __future__ import annotations

import pytest

from conduit.entities.articles import Article
from conduit.errors import ArticleNotFound
from conduit.ports import favorites as favorite_port
from conduit.services import articles
from conduit.services.paging import Page
from tests.unit.fakes.content import Content
from tests.unit.services.helpers import article


@pytest.fixture
def people(content: Content) -> Content:
    for uid in ("ada", "bob", "cy"):
        content.add_user(uid)
    article(content, "a1", "ada", slug="s")
    return content


def test_ones_own_favorite_shows_at_once_others_once_folded(people: Content) -> None:
    view = articles.favorite("s", "bob")
    assert (view["favorited"], view["favoritesCount"]) == (True, 1)
    assert articles.get("s", "cy")["favoritesCount"] == 0  # not folded yet: only bob's own marker has it
    people.fold()
    assert articles.get("s", "cy")["favoritesCount"] == 1
    assert articles.get("s", "bob")["favoritesCount"] == 1  # folded once, not counted twice


def test_favoriting_twice_counts_once(people: Content) -> None:
    articles.favorite("s", "bob")
    view = articles.favorite("s", "bob")
    assert (view["favorited"], view["favoritesCount"]) == (True, 1)
    people.fold()
    assert people.articles["a1"].favorites_count == 1


def test_unfavorite_shows_at_once(people: Content) -> None:
    articles.favorite("s", "bob")
    people.fold()
    view = articles.unfavorite("s", "bob")
    assert (view["favorited"], view["favoritesCount"]) == (False, 0)  # folded 1, own pending -1
    assert articles.get("s", "cy")["favoritesCount"] == 1  # others: until the fold


def test_unfavoriting_what_was_not_favorited_changes_nothing(people: Content) -> None:
    view = articles.unfavorite("s", "bob")
    assert (view["favorited"], view["favoritesCount"]) == (False, 0)
    assert people.pending == {}


def test_a_count_is_never_shown_below_zero(people: Content) -> None:
    people.pending[("a1", "bob")] = -1  # a stale unfolded unfavorite against a count of 0
    assert articles.get("s", "bob")["favoritesCount"] == 0


def test_with_the_fold_at_once_everyone_sees_it(people: Content) -> None:
    with favorite_port.store.replaced(type(favorite_port.store())(people, fold_at_once=True)):
        articles.favorite("s", "bob")
    assert articles.get("s", "cy")["favoritesCount"] == 1


def test_favoriting_a_missing_or_closing_article_is_not_found(people: Content) -> None:
    with pytest.raises(ArticleNotFound):
        articles.favorite("nothing", "bob")
    stored = people.articles["a1"]
    people.articles["a1"] = Article(
        **{n: getattr(stored, n) for n in Article.__dataclass_fields__} | {"deleting": True}
    )
    with pytest.raises(ArticleNotFound):
        articles.favorite("s", "bob")
    assert people.favorites == set()


def test_the_favorited_list_with_its_count(people: Content) -> None:
    article(people, "a2", "cy")
    article(people, "a3", "cy")
    articles.favorite("s", "bob")
    articles.favorite("slug-a3", "bob")
    listed = articles.list_articles({"favorited": "bob"}, Page(limit=20, offset=0), "bob")
    assert [a["slug"] for a in listed["articles"]] == ["slug-a3", "s"] and listed["articlesCount"] == 2
    assert all(a["favorited"] and a["favoritesCount"] == 1 for a in listed["articles"])
