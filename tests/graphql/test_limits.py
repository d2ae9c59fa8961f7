"""Depth, token, alias and cost limits; introspection and GraphiQL switches; error masking; the
HTTP edge (body cap, malformed requests, security headers)."""

from __future__ import annotations

from typing import Any

import pytest

from tests.api.helpers import within_one_window
from tests.graphql.helpers import assert_code, data, gql
from tests.reliability.faults import Fault

INTROSPECTION = "{ __schema { queryType { name } } }"


def _nested(levels: int) -> str:
    query = "slug"
    for _ in range(levels):
        query = f"articles(first: 1) {{ edges {{ node {{ author {{ {query} }} }} }} }}"
    return "{ " + query.replace("author { slug }", "author { username }") + " }"


def test_too_deep_a_query_is_refused_before_running(client):
    answer = gql(client, _nested(3))  # articles > edges > node > author > articles ... 11 levels
    assert answer.get("data") is None
    error = assert_code(answer, "GRAPHQL_VALIDATION_FAILED")
    assert "exceeds maximum operation depth of 8" in error["message"]


def test_a_query_at_the_depth_limit_runs(client):
    answer = gql(client, _nested(2))  # 8 levels: the limit
    assert "errors" not in answer, answer


def test_nested_lists_exceed_the_cost_limit(client):
    query = """{ articles(first: 50) { edges { node { author {
      articles(first: 50) { edges { node { slug title } } } } } } } }"""
    answer = gql(client, query)
    assert answer["data"] is None
    error = assert_code(answer, "QUERY_TOO_COMPLEX")
    assert error["extensions"]["cost"] > error["extensions"]["maxCost"] == 2500
    assert error["message"].startswith("Query cost ")


def test_cost_counts_page_sizes_given_as_variables(client):
    query = """query($n: Int) { articles(first: $n) { edges { node {
      slug title comments { edges { node { body author { username } } } } } } } }"""
    assert_code(gql(client, query, {"n": 100}), "QUERY_TOO_COMPLEX")
    assert "errors" not in gql(client, query, {"n": 5})


def test_a_full_page_of_articles_with_every_field_is_within_the_cost_limit(client):
    query = """{ articles(first: 100) { totalCount pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
      edges { cursor node { slug title description body tagList createdAt updatedAt favorited favoritesCount
      author { username bio image following } } } } }"""
    assert isinstance(data(gql(client, query))["articles"]["totalCount"], int)


def test_too_many_aliases_are_refused(client):
    query = "{ " + " ".join(f"t{i}: tags" for i in range(16)) + " }"
    error = assert_code(gql(client, query), "GRAPHQL_VALIDATION_FAILED")
    assert error["message"] == "16 aliases found. Allowed: 15"
    assert "errors" not in gql(client, "{ " + " ".join(f"t{i}: tags" for i in range(15)) + " }")


def test_too_long_a_document_is_refused_while_parsing(client):
    error = assert_code(gql(client, "{ " + "__typename " * 2100 + "}"), "GRAPHQL_PARSE_FAILED")
    assert "more than 2000 tokens" in error["message"]


def test_syntax_errors_and_unknown_fields(client):
    assert_code(gql(client, "{ tags "), "GRAPHQL_PARSE_FAILED")
    error = assert_code(gql(client, "{ nope }"), "GRAPHQL_VALIDATION_FAILED")
    assert "Cannot query field 'nope'" in error["message"]
    bad_variable = gql(client, "query($n: Int) { articles(first: $n) { totalCount } }", {"n": "ten"})
    assert_code(bad_variable, "BAD_USER_INPUT")


def test_introspection_is_on_by_default_and_off_per_stage(client, runtime):
    assert data(gql(client, INTROSPECTION)) == {"__schema": {"queryType": {"name": "Query"}}}
    with runtime.configured(GRAPHQL_INTROSPECTION="false"):
        answer = gql(client, INTROSPECTION)
        typename = gql(client, "{ __typename }")
    assert answer.get("data") is None and answer["errors"]
    for error in answer["errors"]:
        assert error["extensions"]["code"] == "GRAPHQL_VALIDATION_FAILED"
        assert "introspection has been disabled" in error["message"]
    assert data(typename) == {"__typename": "Query"}, "__typename is not introspection"


