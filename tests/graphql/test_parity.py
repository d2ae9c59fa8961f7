"""The same state read through REST and through GraphQL gives the same data."""

from __future__ import annotations

from typing import Any

import pytest

from tests.conftest import unique
from tests.graphql.helpers import ARTICLE_FIELDS, COMMENT_FIELDS, SUMMARY_FIELDS, data, gql

LIST = f"""query($filter: ArticleFilter, $first: Int, $after: String) {{
  articles(filter: $filter, first: $first, after: $after) {{
    totalCount pageInfo {{ hasNextPage endCursor }} edges {{ node {{ {SUMMARY_FIELDS} }} }} }} }}"""
FEED = f"""query($first: Int, $after: String) {{ feed(first: $first, after: $after) {{
    totalCount pageInfo {{ hasNextPage endCursor }} edges {{ node {{ {SUMMARY_FIELDS} }} }} }} }}"""


@pytest.fixture
def world(client, make_user, make_article) -> dict[str, Any]:
    """Two authors, a reader who follows one and favorites some articles, comments, shared tags."""
    ada, bob, reader = make_user("ada"), make_user("bob"), make_user("reader")
    tag, other = unique("par"), unique("other")
    client.put(
        "/user", json={"user": {"bio": "Poet of numbers", "image": "https://img.example/ada.png"}}, token=ada["token"]
    )
    slugs = []
    for index in range(5):
        author = ada if index % 2 == 0 else bob
        slugs.append(make_article(author["token"], tags=[tag] + ([other] if index == 1 else []))["slug"])
    assert client.post(f"/profiles/{ada['username']}/follow", token=reader["token"]).status_code == 200
    for slug in slugs[1:3]:
        assert client.post(f"/articles/{slug}/favorite", token=reader["token"]).status_code == 200
    assert client.post(f"/articles/{slugs[1]}/favorite", token=ada["token"]).status_code == 200
    for who, text in ((ada, "First!"), (reader, "Thanks"), (bob, "Indeed")):
        response = client.post(f"/articles/{slugs[0]}/comments", json={"comment": {"body": text}}, token=who["token"])
        assert response.status_code == 201
    return {"ada": ada, "bob": bob, "reader": reader, "tag": tag, "other": other, "slugs": slugs}


def _nodes(connection: dict[str, Any]) -> list[dict[str, Any]]:
    return [edge["node"] for edge in connection["edges"]]


@pytest.mark.parametrize("who", ["reader", "ada", None])
def test_article_comments_and_profiles(client, world, who):
    token = world[who]["token"] if who else None
    for slug in world["slugs"][:3]:
        rest = client.get(f"/articles/{slug}", token=token).json()["article"]
        comments = f"comments {{ edges {{ node {{ {COMMENT_FIELDS} }} }} }}"
        query = f"query($s: String!) {{ article(slug: $s) {{ {ARTICLE_FIELDS} {comments} }} }}"
        graph = data(gql(client, query, {"s": slug}, token))["article"]
        listed = client.get(f"/articles/{slug}/comments", token=token).json()["comments"]
        assert _nodes(graph.pop("comments")) == listed
        assert graph == rest
    for name in ("ada", "bob", "reader"):
        username = world[name]["username"]
        rest = client.get(f"/profiles/{username}", token=token).json()["profile"]
        query = "query($u: String!) { profile(username: $u) { username bio image following } }"
        assert data(gql(client, query, {"u": username}, token))["profile"] == rest


def test_me_and_tags(client, world):
    token = world["ada"]["token"]
    rest_user = client.get("/user", token=token).json()["user"]
    assert data(gql(client, "{ me { email token username bio image emailVerified } }", token=token))["me"] == rest_user
    assert data(gql(client, "{ tags }"))["tags"] == client.get("/tags").json()["tags"]


