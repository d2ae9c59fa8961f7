"""The Strawberry ASGI app behind Mangum, and the Lambda handler of the GraphQL functions.

Mangum turns API Gateway HTTP API (payload v2) events into ASGI requests and the app's answer
back into a v2 response. Around it, as the `endpoint` decorator does for REST: the body-size
cap, the correlation id, one structured log line per request, a trace subsegment, security
headers on JSON answers and the business metrics.
"""

from __future__ import annotations

import asyncio
import json
import threading
import time
from functools import lru_cache
from typing import Any

from cross_web import HTTPException
from mangum import Mangum
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from strawberry.asgi import GraphQL

from conduit import idempotency, observability
from conduit.graphql import limits
from conduit.graphql.config import GraphqlConfig
from conduit.graphql.context import Context, current
from conduit.graphql.errors import ErrorCodes
from conduit.graphql.idempotency import OneMutationPerKey
from conduit.graphql.schema import build
from conduit.http.request import bearer_token
from conduit.http.responses import harden
from conduit.settings import get_settings
from conduit.store import request_scope

HTTP_CODES = {400: "BAD_REQUEST", 404: "NOT_FOUND", 405: "METHOD_NOT_ALLOWED", 413: "BAD_USER_INPUT"}
_loops = threading.local()


class ConduitGraphQL(GraphQL):
    """Strawberry's ASGI app with our request context, and HTTP-level refusals as GraphQL JSON."""

    async def get_context(self, request: Any, response: Any) -> Context:
        client = request.client
        return Context(
            request.headers.get("authorization", ""),
            client.host if client else "",
            idempotency_key=request.headers.get(idempotency.HEADER),
            lambda_context=request.scope.get("aws.context"),
        )

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        if scope["type"] != "http":  # API Gateway HTTP APIs carry no websockets
            return await super().__call__(scope, receive, send)
        response: Response
        try:
            response = await self.run(Request(scope, receive=receive))
        except HTTPException as refused:
            response = JSONResponse(
                graphql_error(refused.reason, HTTP_CODES.get(refused.status_code, "BAD_REQUEST")), refused.status_code
            )
        await response(scope, receive, send)


def graphql_error(message: str, code: str, **extensions: Any) -> dict[str, Any]:
    return {"errors": [{"message": message, "extensions": {"code": code, **extensions}}]}


@lru_cache(maxsize=4)
def adapter(config: GraphqlConfig) -> Mangum:
    """The Lambda adapter for one configuration: built once per container (the schema is built here)."""
    schema = build([*limits.extensions(config), OneMutationPerKey, ErrorCodes])
    app = ConduitGraphQL(schema, graphql_ide="graphiql" if config.graphiql else None)
    return Mangum(app, lifespan="off")


def prepare() -> None:
    """Build the schema and the adapter now: called at import, during Lambda's init phase."""
    adapter(GraphqlConfig.from_env())


def handler(event: dict[str, Any], context: Any = None) -> dict[str, Any]:
    started = time.perf_counter()
    route = event.get("routeKey") or "POST /api/graphql"
    request_id = (event.get("requestContext") or {}).get("requestId", "")
    headers = {k.lower(): v for k, v in (event.get("headers") or {}).items()}
    correlation_id = observability.correlation_id(headers, request_id)
    current.viewer = None
    scope = request_scope.serving(request_scope.invocation_id(request_id, context))
    with scope, observability.trace(f"## {route}"):
        try:
            response = _serve(event, context)
        except Exception as error:  # Mangum answers the app's own failures; this is a last resort
            observability.logger().error("unhandled error", exc_info=error, extra={"requestId": request_id})
            response = _json(500, graphql_error("Internal server error", "INTERNAL_SERVER_ERROR"))
    response.setdefault("headers", {}).pop("content-length", None)  # API Gateway sets it
    if "text/html" not in response["headers"].get("content-type", ""):
        harden(response, personal=bearer_token(headers.get("authorization", "")) is not None)
    response["headers"]["x-correlation-id"] = correlation_id
    observability.finish_request(
        started=started,
        request_id=request_id,
        correlation_id=correlation_id,
        route=route,
        status=response.get("statusCode", 0),
        user_id=getattr(current, "viewer", None),
        context=context,
    )
    return response


def _serve(event: dict[str, Any], context: Any) -> dict[str, Any]:
    body = event.get("body") or ""
    size = len(body) * 3 // 4 if event.get("isBase64Encoded") else len(body.encode("utf-8"))
    limit = get_settings().max_body_bytes
    if size > limit:
        message = f"is too large (maximum is {limit} bytes)"
        return _json(413, graphql_error(f"body {message}", "BAD_USER_INPUT", errors={"body": [message]}))
    return _in_event_loop(adapter(GraphqlConfig.from_env()), event, context)


def _in_event_loop(lambda_adapter: Mangum, event: dict[str, Any], context: Any) -> dict[str, Any]:
    """Mangum runs the app on the thread's current event loop. Lambda calls us on the main thread,
    whose loop lives as long as the container; other threads (the local API serves each request on
    one) get a fresh loop per request, closed afterwards."""
    main = threading.current_thread() is threading.main_thread()
    loop = getattr(_loops, "loop", None) if main else None
    if loop is None or loop.is_closed():
        loop = asyncio.new_event_loop()
        if main:
            _loops.loop = loop
    asyncio.set_event_loop(loop)
    try:
        return lambda_adapter(event, context)
    finally:
        if not main:
            asyncio.set_event_loop(None)
            loop.close()


def _json(status: int, payload: Any) -> dict[str, Any]:
    return {
        "statusCode": status,
        "headers": {"content-type": "application/json"},
        "body": json.dumps(payload, separators=(",", ":")),
        "isBase64Encoded": False,
    }
