"""HTTP responses; errors become status codes and bodies by the one table in http.error_map."""

from __future__ import annotations

import json
from typing import Any

from conduit import observability
from conduit.errors import DomainError
from conduit.http import error_map

JSON_TYPE = "application/json; charset=utf-8"


class Encoded(str):
    """A payload already encoded as its JSON body (an idempotent create's answer, kept byte for byte)."""


def encode(payload: Any) -> Encoded:
    return Encoded(json.dumps(payload, ensure_ascii=False, separators=(",", ":")))


def json_response(status: int, payload: Any, headers: dict[str, str] | None = None) -> dict[str, Any]:
    if payload is None or status == 204:
        return {"statusCode": status, "headers": dict(headers or {}), "body": "", "isBase64Encoded": False}
    return {
        "statusCode": status,
        "headers": {"content-type": JSON_TYPE, **(headers or {})},
        "body": payload if isinstance(payload, Encoded) else encode(payload),
        "isBase64Encoded": False,
    }


def error_response(error: BaseException, request_id: str = "") -> dict[str, Any]:
    """Domain errors take their status and body from error_map; anything else is a 500 that leaks nothing."""
    if isinstance(error, DomainError):
        headers = {}
        if error.retry_after_seconds is not None:
            headers["retry-after"] = str(error.retry_after_seconds)
        if error_map.is_unavailable(error):
            observability.logger().warning(
                "dependency unavailable", extra={"requestId": request_id, "cause": repr(error.__cause__)}
            )
        return json_response(error_map.status_of(error), error_map.body_of(error), headers)
    observability.logger().error("unhandled error", exc_info=error, extra={"requestId": request_id})
    return json_response(500, {"errors": {"server": ["internal error"]}})


SECURITY_HEADERS = {
    "x-content-type-options": "nosniff",
    "strict-transport-security": "max-age=63072000; includeSubDomains",
    "x-frame-options": "DENY",
    "content-security-policy": "default-src 'none'; frame-ancestors 'none'",
    "referrer-policy": "no-referrer",
}


def harden(response: dict[str, Any], personal: bool) -> dict[str, Any]:
    """Security headers on every response; personal (authenticated or failed) answers are never cached."""
    headers = response["headers"]
    for name, value in SECURITY_HEADERS.items():
        headers.setdefault(name, value)
    if personal or response["statusCode"] >= 400 or "cache-control" not in headers:
        headers["cache-control"] = "no-store"
    return response
