"""The Strawberry ASGI app behind Mangum, and the Lambda handler of the GraphQL functions.

Mangum turns API Gateway HTTP API (payload v2) events into ASGI requests and the app's answer
back into a v2 response. Around it, as the `endpoint` decorator does for REST: the body-size
cap, the correlation id, one structured log line per request, a trace subsegment, security
headers on every answer (the GraphiQL page with its own Content-Security-Policy, page.py) and
the business metrics.

Requests the GraphQL layer cannot run answer 400 with a GraphQL error body
(`{"errors": [{"message": ..., "extensions": {"code": "BAD_REQUEST"}}]}`), never a 500: a body
or `variables` that is not JSON, or is nested deeper than REST accepts (MAX_JSON_DEPTH), a POST
whose Content-Type is not `application/json` (optionally with `charset=utf-8`), a missing or
blank `query`, a `query`/`variables`/`extensions` of the wrong JSON type, batches, and mutations
over GET.
"""

from __future__ import annotations

import asyncio
import json
import threading
from functools import lru_cache, partial
from typing import Any

from cross_web import HTTPException
from mangum import Mangum
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, Response
from strawberry.asgi import GraphQL
from strawberry.http.parse_content_type import parse_content_type

from conduit import idempotency, lifecycle, observability
from conduit.graphql import limits, page
from conduit.graphql.context import Context, current
from conduit.graphql.errors import ErrorCodes
from conduit.graphql.idempotency import OneMutationPerKey
from conduit.graphql.schema import build
from conduit.http.invocation import Invocation
from conduit.http.request import MAX_JSON_DEPTH, bearer_token
from conduit.services.paging import RESPONSE_BYTES_BUDGET
from conduit.settings import Settings, get_settings

HTTP_CODES = {400: "BAD_REQUEST", 404: "NOT_FOUND", 405: "METHOD_NOT_ALLOWED", 413: "BAD_USER_INPUT"}
NOT_JSON = "Unable to parse request body as JSON"
TOO_DEEP = f"The request's JSON is nested too deeply (maximum is {MAX_JSON_DEPTH} levels)"
NO_QUERY = "No GraphQL query found in the request"
NOT_AN_OBJECT = "The request must be a JSON object"
UNSUPPORTED_TYPE = "Unsupported content type: send application/json"
_loops = threading.local()


class ConduitGraphQL(GraphQL[Context, None]):
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

    def encode_json(self, data: object) -> str:
        """Non-ASCII as UTF-8, as REST answers (json.dumps' default escapes it to 6 or 12 bytes a
        character, which the Lambda runtime's own JSON escaping then grows further)."""
        return json.dumps(data, ensure_ascii=False, separators=(",", ":"))

    def decode_json(self, data: str | bytes) -> object:
        """JSON of the body (or of GET's `variables`): malformed, not UTF-8 or too deep is a 400, as
        REST's 422 for the same bodies (json.loads itself recurses: 30,000 nested brackets raise
        RecursionError, which Strawberry would let through as a 500)."""
        try:
            decoded = json.loads(data)
        except (ValueError, RecursionError):  # JSONDecodeError and UnicodeDecodeError are ValueErrors
            raise HTTPException(400, NOT_JSON) from None
        if not isinstance(decoded, (dict, list)):  # lists are batches, refused by Strawberry with a 400
            raise HTTPException(400, NOT_AN_OBJECT)
        if too_deep(decoded, MAX_JSON_DEPTH):
            raise HTTPException(400, TOO_DEEP)
        return decoded

    async def parse_http_body(self, request: Any) -> Any:
        """Only `application/json` bodies (Strawberry takes any type that contains the words); a
        blank query is as missing as an absent one."""
        if request.method == "POST":
            media_type, parameters = parse_content_type(request.content_type or "")
            charset = parameters.get("charset", "utf-8").lower()
            if media_type != "application/json" or charset not in ("utf-8", "utf8"):
                raise HTTPException(400, UNSUPPORTED_TYPE)
        parsed = await super().parse_http_body(request)
        query = getattr(parsed, "query", None)
        if isinstance(query, str) and not query.strip():
            raise HTTPException(400, NO_QUERY)
        return parsed

    async def render_graphql_ide(self, request: Any) -> Response:
        graphiql = page.graphiql()
        return HTMLResponse(graphiql.html, headers={"content-security-policy": graphiql.policy})


