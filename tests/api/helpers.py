"""Helpers shared by the API tests: error-body checks, token forging and direct table reads."""

from __future__ import annotations

import base64
import json
import os
import time
from collections.abc import Callable
from typing import Any, TypeVar

import boto3
import jwt
import requests
from boto3.dynamodb.conditions import Key

T = TypeVar("T")


def assert_error(response: requests.Response, status: int, errors: dict[str, list[str]]) -> None:
    """The response has `status` and exactly the RealWorld error body `{"errors": errors}`."""
    assert response.status_code == status, f"{response.status_code} {response.text}"
    assert response.headers["content-type"].startswith("application/json")
    assert response.json() == {"errors": errors}, f"{response.status_code} {response.text}"


def assert_error_field(response: requests.Response, status: int, field: str) -> list[str]:
    """The response has `status` and an error body naming `field` (message text not pinned)."""
    assert response.status_code == status, f"{response.status_code} {response.text}"
    body = response.json()
    assert set(body) == {"errors"}, body
    assert field in body["errors"], body
    messages = body["errors"][field]
    assert isinstance(messages, list) and messages and all(isinstance(m, str) and m for m in messages)
    return messages


def user_id(token: str) -> str:
    """The user id (`sub`) a token was issued to, read without verifying it."""
    payload = token.split(".")[1]
    padded = payload + "=" * (-len(payload) % 4)
    return json.loads(base64.urlsafe_b64decode(padded))["sub"]


def signed_token(claims: dict[str, Any], secret: str | None = None) -> str:
    """A token signed with the local API's secret (or `secret`)."""
    return jwt.encode(claims, secret or os.environ["JWT_SECRET"], algorithm="HS256")


def expired_token(sub: str) -> str:
    now = int(time.time())
    return signed_token({"sub": sub, "iat": now - 7200, "exp": now - 3600})


def table(runtime: Any) -> Any:
    """The Conduit table (boto3 resource) the local API writes to."""
    resource = boto3.resource("dynamodb", endpoint_url=runtime.endpoint, region_name="us-east-1")
    return resource.Table(next(iter(runtime.table_names.values())))


def follow_edges(runtime: Any, follower_token: str) -> list[dict[str, Any]]:
    uid = user_id(follower_token)
    found = table(runtime).query(
        KeyConditionExpression=Key("PK").eq(f"USER#{uid}") & Key("SK").begins_with("FOLLOWS#"),
        ConsistentRead=True,
    )
    return found["Items"]


def stored_user(runtime: Any, token: str) -> dict[str, Any]:
    uid = user_id(token)
    return table(runtime).get_item(Key={"PK": f"USER#{uid}", "SK": "PROFILE"}, ConsistentRead=True)["Item"]


def article_id(runtime: Any, slug: str) -> str | None:
    marker = table(runtime).get_item(Key={"PK": f"SLUG#{slug}", "SK": "SLUG"}, ConsistentRead=True)
    return marker["Item"]["articleId"] if "Item" in marker else None


def partition(runtime: Any, pk: str) -> list[dict[str, Any]]:
    """Every item of one table partition (e.g. ARTICLE#<aid>: the article, its comments and favorite edges)."""
    return table(runtime).query(KeyConditionExpression=Key("PK").eq(pk), ConsistentRead=True)["Items"]


def within_one_window(scenario: Callable[[], T], window_seconds: int = 3600) -> T:
    """Run a scenario that counts up to a limit inside one fixed rate-limit window (store/quotas.py: windows
    aligned to the clock). One that straddled two windows runs once more (with its own fresh users): the
    new window has just begun, so the rerun fits in it, and no test ever waits for a window to begin."""
    for _ in range(2):
        window = time.time() // window_seconds
        observed = scenario()
        if time.time() // window_seconds == window:
            return observed
    raise AssertionError("the scenario straddled two rate-limit windows twice in a row")
