"""Comments: add, list (oldest first), delete."""

from __future__ import annotations

import re

from tests.api.helpers import assert_error
from tests.conftest import unique

TIMESTAMP = re.compile(r"^\d{4,}-[01]\d-[0-3]\dT[0-2]\d:[0-5]\d:[0-5]\d\.\d+(Z|[+-]\d\d:\d\d)$")
ARTICLE_NOT_FOUND = {"article": ["not found"]}
COMMENT_NOT_FOUND = {"comment": ["not found"]}


def comment(client, slug: str, token: str, body: str):
    return client.post(f"/articles/{slug}/comments", token=token, json={"comment": {"body": body}})


def comments_of(client, slug: str, token: str | None = None) -> list[dict]:
    response = client.get(f"/articles/{slug}/comments", token=token)
    assert response.status_code == 200, response.text
    assert set(response.json()) == {"comments"}
    return response.json()["comments"]


def test_create_comment_returns_201(client, make_user, make_article):
    author, reader = make_user("cauthor"), make_user("creader")
    article = make_article(author["token"])
    response = comment(client, article["slug"], reader["token"], "Thank you so much!")
    assert response.status_code == 201, response.text
    body = response.json()
    assert set(body) == {"comment"}
    created = body["comment"]
    assert set(created) == {"id", "createdAt", "updatedAt", "body", "author"}
    assert isinstance(created["id"], int) and not isinstance(created["id"], bool)
    assert created["body"] == "Thank you so much!"
    assert created["author"] == {"username": reader["username"], "bio": None, "image": None, "following": False}
    assert TIMESTAMP.match(created["createdAt"]) and TIMESTAMP.match(created["updatedAt"])


def test_list_comments_oldest_first_with_distinct_ids(client, make_user, make_article):
    author, first, second = make_user("lauthor"), make_user("lfirst"), make_user("lsecond")
    article = make_article(author["token"])
    created = [
        comment(client, article["slug"], token, text).json()["comment"]
        for token, text in ((first["token"], "one"), (second["token"], "two"), (first["token"], "three"))
    ]
    assert len({c["id"] for c in created}) == 3
    listed = comments_of(client, article["slug"])
    assert [c["body"] for c in listed] == ["one", "two", "three"]
    assert [c["id"] for c in listed] == [c["id"] for c in created]
    assert [c["author"]["username"] for c in listed] == [first["username"], second["username"], first["username"]]
    assert listed == created


def test_list_comments_shows_following_for_viewer(client, make_user, make_article):
    author, commenter, viewer = make_user("fauthor"), make_user("fcommenter"), make_user("fviewer")
    article = make_article(author["token"])
    comment(client, article["slug"], commenter["token"], "hello")
    client.post(f"/profiles/{commenter['username']}/follow", token=viewer["token"])
    assert comments_of(client, article["slug"], viewer["token"])[0]["author"]["following"] is True
    assert comments_of(client, article["slug"])[0]["author"]["following"] is False


def test_list_comments_of_article_without_comments_is_empty(client, make_user, make_article):
    author = make_user("empty")
    article = make_article(author["token"])
    assert comments_of(client, article["slug"]) == []


def test_delete_own_comment(client, make_user, make_article):
    author, reader = make_user("dauthor"), make_user("dreader")
    article = make_article(author["token"])
    keep = comment(client, article["slug"], reader["token"], "keep").json()["comment"]
    drop = comment(client, article["slug"], reader["token"], "drop").json()["comment"]
    response = client.delete(f"/articles/{article['slug']}/comments/{drop['id']}", token=reader["token"])
    assert response.status_code == 204
    assert response.content == b""
    assert [c["id"] for c in comments_of(client, article["slug"])] == [keep["id"]]
    # deleting it again: it is gone
    again = client.delete(f"/articles/{article['slug']}/comments/{drop['id']}", token=reader["token"])
    assert_error(again, 404, COMMENT_NOT_FOUND)


def test_delete_someone_elses_comment_is_403_and_it_survives(client, make_user, make_article):
    author, commenter = make_user("oauthor"), make_user("ocommenter")
    article = make_article(author["token"])
    created = comment(client, article["slug"], commenter["token"], "mine").json()["comment"]
    # not even the article's author may delete it
    response = client.delete(f"/articles/{article['slug']}/comments/{created['id']}", token=author["token"])
    assert_error(response, 403, {"comment": ["forbidden"]})
    assert comments_of(client, article["slug"]) == [created]


def test_delete_unknown_comment_is_404(client, make_user, make_article):
    author = make_user("uauthor")
    article = make_article(author["token"])
    comment(client, article["slug"], author["token"], "exists")
    for comment_id in ("999999", "0"):
        response = client.delete(f"/articles/{article['slug']}/comments/{comment_id}", token=author["token"])
        assert_error(response, 404, COMMENT_NOT_FOUND)
    assert len(comments_of(client, article["slug"])) == 1


def test_delete_comment_with_non_numeric_id_is_404(client, make_user, make_article):
    author = make_user("nauthor")
    article = make_article(author["token"])
    created = comment(client, article["slug"], author["token"], "x").json()["comment"]
    for comment_id in ("abc", "-1", "1.5", f"{created['id']}abc", "9" * 40):
        response = client.delete(f"/articles/{article['slug']}/comments/{comment_id}", token=author["token"])
        assert_error(response, 404, COMMENT_NOT_FOUND)
    assert len(comments_of(client, article["slug"])) == 1


def test_comment_of_another_article_cannot_be_deleted_through_this_one(client, make_user, make_article):
    author = make_user("xauthor")
    first, second = make_article(author["token"]), make_article(author["token"])
    on_first = comment(client, first["slug"], author["token"], "on first").json()["comment"]
    # ids are per article, so the second article has no comment with this id yet
    response = client.delete(f"/articles/{second['slug']}/comments/{on_first['id']}", token=author["token"])
    assert_error(response, 404, COMMENT_NOT_FOUND)
    assert comments_of(client, first["slug"]) == [on_first]


def test_unknown_article_is_404_for_every_comment_route(client, make_user):
    user = make_user("nocomment")
    slug = unique("no-such-article-")
    assert_error(client.get(f"/articles/{slug}/comments"), 404, ARTICLE_NOT_FOUND)
    assert_error(comment(client, slug, user["token"], "hi"), 404, ARTICLE_NOT_FOUND)
    assert_error(client.delete(f"/articles/{slug}/comments/1", token=user["token"]), 404, ARTICLE_NOT_FOUND)


def test_comments_require_token_to_write(client, make_user, make_article):
    author = make_user("cauth")
    article = make_article(author["token"])
    created = comment(client, article["slug"], author["token"], "x").json()["comment"]
    missing = {"token": ["is missing"]}
    assert_error(client.post(f"/articles/{article['slug']}/comments", json={"comment": {"body": "y"}}), 401, missing)
    assert_error(client.delete(f"/articles/{article['slug']}/comments/{created['id']}"), 401, missing)
    assert comments_of(client, article["slug"]) == [created]


def test_blank_comment_is_422(client, make_user, make_article):
    author = make_user("cblank")
    article = make_article(author["token"])
    for payload in (
        {"comment": {"body": ""}},
        {"comment": {"body": "   "}},
        {"comment": {}},
        {"comment": {"body": None}},
    ):
        response = client.post(f"/articles/{article['slug']}/comments", token=author["token"], json=payload)
        assert_error(response, 422, {"body": ["can't be blank"]})
    assert comments_of(client, article["slug"]) == []