def too_deep(value: Any, limit: int) -> bool:
    """Whether decoded JSON nests more than `limit` objects/arrays (iterative: no recursion to exhaust)."""
    pending: list[tuple[Any, int]] = [(value, 0)]
    while pending:
        current, level = pending.pop()
        if isinstance(current, dict):
            current = list(current.values())
        if isinstance(current, list):
            if level + 1 > limit:
                return True
            pending.extend((item, level + 1) for item in current)
    return False


def graphql_error(message: str, code: str, **extensions: Any) -> dict[str, Any]:
    return {"errors": [{"message": message, "extensions": {"code": code, **extensions}}]}


def schema_for(settings: Settings) -> Any:
    """The schema with the request limits of `settings`; graphql-core's suggestions go with introspection."""
    suggestions = settings.graphql_introspection
    return build([*limits.extensions(settings), OneMutationPerKey, partial(ErrorCodes, suggestions=suggestions)])


@lru_cache(maxsize=4)
def adapter(settings: Settings) -> Mangum:
    """The Lambda adapter for one configuration: built once per container (the schema is built here)."""
    app = ConduitGraphQL(schema_for(settings), graphql_ide="graphiql" if settings.graphiql else None)
    return Mangum(app, lifespan="off")


def prepare() -> None:
    """Build the schema and the adapter now: called at import, during Lambda's init phase."""
    adapter(get_settings())


def initialise() -> None:
    """A GraphQL function's INIT: what every request needs (conduit.lifecycle), then, in Lambda, the
    schema and the adapter, once per container."""
    lifecycle.initialise()
    if lifecycle.in_lambda():
        prepare()


def handler(event: dict[str, Any], context: Any = None) -> dict[str, Any]:
    call = Invocation.of(event.get("routeKey") or "POST /api/graphql", event, context)
    current.viewer = None
    with call.serving():
        try:
            response = _serve(event, context)
        except Exception as error:  # Mangum answers the app's own failures; this is a last resort
            observability.logger().error("unhandled error", exc_info=error, extra={"requestId": call.request_id})
            response = _json(500, graphql_error("Internal server error", "INTERNAL_SERVER_ERROR"))
    response = _within_budget(response)
    response.setdefault("headers", {}).pop("content-length", None)  # API Gateway sets it
    # Every answer, the GraphiQL page too (which keeps its own Content-Security-Policy: page.py).
    personal = bearer_token(call.headers.get("authorization", "")) is not None
    return call.answer(response, personal=personal, user_id=getattr(current, "viewer", None))


def _within_budget(response: dict[str, Any]) -> dict[str, Any]:
    """A result too big for a Lambda response (6 MB; the budget keeps a third in reserve) becomes a
    RESPONSE_TOO_LARGE error: what a GraphQL answer weighs depends on the fields asked, so it is
    measured as the runtime will write it (its JSON envelope, non-ASCII escaped), not estimated."""
    size = len(json.dumps(response))
    if size <= RESPONSE_BYTES_BUDGET:
        return response
    message = (
        f"The result is {size} bytes, more than the {RESPONSE_BYTES_BUDGET} an answer may carry: "
        "ask for smaller pages (first) or fewer fields"
    )
    error = graphql_error(message, "RESPONSE_TOO_LARGE", bytes=size, maxBytes=RESPONSE_BYTES_BUDGET)
    return _json(200, {"data": None, **error})


def _serve(event: dict[str, Any], context: Any) -> dict[str, Any]:
    body = event.get("body") or ""
    size = len(body) * 3 // 4 if event.get("isBase64Encoded") else len(body.encode("utf-8"))
    limit = get_settings().max_body_bytes
    if size > limit:
        message = f"is too large (maximum is {limit} bytes)"
        return _json(413, graphql_error(f"body {message}", "BAD_USER_INPUT", errors={"body": [message]}))
    return _in_event_loop(adapter(get_settings()), event, context)


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
