"""Comments come in pages (issue 13, row 2): 3 accounts x 54 comments of 10,000 emoji made one
article's GET .../comments a 6.5 MB answer, above what a Lambda function may return, so anyone could
make any article's comments unreadable. Now `limit` (default 20, at most 25), `offset` (at most 500)
and `after=<comment id>` (a key-based cursor, any depth); the byte bound of a full page is
tests/unit/test_response_budget.py."""

from __future__ import annotations

import json

import pytest

from tests.api.helpers import assert_error

EMOJI_BODY = "\U0001f600" * 10_000  # the longest comment (10,000 characters), 40 KB of UTF-8


def _comment(client, slug: str, token: str, body: str) -> dict:
    raw = json.dumps({"comment": {"body": body}}, ensure_ascii=False).encode("utf-8")  # UTF-8: 40 KB, not 120
    headers = {"content-type": "application/json"}
    response = client.post(f"/articles/{slug}/comments", token=token, data=raw, headers=headers)
    assert response.status_code == 201, response.text
    return response.json()["comment"]


@pytest.fixture(scope="module")
def crowded(client):
    """An article with 30 comments of the longest kind, from two accounts."""
    from tests.conftest import unique

    tokens = []
    for _ in range(2):
        name = unique("crowd")
        user = {"username": name, "email": f"{name}@example.com", "password": "password123"}
        tokens.append(client.post("/users", json={"user": user}).json()["user"]["token"])
    article = {"title": unique("Crowded "), "description": "d", "body": "b"}
    slug = client.post("/articles", json={"article": article}, token=tokens[0]).json()["article"]["slug"]
    ids = [_comment(client, slug, tokens[i % 2], EMOJI_BODY)["id"] for i in range(30)]
    return {"slug": slug, "ids": ids}


def _ids(response) -> list[int]:
    assert response.status_code == 200, response.text
    return [c["id"] for c in response.json()["comments"]]


def test_without_parameters_the_oldest_20_come(client, crowded):
    response = client.get(f"/articles/{crowded['slug']}/comments")
    assert _ids(response) == crowded["ids"][:20]
    assert len(response.content) < 1_000_000  # 30 such comments were 1.2 MB, and nothing stopped 162


def test_limit_offset_and_the_cap_of_25(client, crowded):
    slug, ids = crowded["slug"], crowded["ids"]
    assert _ids(client.get(f"/articles/{slug}/comments", params={"limit": 5, "offset": 3})) == ids[3:8]
    assert _ids(client.get(f"/articles/{slug}/comments", params={"limit": 1000})) == ids[:25]
    assert _ids(client.get(f"/articles/{slug}/comments", params={"offset": 25})) == ids[25:]
    assert _ids(client.get(f"/articles/{slug}/comments", params={"offset": 500})) == []


def test_after_a_comment_id_reads_from_its_key(client, crowded):
    slug, ids = crowded["slug"], crowded["ids"]
    assert _ids(client.get(f"/articles/{slug}/comments", params={"after": ids[9], "limit": 3})) == ids[10:13]
    assert _ids(client.get(f"/articles/{slug}/comments", params={"after": ids[-1]})) == []
    assert _ids(client.get(f"/articles/{slug}/comments", params={"after": 0})) == ids[:20]


@pytest.mark.parametrize(
    ("params", "errors"),
    [
        ({"offset": 501}, {"offset": ["must be at most 500"]}),
        ({"limit": 0}, {"limit": ["must be at least 1"]}),
        ({"after": "x"}, {"after": ["must be a non-negative integer"]}),
        ({"after": -1}, {"after": ["must be a non-negative integer"]}),
    ],
)
def test_bad_paging_parameters_are_422(client, crowded, params, errors):
    assert_error(client.get(f"/articles/{crowded['slug']}/comments", params=params), 422, errors)
