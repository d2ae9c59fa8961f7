"""Favorites: idempotent favorite/unfavorite with exact counts, and the per-viewer flag."""

from __future__ import annotations

from tests.api.helpers import article_id, assert_error, partition, stored_user
from tests.conftest import unique

NOT_FOUND = {"article": ["not found"]}


def favorite(client, slug: str, token: str):
    return client.post(f"/articles/{slug}/favorite", token=token)


def unfavorite(client, slug: str, token: str):
    return client.delete(f"/articles/{slug}/favorite", token=token)


def test_favorite_returns_the_article_favorited(client, make_user, make_article):
    author, fan = make_user("favA"), make_user("favF")
    article = make_article(author["token"], tags=["fav"])
    response = favorite(client, article["slug"], fan["token"])
    assert response.status_code == 200, response.text
    favorited = response.json()["article"]
    assert favorited["favorited"] is True
    assert favorited["favoritesCount"] == 1
    assert favorited["slug"] == article["slug"]
    assert favorited["body"] == article["body"]
    assert favorited["tagList"] == ["fav"]
    assert favorited["author"]["username"] == author["username"]


def test_favorite_twice_counts_once(client, make_user, make_article, runtime):
    author, fan = make_user("fav2A"), make_user("fav2F")
    article = make_article(author["token"])
    for _ in range(3):
        response = favorite(client, article["slug"], fan["token"])
        assert response.status_code == 200
        assert response.json()["article"]["favorited"] is True
        assert response.json()["article"]["favoritesCount"] == 1
    aid = article_id(runtime, article["slug"])
    edges = [item for item in partition(runtime, f"ARTICLE#{aid}") if item["SK"].startswith("FAVBY#")]
    assert len(edges) == 1
    assert stored_user(runtime, fan["token"])["favoritesCount"] == 1
    assert client.get("/articles", params={"favorited": fan["username"]}).json()["articlesCount"] == 1


def test_unfavorite_and_unfavorite_again(client, make_user, make_article, runtime):
    author, fan = make_user("fav3A"), make_user("fav3F")
    article = make_article(author["token"])
    favorite(client, article["slug"], fan["token"])
    for _ in range(2):
        response = unfavorite(client, article["slug"], fan["token"])
        assert response.status_code == 200
        assert response.json()["article"]["favorited"] is False
        assert response.json()["article"]["favoritesCount"] == 0
    assert client.get(f"/articles/{article['slug']}").json()["article"]["favoritesCount"] == 0
    assert stored_user(runtime, fan["token"]).get("favoritesCount", 0) == 0
    assert client.get("/articles", params={"favorited": fan["username"]}).json() == {"articles": [], "articlesCount": 0}


def test_unfavorite_never_favorited_keeps_count(client, make_user, make_article):
    author, fan, other = make_user("fav4A"), make_user("fav4F"), make_user("fav4O")
    article = make_article(author["token"])
    favorite(client, article["slug"], fan["token"])
    response = unfavorite(client, article["slug"], other["token"])
    assert response.status_code == 200
    assert response.json()["article"]["favorited"] is False
    assert response.json()["article"]["favoritesCount"] == 1


def test_counts_and_flags_with_several_users(client, make_user, make_article):
    author = make_user("fav5A")
    fans = [make_user("fav5F") for _ in range(3)]
    stranger = make_user("fav5S")
    article = make_article(author["token"])
    for number, fan in enumerate(fans, start=1):
        assert favorite(client, article["slug"], fan["token"]).json()["article"]["favoritesCount"] == number
    for fan in fans:
        seen = client.get(f"/articles/{article['slug']}", token=fan["token"]).json()["article"]
        assert seen["favorited"] is True and seen["favoritesCount"] == 3
    for viewer in (stranger["token"], author["token"], None):
        seen = client.get(f"/articles/{article['slug']}", token=viewer).json()["article"]
        assert seen["favorited"] is False and seen["favoritesCount"] == 3
    response = unfavorite(client, article["slug"], fans[0]["token"])
    assert response.json()["article"]["favoritesCount"] == 2
    assert client.get(f"/articles/{article['slug']}", token=fans[1]["token"]).json()["article"]["favorited"] is True
    listed = client.get("/articles", params={"author": author["username"]}, token=fans[0]["token"]).json()
    assert listed["articles"][0]["favorited"] is False
    assert listed["articles"][0]["favoritesCount"] == 2


def test_author_may_favorite_own_article(client, make_user, make_article):
    author = make_user("fav6A")
    article = make_article(author["token"])
    response = favorite(client, article["slug"], author["token"])
    assert response.status_code == 200
    assert response.json()["article"]["favorited"] is True and response.json()["article"]["favoritesCount"] == 1


def test_favorite_unknown_article_is_404(client, make_user, runtime):
    fan = make_user("fav7F")
    slug = unique("no-such-article-")
    assert_error(favorite(client, slug, fan["token"]), 404, NOT_FOUND)
    assert_error(unfavorite(client, slug, fan["token"]), 404, NOT_FOUND)
    assert stored_user(runtime, fan["token"]).get("favoritesCount", 0) == 0


def test_favorite_requires_token(client, make_user, make_article):
    author = make_user("fav8A")
    article = make_article(author["token"])
    missing = {"token": ["is missing"]}
    assert_error(client.post(f"/articles/{article['slug']}/favorite"), 401, missing)
    assert_error(client.delete(f"/articles/{article['slug']}/favorite"), 401, missing)
    assert client.get(f"/articles/{article['slug']}").json()["article"]["favoritesCount"] == 0


def test_favorite_survives_a_title_change(client, make_user, make_article):
    author, fan = make_user("fav9A"), make_user("fav9F")
    article = make_article(author["token"])
    favorite(client, article["slug"], fan["token"])
    renamed = client.put(
        f"/articles/{article['slug']}", token=author["token"], json={"article": {"title": unique("Renamed ")}}
    ).json()["article"]
    assert renamed["favoritesCount"] == 1
    seen = client.get(f"/articles/{renamed['slug']}", token=fan["token"]).json()["article"]
    assert seen["favorited"] is True and seen["favoritesCount"] == 1
    assert unfavorite(client, renamed["slug"], fan["token"]).json()["article"]["favoritesCount"] == 0
