"""What the schema fuzzing found, each as a plain request with its expected answer (docs/reliability.md,
"Schema fuzzing"). They run against the package's own table like the fuzz tests."""

from __future__ import annotations

import json
import uuid
from typing import Any

import jsonschema
import pytest
import requests

from tests.conftest import Client
from tests.fuzz.support import DOCUMENT, own_table

GET_READS = [
    "/articles",
    "/tags",
    "/articles/{slug}",
    "/articles/{slug}/comments",
    "/profiles/{username}",
    "/user",
    "/articles/feed",
]


@pytest.fixture(scope="module")
def api(base_url: str) -> Client:
    return Client(base_url)


@pytest.fixture(scope="module")
def author(api: Client) -> dict[str, Any]:
    name = f"reg{uuid.uuid4().hex[:10]}"
    body = {"user": {"username": name, "email": f"{name}@example.com", "password": "password123"}}
    response = api.post("/users", json=body)
    assert response.status_code == 201, response.text
    token = response.json()["user"]["token"]
    article = api.post(
        "/articles", json={"article": {"title": f"Fuzz {name}", "description": "d", "body": "b"}}, token=token
    )
    assert article.status_code == 201, article.text
    return {"username": name, "token": token, "slug": article.json()["article"]["slug"]}


def _document() -> dict[str, Any]:
    return json.loads(DOCUMENT.read_text(encoding="utf-8"))


# 1. The coverage phase's unexpected-method probes (TRACE, QUERY, ...) got http.server's HTML
#    "501 Unsupported method" from the local API; API Gateway has no route for them: its JSON 404.
@pytest.mark.parametrize("method", ["TRACE", "QUERY", "PROPFIND", "BREW"])
def test_a_method_no_route_takes_is_the_gateways_404(base_url, method):
    response = requests.request(method, f"{base_url}/api/articles", timeout=30)
    assert response.status_code == 404
    assert response.headers["content-type"] == "application/json"
    assert response.json() == {"message": "Not Found"}


# 2. Every GET read answers If-None-Match with a 304 (conduit.http.caching), but the document listed
#    304 (and the If-None-Match header) only for the docs routes: a client, or a fuzzer sending the
#    header, got an undocumented status. Now documented for each GET with its ETag.
@pytest.mark.parametrize("path", GET_READS)
def test_conditional_reads_answer_304_and_the_document_says_so(api, author, path):
    concrete = path.format(slug=author["slug"], username=author["username"])
    first = api.get(concrete, token=author["token"])
    assert first.status_code == 200, first.text
    etag = first.headers["etag"]
    for validator in (etag, "*", f'W/"other", {etag}'):
        again = api.get(concrete, token=author["token"], headers={"If-None-Match": validator})
        assert again.status_code == 304, (validator, again.text)
        assert again.content == b""
        assert again.headers["etag"] == etag
    assert api.get(concrete, token=author["token"], headers={"If-None-Match": 'W/"other"'}).status_code == 200

    operation = _document()["paths"][f"/api{path}"]["get"]
    assert "304" in operation["responses"]
    assert operation["responses"]["200"]["headers"]["ETag"] == {"$ref": "#/components/headers/ETag"}
    assert {"$ref": "#/components/parameters/IfNoneMatch"} in operation["parameters"]


# 3. The idempotency store kept the table it was first built for (lru_cache on the route): once the
#    settings named another table (the stateful fuzzing gives each scenario a fresh one), every create
#    with an Idempotency-Key answered 503 (ResourceNotFoundException from the old table).
def test_idempotent_creates_follow_the_configured_table(api, runtime):
    name = f"idem{uuid.uuid4().hex[:10]}"
    body = {"user": {"username": name, "email": f"{name}@example.com", "password": "password123"}}
    first = api.post("/users", json=body, headers={"Idempotency-Key": f"k-{name}"})
    assert first.status_code == 201, first.text
    with own_table(runtime, "idem"):
        again = api.post("/users", json=body, headers={"Idempotency-Key": f"k-{name}"})
        assert again.status_code == 201, again.text
        assert again.json() != first.json()  # not a replay of the other table's answer: registered here
        assert api.get(f"/profiles/{name}").status_code == 200
        replay = api.post("/users", json=body, headers={"Idempotency-Key": f"k-{name}"})
        assert replay.status_code == 201 and replay.json() == again.json()
    replay_first = api.post("/users", json=body, headers={"Idempotency-Key": f"k-{name}"})
    assert replay_first.status_code == 201 and replay_first.json() == first.json()


# 4. Positive cases the document allowed were rejected with 422: the request schemas said only
#    `string, maxLength` while the validators require a non-blank value, an email, a username of
#    letters/digits/_-., a password of 8+ characters and an http(s) image. The document now carries
#    those constraints, written for ECMA-262 regexes (JSON Schema's dialect), whose \s lacks the
#    separators \x1c-\x1f and \x85 that Python's str.strip() removes.
@pytest.mark.parametrize(
    ("field", "value", "accepted"),
    [
        ("email", "a@b.co", True),
        ("email", "a\x1d@b.co", False),  # found: generated as valid for ECMA's \s, invalid for Python's
        ("email", "a@b\x85.co", False),
        ("email", "ab.co", False),
        ("username", "a.b-c_d", True),
        ("username", "a b", False),
        ("username", "\u00e9", False),
        ("password", "12345678", True),
        ("password", "1234567", False),
        ("password", "\x1c" * 8, False),  # blank to str.strip()
    ],
)
def test_registration_constraints_match_the_document(api, field, value, accepted):
    name = f"pat{uuid.uuid4().hex[:10]}"
    user = {"username": name, "email": f"{name}@example.com", "password": "password123", field: value}
    schema = {**_document()["components"]["schemas"]["NewUser"], "$defs": {}}
    documented = jsonschema.Draft202012Validator(schema).is_valid(user)
    response = api.post("/users", json={"user": user})
    assert documented is accepted, (field, value)
    assert (response.status_code == 201) is accepted, response.text
    if not accepted:
        assert response.status_code == 422
        assert field in response.json()["errors"]


@pytest.mark.parametrize(
    ("title", "accepted"),
    [("T", True), ("\u3000", False), ("\x1f", False), (" \x85 ", False), ("\u200b", True)],
)
def test_blank_titles_match_the_document(api, author, title, accepted):
    schema = _document()["components"]["schemas"]["NewArticle"]
    article = {"title": title, "description": "d", "body": "b"}
    documented = jsonschema.Draft202012Validator(schema).is_valid(article)
    response = api.post("/articles", json={"article": article}, token=author["token"])
    assert documented is accepted, repr(title)
    assert response.status_code == (201 if accepted else 422), response.text
    if not accepted:
        assert response.json() == {"errors": {"title": ["can't be blank"]}}
