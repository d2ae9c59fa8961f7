"""Malformed, mistyped, oversized and deeply nested bodies: a 4xx with a RealWorld error body,
and nothing changes."""

from __future__ import annotations

import json

import pytest

from tests.api.helpers import assert_error, assert_error_field
from tests.conftest import unique

JSON = {"Content-Type": "application/json"}


@pytest.fixture
def author(make_user):
    return make_user("bad")


def articles_by(client, username: str) -> dict:
    response = client.get("/articles", params={"author": username})
    assert response.status_code == 200
    return response.json()


def assert_nothing_published(client, author) -> None:
    assert articles_by(client, author["username"]) == {"articles": [], "articlesCount": 0}


def post_raw(client, path: str, data: bytes | str, token: str | None = None, headers: dict | None = None):
    return client.post(path, token=token, data=data, headers=headers if headers is not None else JSON)


@pytest.mark.parametrize(
    "raw",
    [
        '{"article": {"title": "x",',
        "{'article': {}}",
        "not json at all",
        '{"article": {"title": "t"}} trailing',
        "\x00",
    ],
)
def test_malformed_json_is_422(client, author, raw):
    response = post_raw(client, "/articles", raw, author["token"])
    assert_error_field(response, 422, "body")
    assert_nothing_published(client, author)


@pytest.mark.parametrize("raw", ["", "   ", "\n"])
def test_empty_body_is_422(client, author, raw):
    response = post_raw(client, "/articles", raw, author["token"])
    assert_error(response, 422, {"body": ["can't be blank"]})
    assert_nothing_published(client, author)


@pytest.mark.parametrize(
    "payload", [[], [{"article": {"title": "t", "description": "d", "body": "b"}}], "article", 42, None, True]
)
def test_json_that_is_not_an_object_is_422(client, author, payload):
    response = post_raw(client, "/articles", json.dumps(payload), author["token"])
    assert response.status_code == 422, response.text
    assert set(response.json()) == {"errors"}
    assert_nothing_published(client, author)


@pytest.mark.parametrize(
    "payload",
    [
        {"article": "string"},
        {"article": ["title", "description", "body"]},
        {"article": None},
        {"user": {"email": "x@example.com"}},
    ],
)
def test_wrapper_of_the_wrong_type_is_422(client, author, payload):
    response = client.post("/articles", token=author["token"], json=payload)
    assert_error_field(response, 422, "article")
    assert_nothing_published(client, author)


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("title", 123),
        ("title", True),
        ("title", ["a"]),
        ("title", {"text": "a"}),
        ("description", 1.5),
        ("body", False),
        ("tagList", "dragons"),
        ("tagList", [1, 2]),
        ("tagList", {"a": 1}),
    ],
)
def test_wrong_types_are_422(client, author, field, value):
    article = {"title": unique("Typed "), "description": "d", "body": "b", field: value}
    response = client.post("/articles", token=author["token"], json={"article": article})
    assert_error_field(response, 422, field)
    assert_nothing_published(client, author)


def test_wrong_types_in_user_bodies_are_422(client, make_user):
    name = unique("typed")
    response = client.post(
        "/users", json={"user": {"username": 123, "email": f"{name}@example.com", "password": "password123"}}
    )
    assert_error_field(response, 422, "username")
    assert (
        client.post(
            "/users/login", json={"user": {"email": f"{name}@example.com", "password": "password123"}}
        ).status_code
        == 401
    )
    user = make_user("typedupd")
    assert_error_field(client.put("/user", token=user["token"], json={"user": {"bio": 5}}), 422, "bio")
    assert_error_field(client.put("/user", token=user["token"], json={"user": {"email": ["a@b.co"]}}), 422, "email")
    assert client.get("/user", token=user["token"]).json()["user"]["bio"] is None
    assert_error_field(client.post("/users/login", json={"user": {"email": 1, "password": 2}}), 422, "email")


def test_oversized_body_is_413(client, author):
    article = {"title": unique("Huge "), "description": "d", "body": "x" * (64 * 1024 + 1)}
    response = client.post("/articles", token=author["token"], json={"article": article})
    assert response.status_code == 413, response.text
    body = response.json()
    assert list(body) == ["errors"] and list(body["errors"]) == ["body"]
    assert all(isinstance(m, str) and m for m in body["errors"]["body"])
    assert_nothing_published(client, author)