def test_graphiql_page_on_by_default_and_off_per_stage(client, runtime):
    page = client.get("/graphql", headers={"Accept": "text/html"})
    assert page.status_code == 200
    assert page.headers["content-type"].startswith("text/html")
    assert "GraphiQL" in page.text
    with runtime.configured(GRAPHIQL_ENABLED="false"):
        off = client.get("/graphql", headers={"Accept": "text/html"})
    assert off.status_code == 404
    assert off.json() == {"errors": [{"message": "Not Found", "extensions": {"code": "NOT_FOUND"}}]}


def test_get_runs_queries_but_never_mutations(client):
    answer = client.get("/graphql", params={"query": "{ __typename }"})
    assert answer.status_code == 200 and answer.json() == {"data": {"__typename": "Query"}}
    mutation = client.get("/graphql", params={"query": 'mutation { deleteArticle(slug: "x") }'})
    assert mutation.status_code == 400
    assert mutation.json()["errors"][0]["extensions"]["code"] == "BAD_REQUEST"


def test_unexpected_errors_are_masked(client):
    with Fault("validation", at=1, operation="Query"):  # an error the code does not expect, with a detail
        response = client.post("/graphql", json={"query": "{ tags __typename }"})
    assert response.status_code == 200
    assert "secret detail" not in response.text
    answer = response.json()
    assert answer["data"] == {"tags": None, "__typename": "Query"}
    error = assert_code(answer, "INTERNAL_SERVER_ERROR")
    assert error["message"] == "Internal server error" and error["path"] == ["tags"]


@pytest.mark.parametrize(
    ("body", "content_type", "status"),
    [
        ("not json", "application/json", 400),
        ("{}", "application/json", 400),
        ("query=x", "text/plain", 400),
        (
            '[{"query": "{ tags }"}, {"query": "{ tags }"}]',
            "application/json",
            400,
        ),  # no batching: limits are per operation
    ],
)
def test_malformed_requests_get_graphql_shaped_errors(client, body, content_type, status):
    response = client.post("/graphql", data=body, headers={"content-type": content_type})
    assert response.status_code == status
    (error,) = response.json()["errors"]
    assert error["extensions"]["code"] == "BAD_REQUEST" and error["message"]


def test_oversized_bodies_are_refused_like_rest(client):
    response = client.post("/graphql", json={"query": "{ tags }", "padding": "x" * 70_000})
    assert response.status_code == 413
    (error,) = response.json()["errors"]
    assert error["extensions"] == {
        "code": "BAD_USER_INPUT",
        "errors": {"body": ["is too large (maximum is 65536 bytes)"]},
    }


def test_responses_carry_the_api_headers(client, make_user):
    ada = make_user("ada")
    response = client.post(
        "/graphql", json={"query": "{ me { username } }"}, token=ada["token"], headers={"origin": "https://app.example"}
    )
    assert response.headers["x-content-type-options"] == "nosniff"
    assert response.headers["cache-control"] == "no-store"
    assert response.headers["x-correlation-id"]
    assert response.headers["content-length"] == str(len(response.content))
    assert response.headers["access-control-allow-origin"] == "*"


def test_unavailable_and_rate_limited_carry_retry_after(client, runtime, make_user):
    with Fault("throttling", at=1, operation="Query"):
        error = assert_code(gql(client, "{ tags }"), "UNAVAILABLE")
    assert error["extensions"]["retryAfter"] == 1
    # Two pairs of users, registered before the quota is lowered (registrations count as writes): the second
    # for a rerun, should the first attempt straddle two minutes (the quota counts per clock minute).
    pairs = iter([(make_user("rlf"), make_user("rlt")) for _ in range(2)])

    def follow_twice() -> tuple[Any, Any]:
        follower, followed = next(pairs)
        follow = f'mutation {{ follow(username: "{followed["username"]}") {{ following }} }}'
        return gql(client, follow, token=follower["token"]), gql(client, follow, token=follower["token"])

    with runtime.configured(WRITE_QUOTA_PER_MINUTE=1):
        first, second = within_one_window(follow_twice, window_seconds=60)
    assert data(first) == {"follow": {"following": True}}
    error = assert_code(second, "RATE_LIMITED")
    assert 1 <= error["extensions"]["retryAfter"] <= 60
