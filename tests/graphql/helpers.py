"""GraphQL over the local API: `gql(client, query, variables, token)` and checks on the answer."""

from __future__ import annotations

import base64
import json
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from tests.conftest import unique

ARTICLE_FIELDS = """
    slug title description body tagList createdAt updatedAt favorited favoritesCount
    author { username bio image following }
"""
SUMMARY_FIELDS = """
    slug title description tagList createdAt updatedAt favorited favoritesCount
    author { username bio image following }
"""
COMMENT_FIELDS = "id createdAt updatedAt body author { username bio image following }"


def gql(
    client: Any,
    query: str,
    variables: dict[str, Any] | None = None,
    token: str | None = None,
    headers: dict[str, str] | None = None,
) -> dict[str, Any]:
    """POST /api/graphql; the decoded GraphQL answer (always HTTP 200 with JSON once the request parsed)."""
    payload: dict[str, Any] = {"query": query}
    if variables is not None:
        payload["variables"] = variables
    response = client.post("/graphql", json=payload, token=token, headers=headers)
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("application/json"), response.headers
    return response.json()


def data(answer: dict[str, Any]) -> dict[str, Any]:
    """The answer's data, which must come without errors."""
    assert "errors" not in answer, json.dumps(answer, indent=1)
    return answer["data"]


def only_error(answer: dict[str, Any]) -> dict[str, Any]:
    """The answer's one error."""
    errors = answer.get("errors")
    assert isinstance(errors, list) and len(errors) == 1, json.dumps(answer, indent=1)
    return errors[0]


def assert_code(answer: dict[str, Any], code: str, errors: dict[str, list[str]] | None = None) -> dict[str, Any]:
    """One error, with `extensions.code` == code (and the REST-style field errors, when given)."""
    error = only_error(answer)
    assert error["extensions"]["code"] == code, error
    if errors is not None:
        assert error["extensions"]["errors"] == errors, error
    return error


def cursor_position(cursor: str) -> int:
    text = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode()
    assert text.startswith("offset:"), text
    return int(text.removeprefix("offset:"))


def rest_article_input(title: str | None = None, tags: list[str] | None = None) -> dict[str, Any]:
    return {"title": title or unique("Title "), "description": "d", "body": "b", "tagList": tags or []}


def user_id(token: str) -> str:
    payload = token.split(".")[1]
    return json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))["sub"]


@contextmanager
def dynamodb_calls() -> Iterator[list[tuple[str, dict[str, Any]]]]:
    """Every DynamoDB call the functions make inside the block, as (operation, request parameters):
    a recorder armed on the workers' botocore hooks (tests/reliability/faults.py)."""
    from tests.reliability.faults import Recorder

    with Recorder() as recorder:
        yield recorder.requests


def count(calls: list[tuple[str, dict[str, Any]]], operation: str) -> int:
    return sum(1 for name, _ in calls if name == operation)
