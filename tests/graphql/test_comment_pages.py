"""Comments as a Relay connection with key-based cursors, and GraphQL answers bounded in bytes
(issue 13, row 2): `Article.comments` was every comment of the article (up to 500, 78 MB of the
longest ones in the payload), and nothing bounded what a page of articles with their bodies weighs."""

from __future__ import annotations

import json

from tests.conftest import unique
from tests.graphql.helpers import assert_code, data, gql

PAGE = """query($s: String!, $n: Int, $a: String) { article(slug: $s) {
  comments(first: $n, after: $a) { pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
  edges { cursor node { id body } } } } }"""


def _post(client, path: str, payload: dict, token: str) -> dict:
    raw = json.dumps(payload, ensure_ascii=False).encode("utf-8")
    response = client.post(path, data=raw, headers={"content-type": "application/json"}, token=token)
    assert response.status_code == 201, response.text
    return response.json()


def test_comments_come_in_pages_with_key_cursors(client, make_user, make_article):
    ada = make_user("ada")
    slug = make_article(ada["token"])["slug"]
    ids = [
        _post(client, f"/articles/{slug}/comments", {"comment": {"body": f"c{i}"}}, ada["token"])["comment"]["id"]
        for i in range(23)
    ]

    first = data(gql(client, PAGE, {"s": slug}))["article"]["comments"]
    assert [e["node"]["id"] for e in first["edges"]] == ids[:20], "default page: 20"
    assert first["pageInfo"]["hasNextPage"] is True and first["pageInfo"]["hasPreviousPage"] is False

    after = first["pageInfo"]["endCursor"]
    rest = data(gql(client, PAGE, {"s": slug, "a": after}))["article"]["comments"]
    assert [e["node"]["id"] for e in rest["edges"]] == ids[20:]
    assert rest["pageInfo"]["hasNextPage"] is False and rest["pageInfo"]["hasPreviousPage"] is True

    # a comment deleted meanwhile does not shift the next page: the cursor is the comment's key
    middle = first["edges"][4]["cursor"]
    assert client.delete(f"/articles/{slug}/comments/{ids[5]}", token=ada["token"]).status_code == 204
    two = data(gql(client, PAGE, {"s": slug, "n": 2, "a": middle}))["article"]["comments"]
    assert [e["node"]["id"] for e in two["edges"]] == [ids[6], ids[7]]

    capped = data(gql(client, PAGE, {"s": slug, "n": 1000}))["article"]["comments"]
    assert len(capped["edges"]) == 22  # 25 at most; 22 left


def test_foreign_comment_cursors_are_bad_user_input(client, make_user, make_article):
    ada = make_user("ada")
    slug = make_article(ada["token"])["slug"]
    answer = gql(client, PAGE, {"s": slug, "a": "b2Zmc2V0OjM"})  # an articles cursor (offset:3)
    assert_code(answer, "BAD_USER_INPUT", {"after": ["is not a valid cursor"]})


def test_an_answer_too_large_for_lambda_is_refused_not_truncated(client, make_user):
    """24 articles whose bodies are 16,300 emoji (64 KB requests) weigh ~4.7 MB in the Lambda payload
    as one GraphQL page: a RESPONSE_TOO_LARGE error instead of a function failure (a bare 500)."""
    ada = make_user("big")
    tag = unique("big")
    body = "\U0001f600" * 16_300
    slugs = []
    try:
        for i in range(24):
            article = {"title": f"Big {i} {tag}", "description": "d", "body": body, "tagList": [tag]}
            slugs.append(_post(client, "/articles", {"article": article}, ada["token"])["article"]["slug"])
        query = "query($t: String) { articles(filter: {tag: $t}, first: 60) { edges { node { body } } } }"
        answer = gql(client, query, {"t": tag})
        error = assert_code(answer, "RESPONSE_TOO_LARGE")
        assert answer["data"] is None
        assert error["extensions"]["bytes"] > error["extensions"]["maxBytes"] == 4_000_000
        smaller = data(gql(client, query.replace("first: 60", "first: 5"), {"t": tag}))
        assert len(smaller["articles"]["edges"]) == 5
    finally:  # the newest articles of the shared table: other tests list them with their bodies
        for slug in slugs:
            assert client.delete(f"/articles/{slug}", token=ada["token"]).status_code == 204
