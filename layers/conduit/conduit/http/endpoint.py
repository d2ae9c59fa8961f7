"""The `endpoint` decorator: turns `fn(Request) -> payload` into a Lambda handler.

It parses the event, authenticates (required / optional / none), calls the endpoint's story,
and answers with JSON or the mapped error. Around that: the correlation id (echoed as
X-Correlation-Id), one structured log line per request, a trace subsegment, and the request's
business metrics. Handlers stay a few lines long.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from functools import wraps
from typing import Any, Literal

from conduit import observability
from conduit.http.request import Request
from conduit.http.responses import error_response, json_response

Auth = Literal["required", "optional", "none"]
LambdaHandler = Callable[[dict[str, Any], Any], dict[str, Any]]
_cold_start = True


def endpoint(*, auth: Auth = "none", status: int = 200) -> Callable[[Callable[[Request], Any]], LambdaHandler]:
    def decorate(story: Callable[[Request], Any]) -> LambdaHandler:
        @wraps(story)
        def handler(event: dict[str, Any], context: Any = None) -> dict[str, Any]:
            global _cold_start
            started = time.perf_counter()
            route = event.get("routeKey", "")
            request_id = (event.get("requestContext") or {}).get("requestId", "")
            headers = {k.lower(): v for k, v in (event.get("headers") or {}).items()}
            correlation_id = observability.correlation_id(headers, request_id)
            request: Request | None = None
            with observability.trace(f"## {route or story.__module__}"):
                try:
                    request = Request.from_event(event)
                    _authenticate(request, auth)
                    response = json_response(status, story(request))
                except Exception as error:  # mapped by type in error_response; unknown errors become a 500
                    response = error_response(error, request_id)
            response["headers"]["x-correlation-id"] = correlation_id
            observability.logger().info(
                "request",
                extra={
                    "requestId": request_id,
                    "correlationId": correlation_id,
                    "route": route,
                    "status": response["statusCode"],
                    "latencyMs": round((time.perf_counter() - started) * 1000, 1),
                    "userId": request.viewer if request else None,
                    "coldStart": _cold_start,
                    "function": getattr(context, "function_name", None),
                },
            )
            _cold_start = False
            observability.flush_metrics()
            return response

        return handler

    return decorate


def _authenticate(request: Request, auth: Auth) -> None:
    if auth == "none":
        return
    token = request.bearer_token()
    if token is None:
        if auth == "required":
            request.require_viewer()
        return
    from conduit.security.tokens import verify_token

    request.viewer = verify_token(token)
    request.token = token