def test_oversized_body_is_413_on_every_write(client, author, make_article):
    padding = "x" * (65 * 1024)
    article = make_article(author["token"])
    for method, path, payload in (
        ("POST", "/users", {"user": {"username": unique("big"), "email": "big@example.com", "password": padding}}),
        ("PUT", "/user", {"user": {"bio": padding}}),
        ("PUT", f"/articles/{article['slug']}", {"article": {"body": padding}}),
        ("POST", f"/articles/{article['slug']}/comments", {"comment": {"body": padding}}),
    ):
        response = client.request(method, path, token=author["token"], json=payload)
        assert response.status_code == 413, (path, response.text)
        assert list(response.json()["errors"]) == ["body"]
    assert client.get(f"/articles/{article['slug']}").json()["article"] == article
    assert client.get(f"/articles/{article['slug']}/comments").json() == {"comments": []}
    assert client.get("/user", token=author["token"]).json()["user"]["bio"] is None


def test_body_just_under_the_limit_is_judged_on_its_fields(client, author):
    # under 64 KiB but over the body field's own limit: 422, not 413
    article = {"title": unique("Long "), "description": "d", "body": "x" * 60_000}
    response = client.post("/articles", token=author["token"], json={"article": article})
    assert_error_field(response, 422, "body")
    assert_nothing_published(client, author)


@pytest.mark.parametrize(
    ("field", "length"),
    [("title", 10_000), ("description", 10_000), ("body", 60_000)],
)
def test_very_long_article_fields_are_422(client, author, field, length):
    article = {"title": unique("Long "), "description": "d", "body": "b", field: "y" * length}
    response = client.post("/articles", token=author["token"], json={"article": article})
    assert_error_field(response, 422, field)
    assert_nothing_published(client, author)


def test_too_many_or_too_long_tags_are_422(client, author):
    for tags in ([f"t{i}" for i in range(500)], ["z" * 1000]):
        article = {"title": unique("Tags "), "description": "d", "body": "b", "tagList": tags}
        response = client.post("/articles", token=author["token"], json={"article": article})
        assert_error_field(response, 422, "tagList")
    assert_nothing_published(client, author)


def test_very_long_user_fields_are_422(client):
    name = unique("long")
    for field, value in (
        ("username", "u" * 1000),
        ("email", "e" * 1000 + "@example.com"),
        ("password", "p" * 10_000),
    ):
        user = {"username": name, "email": f"{name}@example.com", "password": "password123", field: value}
        assert_error_field(client.post("/users", json={"user": user}), 422, field)
    # none of the attempts registered anybody
    logged = client.post("/users/login", json={"user": {"email": f"{name}@example.com", "password": "password123"}})
    assert_error(logged, 401, {"credentials": ["invalid"]})


def test_very_long_comment_is_422(client, author, make_article):
    article = make_article(author["token"])
    response = client.post(
        f"/articles/{article['slug']}/comments", token=author["token"], json={"comment": {"body": "c" * 60_000}}
    )
    assert_error_field(response, 422, "body")
    assert client.get(f"/articles/{article['slug']}/comments").json() == {"comments": []}


@pytest.mark.parametrize("depth", [21, 50, 30_000])
def test_deeply_nested_json_is_422(client, author, depth):
    nested = "[" * depth + "]" * depth
    raw = '{"article": {"title": "Nested", "description": "d", "body": "b", "extra": ' + nested + "}}"
    response = post_raw(client, "/articles", raw, author["token"])
    assert_error_field(response, 422, "body")
    assert_nothing_published(client, author)


def test_deeply_nested_json_in_every_body_is_422(client, author):
    nested = '{"a":' * 200 + "1" + "}" * 200
    for path, wrapper in (("/users", "user"), ("/users/login", "user")):
        response = post_raw(client, path, f'{{"{wrapper}": {nested}}}')
        assert_error_field(response, 422, "body")
    response = client.put("/user", token=author["token"], data=f'{{"user": {nested}}}', headers=JSON)
    assert_error_field(response, 422, "body")


def test_non_json_content_type_is_rejected(client, author):
    payload = json.dumps({"article": {"title": unique("Form "), "description": "d", "body": "b"}})
    response = post_raw(client, "/articles", payload, author["token"], headers={"Content-Type": "text/plain"})
    assert_error_field(response, 415, "body")
    assert_nothing_published(client, author)


def test_invalid_utf8_is_422(client, author):
    response = post_raw(client, "/articles", b'{"article": {"title": "\xff\xfe"}}', author["token"])
    assert_error_field(response, 422, "body")
    assert_nothing_published(client, author)


def test_unknown_fields_are_ignored_and_cannot_set_server_fields(client, author):
    article = {
        "title": unique("Sneaky "),
        "description": "d",
        "body": "b",
        "slug": "chosen-slug",
        "favoritesCount": 1000,
        "author": {"username": "someone-else"},
        "createdAt": "2000-01-01T00:00:00.000Z",
    }
    response = client.post("/articles", token=author["token"], json={"article": article})
    assert response.status_code == 201, response.text
    created = response.json()["article"]
    assert created["slug"] != "chosen-slug"
    assert created["favoritesCount"] == 0
    assert created["author"]["username"] == author["username"]
    assert not created["createdAt"].startswith("2000")
