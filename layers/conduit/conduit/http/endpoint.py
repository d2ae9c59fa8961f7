"""The `endpoint` decorator: turns `fn(Request) -> payload` into a Lambda handler.

It parses the event, authenticates (required / optional / none), calls the endpoint's story,
and answers with JSON or the mapped error. Handlers stay a few lines long.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from functools import wraps
from typing import Any, Literal

from conduit.http.request import Request
from conduit.http.responses import error_response, json_response

Auth = Literal["required", "optional", "none"]
LambdaHandler = Callable[[dict[str, Any], Any], dict[str, Any]]
log = logging.getLogger("conduit")


def endpoint(*, auth: Auth = "none", status: int = 200) -> Callable[[Callable[[Request], Any]], LambdaHandler]:
    def decorate(story: Callable[[Request], Any]) -> LambdaHandler:
        @wraps(story)
        def handler(event: dict[str, Any], context: Any = None) -> dict[str, Any]:
            started = time.perf_counter()
            request_id = (event.get("requestContext") or {}).get("requestId", "")
            try:
                request = Request.from_event(event)
                _authenticate(request, auth)
                payload = story(request)
                response = json_response(status, payload)
            except Exception as error:  # mapped by type in error_response; unknown errors become a 500
                response = error_response(error, request_id)
            log.info(
                "request",
                extra={
                    "requestId": request_id,
                    "route": event.get("routeKey", ""),
                    "status": response["statusCode"],
                    "latencyMs": round((time.perf_counter() - started) * 1000, 1),
                },
            )
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
