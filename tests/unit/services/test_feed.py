"""services.articles.feed: the read-merge of followed authors' articles (default) and FEED_MODE=fan-out."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from conduit.services import articles
from conduit.services.paging import Page
from tests.unit.fakes.content import Content
from tests.unit.services.helpers import article

PAGE = Page(limit=20, offset=0)


@pytest.fixture
def people(content: Content) -> Content:
    for uid in ("ada", "bob", "cy", "me"):
        content.add_user(uid)
    article(content, "a1", "ada")
    article(content, "a2", "bob")
    article(content, "a3", "cy")
    article(content, "a4", "ada")
    article(content, "a5", "bob")
    return content


def slugs(listed: articles.MultipleArticles) -> list[str]:
    return [a["slug"] for a in listed["articles"]]


def test_followed_authors_newest_first_with_their_total(people: Content) -> None:
    people.follows |= {("me", "ada"), ("me", "bob")}
    listed = articles.feed("me", PAGE)
    assert slugs(listed) == ["slug-a5", "slug-a4", "slug-a2", "slug-a1"]
    assert listed["articlesCount"] == 4
    assert all(a["author"]["following"] for a in listed["articles"])


def test_paged_after_the_merge(people: Content) -> None:
    people.follows |= {("me", "ada"), ("me", "bob")}
    listed = articles.feed("me", Page(limit=2, offset=1))
    assert slugs(listed) == ["slug-a4", "slug-a2"] and listed["articlesCount"] == 4
    assert people.calls["listings.authored_ids"] == 2, "one page read per followed author"


def test_following_nobody_is_an_empty_feed(people: Content) -> None:
    assert articles.feed("me", PAGE) == {"articles": [], "articlesCount": 0}
    assert people.calls["relations.load"] == 0


def test_at_most_feed_max_follows_authors(people: Content, set_env: Callable[..., None]) -> None:
    set_env(FEED_MAX_FOLLOWS="1")
    people.follows |= {("me", "ada"), ("me", "bob")}
    listed = articles.feed("me", PAGE)
    assert slugs(listed) == ["slug-a4", "slug-a1"] and listed["articlesCount"] == 2


def test_fan_out_reads_the_viewers_entries_and_their_count(people: Content, set_env: Callable[..., None]) -> None:
    set_env(FEED_MODE="fan-out")
    people.follows |= {("me", "ada")}  # no read-merge: only the entries count
    people.feeds["me"] = ["a2", "a3", "gone"]  # an entry whose article was deleted meanwhile shows nothing
    listed = articles.feed("me", PAGE)
    assert slugs(listed) == ["slug-a3", "slug-a2"] and listed["articlesCount"] == 3
    assert people.calls["listings.authored_ids"] == 0
