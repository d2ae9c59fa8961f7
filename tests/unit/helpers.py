"""Helpers shared by the unit tests (imported explicitly; fixtures live in conftest.py)."""

from __future__ import annotations

import base64
import json
from typing import Any

TEST_SECRET = "unit-test-secret-" + "x" * 48


def build_event(
    method: str = "GET",
    path: str = "/api/user",
    *,
    body: Any = None,
    raw_body: str | bytes | None = None,
    base64_encoded: bool = False,
    headers: dict[str, str] | None = None,
    query: dict[str, str] | None = None,
    path_params: dict[str, str] | None = None,
    token: str | None = None,
) -> dict[str, Any]:
    """An API Gateway HTTP API (payload 2.0) event."""
    all_headers = {"content-type": "application/json", **(headers or {})}
    if token is not None:
        all_headers["authorization"] = f"Token {token}"
    if raw_body is None and body is not None:
        raw_body = json.dumps(body)
    if isinstance(raw_body, bytes) or base64_encoded:
        data = raw_body if isinstance(raw_body, bytes) else (raw_body or "").encode()
        encoded: str | None = base64.b64encode(data).decode("ascii")
        base64_encoded = True
    else:
        encoded = raw_body
    event: dict[str, Any] = {
        "version": "2.0",
        "routeKey": f"{method} {path}",
        "rawPath": path,
        "headers": all_headers,
        "requestContext": {
            "requestId": "req-123",
            "http": {"method": method, "path": path, "sourceIp": "203.0.113.7"},
        },
        "isBase64Encoded": base64_encoded,
    }
    if encoded is not None:
        event["body"] = encoded
    if query is not None:
        event["queryStringParameters"] = query
    if path_params is not None:
        event["pathParameters"] = path_params
    return event
