"""The GraphQL HTTP edge under hostile input (docs/security.md, issue 13 rows 3, 5 and 6): requests the
GraphQL layer cannot run are a 400 with a GraphQL error body (never a 500), the GraphiQL page carries
the API's security headers with a policy that allows exactly what it loads, and graphql-core's "Did
you mean" suggestions are off wherever introspection is."""

from __future__ import annotations

import base64
import hashlib
import json
import re

import pytest

from tests.template.helpers import event

SECURITY_HEADERS = ("x-content-type-options", "strict-transport-security", "x-frame-options", "referrer-policy")


def _bad_request(response, message_part: str = "") -> str:
    assert response.status_code == 400, response.text
    assert response.headers["content-type"].startswith("application/json")
    (error,) = response.json()["errors"]
    assert error["extensions"] == {"code": "BAD_REQUEST"}, error
    assert message_part in error["message"]
    for header in SECURITY_HEADERS:
        assert header in response.headers, header
    return error["message"]


@pytest.mark.parametrize(
    ("body", "message"),
    [
        # json.loads recursed past Python's limit: RecursionError -> 500 text/plain under Mangum
        ('{"query": "{ tags }", "variables": ' + "[" * 30_000 + "]" * 30_000 + "}", "JSON"),
        ('{"query": "{ tags }", "variables": ' + '{"a": ' * 25 + "1" + "}" * 25 + "}", "nested too deeply"),
        ('"{ tags }"', "JSON object"),  # a JSON string, number or null: AttributeError -> 500
        ("42", "JSON object"),
        ("null", "JSON object"),
        ('{"query": ""}', "No GraphQL query"),
        ('{"query": "  \\n "}', "No GraphQL query"),
        ("{}", "No GraphQL query"),
    ],
    ids=["30000-deep", "25-deep", "string", "number", "null", "empty-query", "blank-query", "no-query"],
)
def test_malformed_deep_or_empty_bodies_are_400_graphql_errors(client, body, message):
    response = client.post("/graphql", data=body.encode(), headers={"content-type": "application/json"})
    _bad_request(response, message)


def test_a_body_that_is_not_utf8_is_a_400(client):
    response = client.post("/graphql", data=b'{"query": "\xff"}', headers={"content-type": "application/json"})
    _bad_request(response, "JSON")


@pytest.mark.parametrize(
    "content_type",
    [
        "image/json",
        "application/jsonx",
        "application/json-patch+json",
        "text/plain",
        "application/json; charset=latin-1",
    ],
)
def test_only_application_json_is_accepted(client, content_type):
    response = client.post("/graphql", data=b'{"query": "{ tags }"}', headers={"content-type": content_type})
    _bad_request(response, "Unsupported content type")
    ok = client.post(
        "/graphql", data=b'{"query": "{ tags }"}', headers={"content-type": "application/json; charset=utf-8"}
    )
    assert ok.status_code == 200 and "tags" in ok.json()["data"]


@pytest.mark.parametrize(
    "params",
    [{}, {"query": ""}, {"query": " "}, {"query": "{ tags }", "variables": "[" * 5000 + "]" * 5000}],
    ids=["none", "empty", "blank", "deep-variables"],
)
def test_get_without_a_query_or_with_deep_variables_is_a_400(client, params):
    _bad_request(client.get("/graphql", params=params, headers={"Accept": "application/json"}))


# ---------------------------------------------------------------- the GraphiQL page (row 5)


def _sha256(text: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(text.encode()).digest()).decode() + "'"


def test_the_graphiql_page_has_the_security_headers_and_a_policy_for_exactly_what_it_loads(client):
    page = client.get("/graphql", headers={"Accept": "text/html"})
    assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
    assert page.headers["x-content-type-options"] == "nosniff"
    assert page.headers["x-frame-options"] == "DENY"
    assert page.headers["strict-transport-security"].startswith("max-age=")
    assert page.headers["referrer-policy"] == "no-referrer"
    assert page.headers["cache-control"] == "no-store"

    policy = dict(
        ([*directive.split(" ", 1), ""])[:2] for directive in page.headers["content-security-policy"].split("; ")
    )
    html = page.text
    scripts = re.findall(r'<script[^>]*\bsrc="([^"]+)"', html)
    styles = re.findall(r'<link[^>]*rel="stylesheet"[^>]*href="([^"]+)"', html, flags=re.S)
    styles += re.findall(r'<link[^>]*href="([^"]+)"[^>]*rel="stylesheet"', html, flags=re.S)
    inline_scripts = re.findall(r"<script>(.*?)</script>", html, flags=re.S)
    inline_styles = re.findall(r"<style>(.*?)</style>", html, flags=re.S)
    assert scripts and styles and inline_scripts and inline_styles, "the page changed: review its policy"
    assert set(policy["script-src"].split()) == {*scripts, *map(_sha256, inline_scripts)}
    assert set(policy["style-src"].split()) == {*styles, *map(_sha256, inline_styles)}
    assert policy["default-src"] == "'none'" and policy["frame-ancestors"] == "'none'"
    assert policy["connect-src"] == "'self'"
    assert policy["img-src"] == policy["font-src"] == "data:"
    assert policy["base-uri"] == policy["form-action"] == "'none'"
    text = page.headers["content-security-policy"]
    assert "unsafe-inline" not in text and "unsafe-eval" not in text and "*" not in text


def test_graphql_answers_keep_the_api_policy(client):
    response = client.post("/graphql", json={"query": "{ __typename }"})
    assert response.headers["content-security-policy"] == "default-src 'none'; frame-ancestors 'none'"


# ---------------------------------------------------------------- suggestions (row 6)

SUGGESTING = [
    "{ usr { edges { cursor } } }",  # field
    "{ articles(frist: 2) { totalCount } }",  # argument
    "query($f: ArticleFiltr) { articles(filter: $f) { totalCount } }",  # type
    '{ articles(filter: {tga: "x"}) { totalCount } }',  # input field
    'mutation { setRole(username: "x", role: ADMN) { role } }',  # enum value
]


def _handle(query: str, variables: dict | None = None) -> dict:
    from conduit.graphql.asgi import handler

    sample = event("graphql")
    sample["body"] = json.dumps({"query": query, "variables": variables})
    sample["headers"].pop("content-length")
    response = handler(sample)
    assert response["statusCode"] == 200, response
    return json.loads(response["body"])


@pytest.fixture
def introspection(monkeypatch):
    """introspection("true" | "false"): this process's GRAPHQL_INTROSPECTION, its settings read again (a
    container reads them once); read again from the restored environment afterwards."""
    from conduit.settings import get_settings

    def apply(value: str) -> None:
        monkeypatch.setenv("GRAPHQL_INTROSPECTION", value)
        get_settings.cache_clear()

    yield apply
    get_settings.cache_clear()


@pytest.mark.parametrize("query", SUGGESTING)
def test_suggestions_follow_introspection(introspection, query):
    introspection("true")
    assert "Did you mean" in json.dumps(_handle(query)), "introspection on: suggestions help developers"
    introspection("false")
    (error,) = _handle(query)["errors"]
    assert "Did you mean" not in error["message"] and error["message"], error
    assert error["extensions"]["code"] == "GRAPHQL_VALIDATION_FAILED"


def test_no_suggestions_in_variable_errors_without_introspection(introspection):
    introspection("false")
    query = 'mutation($r: Role!) { setRole(username: "x", role: $r) { role } }'
    (error,) = _handle(query, {"r": "ADMN"})["errors"]
    assert "Did you mean" not in error["message"] and "ADMN" in error["message"], error
    assert error["extensions"]["code"] == "BAD_USER_INPUT"
