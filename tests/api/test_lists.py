"""GET /articles (filters, paging) and GET /articles/feed."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import pytest
import requests

from tests.api.helpers import assert_error, assert_error_field
from tests.conftest import unique

LIST_ITEM_KEYS = {
    "slug", "title", "description", "tagList", "createdAt", "updatedAt", "favorited", "favoritesCount", "author",
}  # fmt: skip


def listing(client, token: str | None = None, path: str = "/articles", **query) -> dict:
    response = client.get(path, params=query, token=token)
    assert response.status_code == 200, response.text
    body = response.json()
    assert set(body) == {"articles", "articlesCount"}
    return body


def slugs(body: dict) -> list[str]:
    return [a["slug"] for a in body["articles"]]


@pytest.fixture
def author_with_five(make_user, make_article):
    """An author with five articles, oldest first."""
    author = make_user("five")
    return author, [make_article(author["token"]) for _ in range(5)]


# --- GET /articles ------------------------------------------------------------------------------------


def test_list_items_have_every_key_but_body(client, make_user, make_article):
    author = make_user("nobody")
    make_article(author["token"], tags=["b-tag", "a-tag"])
    body = listing(client, author=author["username"])
    assert body["articlesCount"] == 1
    item = body["articles"][0]
    assert set(item) == LIST_ITEM_KEYS
    assert "body" not in item
    assert item["tagList"] == ["a-tag", "b-tag"]
    assert item["author"]["username"] == author["username"]


def test_list_newest_first_without_filter(client, make_user, make_article):
    author = make_user("newest")
    older = make_article(author["token"])
    newer = make_article(author["token"])
    body = listing(client, limit=2)
    assert slugs(body) == [newer["slug"], older["slug"]]
    assert body["articlesCount"] >= 2


def test_filter_by_author(client, make_user, make_article, author_with_five):
    author, articles = author_with_five
    other = make_user("otherauthor")
    make_article(other["token"])
    body = listing(client, author=author["username"])
    assert slugs(body) == [a["slug"] for a in reversed(articles)]
    assert body["articlesCount"] == 5
    assert all(a["author"]["username"] == author["username"] for a in body["articles"])


def test_filter_by_unknown_author_is_empty(client):
    assert listing(client, author=unique("ghost")) == {"articles": [], "articlesCount": 0}


def test_filter_by_tag(client, make_user, make_article):
    author = make_user("tagfilter")
    tag = unique("dragons")
    tagged_old = make_article(author["token"], tags=["training", tag])
    make_article(author["token"], tags=["training"])
    tagged_new = make_article(author["token"], tags=[tag])
    body = listing(client, tag=tag)
    assert slugs(body) == [tagged_new["slug"], tagged_old["slug"]]
    assert body["articlesCount"] == 2
    assert body["articles"][1]["tagList"] == sorted(["training", tag])
    assert listing(client, tag=unique("nosuchtag")) == {"articles": [], "articlesCount": 0}


def test_filter_by_favorited(client, make_user, make_article):
    author, fan = make_user("favauthor"), make_user("favfan")
    first, _, third = (make_article(author["token"]) for _ in range(3))
    client.post(f"/articles/{first['slug']}/favorite", token=fan["token"])
    client.post(f"/articles/{third['slug']}/favorite", token=fan["token"])
    body = listing(client, favorited=fan["username"])
    assert sorted(slugs(body)) == sorted([first["slug"], third["slug"]])
    assert body["articlesCount"] == 2
    # favorited flag follows the viewer, not the filter
    assert all(a["favorited"] is False for a in body["articles"])
    assert all(a["favorited"] is True for a in listing(client, fan["token"], favorited=fan["username"])["articles"])
    client.delete(f"/articles/{first['slug']}/favorite", token=fan["token"])
    body = listing(client, favorited=fan["username"])
    assert slugs(body) == [third["slug"]]
    assert body["articlesCount"] == 1
    assert listing(client, favorited=unique("ghost")) == {"articles": [], "articlesCount": 0}


def test_list_flags_per_viewer(client, make_user, make_article):
    author, reader = make_user("flagA"), make_user("flagR")
    article = make_article(author["token"])
    client.post(f"/articles/{article['slug']}/favorite", token=reader["token"])
    client.post(f"/profiles/{author['username']}/follow", token=reader["token"])
    item = listing(client, reader["token"], author=author["username"])["articles"][0]
    assert item["favorited"] is True and item["favoritesCount"] == 1 and item["author"]["following"] is True
    anonymous = listing(client, author=author["username"])["articles"][0]
    assert anonymous["favorited"] is False and anonymous["author"]["following"] is False


def test_two_filters_at_once_are_422(client, make_user):
    user = make_user("twofilters")
    response = client.get("/articles", params={"tag": "x", "author": user["username"]})
    assert_error_field(response, 422, "query")
    assert_error_field(client.get("/articles", params={"favorited": user["username"], "tag": "x"}), 422, "query")


def test_limit_and_offset(client, author_with_five):
    author, articles = author_with_five
    newest_first = [a["slug"] for a in reversed(articles)]
    page = listing(client, author=author["username"], limit=2)
    assert slugs(page) == newest_first[:2]
    assert page["articlesCount"] == 5
    page = listing(client, author=author["username"], limit=2, offset=2)
    assert slugs(page) == newest_first[2:4]
    assert page["articlesCount"] == 5
    page = listing(client, author=author["username"], limit=2, offset=4)
    assert slugs(page) == newest_first[4:]
    page = listing(client, author=author["username"], offset=5)
    assert page == {"articles": [], "articlesCount": 5}
    assert slugs(listing(client, author=author["username"], offset=1)) == newest_first[1:]


def test_limit_and_offset_with_tag_and_favorited(client, make_user, make_article):
    author, fan = make_user("pagetag"), make_user("pagefan")
    tag = unique("paged")
    articles = [make_article(author["token"], tags=[tag]) for _ in range(3)]
    for article in articles:
        client.post(f"/articles/{article['slug']}/favorite", token=fan["token"])
    newest_first = [a["slug"] for a in reversed(articles)]
    page = listing(client, tag=tag, limit=1, offset=1)
    assert slugs(page) == newest_first[1:2]
    assert page["articlesCount"] == 3
    page = listing(client, favorited=fan["username"], limit=2, offset=1)
    assert len(page["articles"]) == 2
    assert page["articlesCount"] == 3


@pytest.mark.parametrize(
    ("name", "value"),
    [("limit", "abc"), ("limit", "-1"), ("limit", "0"), ("limit", "1.5"), ("offset", "abc"), ("offset", "-1")],
)
def test_invalid_limit_or_offset_is_422(client, name, value):
    assert_error_field(client.get("/articles", params={name: value}), 422, name)


def test_invalid_limit_on_feed_is_422(client, make_user):
    user = make_user("feedlimit")
    assert_error_field(client.get("/articles/feed", params={"limit": "abc"}, token=user["token"]), 422, "limit")
    assert_error_field(client.get("/articles/feed", params={"offset": "-1"}, token=user["token"]), 422, "offset")


def test_limit_is_capped_at_60_articles_a_page(client, make_user):
    """60: the most a page can hold when every field is as long as allowed (services.paging)."""
    author = make_user("prolific")
    session_base = client.base

    def publish(index: int) -> str:
        article = {"title": f"Article {index} {author['username']}", "description": "d", "body": "b"}
        response = requests.post(
            f"{session_base}/api/articles",
            json={"article": article},
            headers={"Authorization": f"Token {author['token']}"},
            timeout=30,
        )
        assert response.status_code == 201, response.text
        return response.json()["article"]["slug"]

    with ThreadPoolExecutor(max_workers=8) as pool:
        created = list(pool.map(publish, range(61)))
    assert len(set(created)) == 61
    page = listing(client, author=author["username"], limit=1000)
    assert len(page["articles"]) == 60
    assert page["articlesCount"] == 61
    assert len(set(slugs(page))) == 60
    rest = listing(client, author=author["username"], limit=1000, offset=60)
    assert len(rest["articles"]) == 1
    assert set(slugs(page)) | set(slugs(rest)) == set(created)
    everything = listing(client, limit=1000)
    assert len(everything["articles"]) == 60
    assert everything["articlesCount"] >= 61
    assert len(listing(client, author=author["username"])["articles"]) == 20  # default limit


# --- feed -------------------------------------------------------------------------------------------


def test_feed_requires_token(client):
    assert_error(client.get("/articles/feed"), 401, {"token": ["is missing"]})
    assert_error(client.get("/articles/feed", token="nope"), 401, {"token": ["is invalid"]})


def test_feed_without_follows_is_empty(client, make_user, make_article):
    reader = make_user("lonely")
    make_article(reader["token"])  # one's own articles are not in one's feed
    assert listing(client, reader["token"], path="/articles/feed") == {"articles": [], "articlesCount": 0}


def test_feed_shows_followed_authors_newest_first(client, make_user, make_article):
    reader, followed_a, followed_b, stranger = (make_user(p) for p in ("reader", "fa", "fb", "stranger"))
    client.post(f"/profiles/{followed_a['username']}/follow", token=reader["token"])
    client.post(f"/profiles/{followed_b['username']}/follow", token=reader["token"])
    a1 = make_article(followed_a["token"])
    make_article(stranger["token"])
    b1 = make_article(followed_b["token"])
    a2 = make_article(followed_a["token"])
    make_article(reader["token"])
    feed = listing(client, reader["token"], path="/articles/feed")
    assert slugs(feed) == [a2["slug"], b1["slug"], a1["slug"]]
    assert feed["articlesCount"] == 3
    assert all(set(a) == LIST_ITEM_KEYS for a in feed["articles"])
    assert all(a["author"]["following"] is True for a in feed["articles"])

    page = listing(client, reader["token"], path="/articles/feed", limit=1, offset=1)
    assert slugs(page) == [b1["slug"]]
    assert page["articlesCount"] == 3
    page = listing(client, reader["token"], path="/articles/feed", limit=2, offset=2)
    assert slugs(page) == [a1["slug"]]
    assert page["articlesCount"] == 3

    client.delete(f"/profiles/{followed_b['username']}/follow", token=reader["token"])
    feed = listing(client, reader["token"], path="/articles/feed")
    assert slugs(feed) == [a2["slug"], a1["slug"]]
    assert feed["articlesCount"] == 2

    client.delete(f"/articles/{a2['slug']}", token=followed_a["token"])
    feed = listing(client, reader["token"], path="/articles/feed")
    assert slugs(feed) == [a1["slug"]]
    assert feed["articlesCount"] == 1


def test_feed_shows_favorited_flag(client, make_user, make_article):
    reader, author = make_user("feedfav"), make_user("feedauthor")
    client.post(f"/profiles/{author['username']}/follow", token=reader["token"])
    article = make_article(author["token"])
    client.post(f"/articles/{article['slug']}/favorite", token=reader["token"])
    item = listing(client, reader["token"], path="/articles/feed")["articles"][0]
    assert item["favorited"] is True and item["favoritesCount"] == 1