@pytest.mark.parametrize("filter_name", ["tag", "author", "favorited", "other-tag"])
def test_lists_with_filters_and_pagination(client, world, filter_name):
    token = world["reader"]["token"]
    name, value = {
        "tag": ("tag", world["tag"]),
        "author": ("author", world["ada"]["username"]),
        "favorited": ("favorited", world["reader"]["username"]),
        "other-tag": ("tag", world["other"]),
    }[filter_name]
    after, offset = None, 0
    while True:
        rest = client.get("/articles", params={name: value, "limit": 2, "offset": offset}, token=token).json()
        graph = data(gql(client, LIST, {"filter": {name: value}, "first": 2, "after": after}, token))["articles"]
        assert _nodes(graph) == rest["articles"]
        assert graph["totalCount"] == rest["articlesCount"]
        if not graph["pageInfo"]["hasNextPage"]:
            break
        after, offset = graph["pageInfo"]["endCursor"], offset + 2
    assert offset + len(rest["articles"]) == rest["articlesCount"]


def test_feed_with_pagination(client, world, make_article):
    token = world["reader"]["token"]
    after, offset, seen = None, 0, 0
    while True:
        rest = client.get("/articles/feed", params={"limit": 2, "offset": offset}, token=token).json()
        graph = data(gql(client, FEED, {"first": 2, "after": after}, token))["feed"]
        assert _nodes(graph) == rest["articles"] and graph["totalCount"] == rest["articlesCount"]
        seen += len(rest["articles"])
        if not graph["pageInfo"]["hasNextPage"]:
            break
        after, offset = graph["pageInfo"]["endCursor"], offset + 2
    assert seen == rest["articlesCount"] >= 3


def test_the_default_page_matches_rest_defaults(client, world):
    rest = client.get("/articles", params={"tag": world["tag"]}).json()
    graph = data(gql(client, LIST, {"filter": {"tag": world["tag"]}}))["articles"]
    assert _nodes(graph) == rest["articles"] and graph["totalCount"] == rest["articlesCount"] == 5


@pytest.mark.parametrize(
    ("mutation", "variables", "rest_path", "rest_body"),
    [
        (
            "mutation($v: RegisterInput!) { register(user: $v) { username } }",
            {"username": "", "email": "nope", "password": "1234"},
            "/users",
            {"user": {"username": "", "email": "nope", "password": "1234"}},
        ),
        (
            "mutation($v: RegisterInput!) { register(user: $v) { username } }",
            {"username": "bad name!", "email": "a" * 250 + "@x.io", "password": "p" * 129},
            "/users",
            {"user": {"username": "bad name!", "email": "a" * 250 + "@x.io", "password": "p" * 129}},
        ),
        (
            "mutation($v: LoginInput!) { login(user: $v) { username } }",
            {"email": ""},
            "/users/login",
            {"user": {"email": ""}},
        ),
    ],
)
def test_validation_messages_match_rest(client, mutation, variables, rest_path, rest_body):
    rest = client.post(rest_path, json=rest_body)
    assert rest.status_code == 422
    error = gql(client, mutation, {"v": variables})["errors"][0]
    assert error["extensions"] == {"code": "BAD_USER_INPUT", "errors": rest.json()["errors"]}


def test_article_validation_and_authorization_match_rest(client, world):
    ada, bob = world["ada"]["token"], world["bob"]["token"]
    bad = {"title": "t" * 201, "description": "", "tagList": ["a"] * 21}
    rest = client.post("/articles", json={"article": bad}, token=ada)
    query = "mutation($a: NewArticleInput!) { createArticle(article: $a) { slug } }"
    graph = gql(client, query, {"a": bad}, ada)["errors"][0]["extensions"]
    assert rest.status_code == 422 and graph == {"code": "BAD_USER_INPUT", "errors": rest.json()["errors"]}

    slug = world["slugs"][0]  # ada's
    rest = client.put(f"/articles/{slug}", json={"article": {"body": "x"}}, token=bob)
    query = 'mutation($s: String!) { updateArticle(slug: $s, article: {body: "x"}) { slug } }'
    graph = gql(client, query, {"s": slug}, bob)["errors"][0]["extensions"]
    assert rest.status_code == 403 and graph == {"code": "FORBIDDEN", "errors": rest.json()["errors"]}
