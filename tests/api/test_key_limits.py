"""Path and query values at and beyond DynamoDB's key-size limits, on every route that looks them up.

DynamoDB refuses a partition key value over 2,048 bytes and a sort key value over 1,024 bytes (UTF-8,
the key's prefix included: `SLUG#<slug>`, `UNAME#<name>`, `TAG#<tag>`) with a ValidationException,
for reads too; moto accepts them, DynamoDB Local does not. A value that cannot be a key cannot name
anything stored, so the answer is the one for a missing thing: 404 with the RealWorld body for a
lookup or a write on it, an empty page for a list filter. Never a 5xx. Run on moto and on DynamoDB
Local (DYNAMODB_ENDPOINT). What a client can store under a key (usernames, emails, tags, slugs of
titles) is bounded by validation far below the limits: the last tests write values at those bounds.
"""

from __future__ import annotations

from urllib.parse import quote

import pytest

from tests.api.helpers import assert_error
from tests.conftest import unique
from tests.graphql.helpers import assert_code, data, gql
from tools.grant_role import grant

PK_LIMIT = 2048


def _value(unit: str, size: int) -> str:
    """A value of exactly `size` UTF-8 bytes made of `unit` (plus ASCII filler)."""
    width = len(unit.encode("utf-8"))
    return unit * (size // width) + "a" * (size % width)


# (id, value): ASCII and multi-byte (2, 3, 4 bytes per character) at 1,000 / 2,100 / 8,000 bytes, and the
# last storable and first unstorable sizes of each prefix (a 2,043-byte slug is `SLUG#` + 2,043 = 2,048).
SIZES = (1000, 2100, 8000)
UNITS = {"ascii": "a", "latin": "é", "cjk": "字", "emoji": "😀"}
LONG = [(f"{name}-{size}", _value(unit, size)) for name, unit in UNITS.items() for size in SIZES]


def _boundary(prefix: str) -> list[tuple[str, str]]:
    room = PK_LIMIT - len(prefix)
    return [(f"{prefix}at-limit", _value("a", room)), (f"{prefix}over-limit", _value("a", room + 1))]


SLUGS = LONG + _boundary("SLUG#")
USERNAMES = LONG + _boundary("UNAME#")
FILTERS = USERNAMES + _boundary("TAG#")  # ?tag= is TAG#<tag>; ?author= and ?favorited= are usernames


def _path(value: str) -> str:
    return quote(value, safe="")


@pytest.fixture(scope="module")
def people(client):
    """An author with an article, a reader and an admin (made once: the values vary, not the people)."""

    def register(prefix: str) -> dict[str, str]:
        name = unique(prefix)
        body = {"user": {"username": name, "email": f"{name}@example.com", "password": "password123"}}
        response = client.post("/users", json=body)
        assert response.status_code == 201, response.text
        return {"username": name, "token": response.json()["user"]["token"]}

    author, reader, admin = register("kla"), register("klr"), register("kladm")
    assert grant(admin["username"], "admin") == 0
    article = {"title": unique("Key limits "), "description": "d", "body": "b", "tagList": []}
    created = client.post("/articles", json={"article": article}, token=author["token"])
    assert created.status_code == 201, created.text
    return {"author": author, "reader": reader, "admin": admin, "slug": created.json()["article"]["slug"]}


@pytest.mark.parametrize("slug", [value for _, value in SLUGS], ids=[name for name, _ in SLUGS])
def test_article_routes_answer_404_for_a_slug_that_cannot_be_a_key(client, people, slug):
    token, author = people["reader"]["token"], people["author"]["token"]
    path = f"/articles/{_path(slug)}"
    not_found = {"article": ["not found"]}
    assert_error(client.get(path), 404, not_found)
    assert_error(client.get(path, token=token), 404, not_found)
    assert_error(client.put(path, token=author, json={"article": {"body": "changed"}}), 404, not_found)
    assert_error(client.delete(path, token=author), 404, not_found)
    assert_error(client.post(f"{path}/favorite", token=token), 404, not_found)
    assert_error(client.delete(f"{path}/favorite", token=token), 404, not_found)
    assert_error(client.get(f"{path}/comments"), 404, not_found)
    assert_error(client.post(f"{path}/comments", token=token, json={"comment": {"body": "hi"}}), 404, not_found)
    assert_error(client.delete(f"{path}/comments/1", token=token), 404, not_found)


@pytest.mark.parametrize("username", [value for _, value in USERNAMES], ids=[name for name, _ in USERNAMES])
def test_profile_and_admin_routes_answer_404_for_a_username_that_cannot_be_a_key(client, people, username):
    token, admin = people["reader"]["token"], people["admin"]["token"]
    path = _path(username)
    not_found = {"profile": ["not found"]}
    assert_error(client.get(f"/profiles/{path}"), 404, not_found)
    assert_error(client.get(f"/profiles/{path}", token=token), 404, not_found)
    assert_error(client.post(f"/profiles/{path}/follow", token=token), 404, not_found)
    assert_error(client.delete(f"/profiles/{path}/follow", token=token), 404, not_found)
    assert_error(client.put(f"/admin/users/{path}/role", token=admin, json={"role": "moderator"}), 404, not_found)
    assert_error(client.post(f"/admin/users/{path}/suspend", token=admin), 404, not_found)
    assert_error(client.delete(f"/admin/users/{path}/suspend", token=admin), 404, not_found)


@pytest.mark.parametrize("value", [value for _, value in FILTERS], ids=[name for name, _ in FILTERS])
@pytest.mark.parametrize("name", ["tag", "author", "favorited"])
def test_list_filters_that_cannot_be_keys_list_nothing(client, people, name, value):
    for token in (None, people["reader"]["token"]):
        response = client.get("/articles", params={name: value}, token=token)
        assert response.status_code == 200, response.text
        assert response.json() == {"articles": [], "articlesCount": 0}


@pytest.mark.parametrize("value", [value for _, value in LONG], ids=[name for name, _ in LONG])
def test_other_query_and_path_values_are_refused_or_ignored(client, people, value):
    token, admin = people["reader"]["token"], people["admin"]["token"]
    for path, who in (("/articles", None), ("/articles/feed", token), ("/admin/users", admin)):
        for name in ("limit", "offset"):
            response = client.get(path, params={name: value}, token=who)
            assert response.status_code == 422, response.text
            assert set(response.json()["errors"]) == {name}
    assert client.get("/tags", params={"tag": value}).status_code == 200  # unknown parameters are ignored
    assert client.get(f"/docs/{_path(value)}").status_code == 404  # no such file (and no table)
    comment_path = f"/articles/{people['slug']}/comments/{_path(value)}"
    assert_error(client.delete(comment_path, token=token), 404, {"comment": ["not found"]})


GRAPHQL_BY_SLUG = [
    ("query($s: String!) { article(slug: $s) { slug } }", None),
    ('mutation($s: String!) { updateArticle(slug: $s, article: {body: "x"}) { slug } }', "author"),
    ("mutation($s: String!) { deleteArticle(slug: $s) }", "author"),
    ("mutation($s: String!) { favorite(slug: $s) { slug } }", "reader"),
    ("mutation($s: String!) { unfavorite(slug: $s) { slug } }", "reader"),
    ('mutation($s: String!) { addComment(slug: $s, comment: {body: "hi"}) { id } }', "reader"),
    ("mutation($s: String!) { deleteComment(slug: $s, id: 1) }", "reader"),
]
GRAPHQL_BY_USERNAME = [
    ("query($u: String!) { profile(username: $u) { username } }", None),
    ("mutation($u: String!) { follow(username: $u) { username } }", "reader"),
    ("mutation($u: String!) { unfollow(username: $u) { username } }", "reader"),
    ("mutation($u: String!) { setRole(username: $u, role: MODERATOR) { username } }", "admin"),
    ("mutation($u: String!) { suspendUser(username: $u) { username } }", "admin"),
    ("mutation($u: String!) { reinstateUser(username: $u) { username } }", "admin"),
]


@pytest.mark.parametrize("slug", [value for _, value in SLUGS], ids=[name for name, _ in SLUGS])
def test_graphql_fields_by_slug_answer_not_found(client, people, slug):
    for query, who in GRAPHQL_BY_SLUG:
        token = people[who]["token"] if who else None
        assert_code(gql(client, query, {"s": slug}, token), "NOT_FOUND", {"article": ["not found"]})


@pytest.mark.parametrize("username", [value for _, value in USERNAMES], ids=[name for name, _ in USERNAMES])
def test_graphql_fields_by_username_answer_not_found(client, people, username):
    for query, who in GRAPHQL_BY_USERNAME:
        token = people[who]["token"] if who else None
        assert_code(gql(client, query, {"u": username}, token), "NOT_FOUND", {"profile": ["not found"]})


@pytest.mark.parametrize("value", [value for _, value in FILTERS], ids=[name for name, _ in FILTERS])
def test_graphql_filters_that_cannot_be_keys_list_nothing(client, people, value):
    for name in ("tag", "author", "favorited"):
        query = f"query($v: String!) {{ articles(filter: {{{name}: $v}}) {{ totalCount edges {{ cursor }} }} }}"
        answer = data(gql(client, query, {"v": value}, people["reader"]["token"]))
        assert answer["articles"] == {"totalCount": 0, "edges": []}


# What a client can write into a key, at the longest validation allows, in 4-byte characters where
# the field takes them: stored, and found again by the value.


def test_longest_tags_and_titles_are_stored_and_found(client, people):
    token = people["author"]["token"]
    tag = "😀" * 54 + unique("")  # 64 characters (the maximum), 226 bytes: TAG#<tag> is far below 2,048
    title = "字" * 200  # the longest title; its slug is the first 80 word characters (240 bytes)
    created = client.post(
        "/articles", token=token, json={"article": {"title": title, "description": "d", "body": "b", "tagList": [tag]}}
    )
    assert created.status_code == 201, created.text
    slug = created.json()["article"]["slug"]
    assert client.get(f"/articles/{_path(slug)}").json()["article"]["title"] == title
    listed = client.get("/articles", params={"tag": tag}).json()
    assert [article["slug"] for article in listed["articles"]] == [slug]
    assert tag in client.get("/tags").json()["tags"]


def test_longest_usernames_and_emails_register_and_log_in(client):
    username = unique("u") + "x" * 21  # 32 characters, the maximum
    # 254 bytes, the most an address may have: a 64-byte local part (the most it may have) and labels of
    # up to 63 (conduit/identities.py: email-validator counts UTF-8 bytes; wider characters only shorten it).
    email = "x" * 54 + unique("") + "@" + "d" * 63 + "." + "e" * 63 + "." + "f" * 57 + ".com"
    assert len(username) == 32 and len(email) == 254
    user = {"username": username, "email": email, "password": "password123"}
    assert client.post("/users", json={"user": user}).status_code == 201
    login = client.post("/users/login", json={"user": {"email": email, "password": "password123"}})
    assert login.status_code == 200, login.text
    assert client.get(f"/profiles/{username}").json()["profile"]["username"] == username
    wrong = client.post("/users/login", json={"user": {"email": email, "password": "wrong-password"}})
    assert_error(wrong, 401, {"credentials": ["invalid"]})
    too_long = {"username": username + "y", "email": "y" + email.replace(".com", ".coms"), "password": "password123"}
    refused = client.post("/users", json={"user": too_long})
    assert refused.status_code == 422 and set(refused.json()["errors"]) == {"username", "email"}, refused.text
