"""The `endpoint` decorator: turns `fn(Request) -> payload` into a Lambda handler.

`@endpoint("POST /api/articles", status=201)` names the route; its authorization rule comes from
the one table in conduit.authz. For every request the decorator parses the event, authorizes it
through the one pipeline (conduit.security.guard.authorize: token, current role and suspension,
the rule's roles, write quota; GraphQL's too), replays idempotent creates, calls the
endpoint's story and answers with JSON or the mapped error, with security headers. Around that:
ETags and Cache-Control on reads (conduit.http.caching), the correlation id (echoed as
X-Correlation-Id), one structured log line per request, a trace
subsegment, and the request's business metrics. Handlers stay a few lines long.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from conduit import lifecycle
from conduit.authz import Rule, rule_for
from conduit.http import caching
from conduit.http.invocation import Invocation
from conduit.http.request import Request
from conduit.http.responses import Encoded, encode, error_response, json_response

LambdaHandler = Callable[[dict[str, Any], Any], dict[str, Any]]


def endpoint(
    route: str, *, status: int = 200, max_age: int = caching.DEFAULT_MAX_AGE
) -> Callable[[Callable[[Request], Any]], LambdaHandler]:
    """`max_age`: how long shared caches may keep an anonymous 200 answer of a GET route."""
    rule = rule_for(route)
    method = route.split(" ", 1)[0]
    lifecycle.initialise()  # at the handler module's import: INIT builds what every request needs

    def decorate(story: Callable[[Request], Any]) -> LambdaHandler:
        lifecycle.prepare_handler(story)  # its body models (INIT, in Lambda only)

        @wraps(story)
        def handler(event: dict[str, Any], context: Any = None) -> dict[str, Any]:
            call = Invocation.of(route, event, context)
            request: Request | None = None
            with call.serving():
                try:
                    request = Request.from_event(event)
                    _authorize(request, rule)
                    response = json_response(status, _run(request, route, rule, story, context))
                except Exception as error:  # mapped by type in error_response; unknown errors become a 500
                    response = error_response(error, call.request_id)
            personal = request is not None and request.token is not None
            caching.apply(response, method, call.headers, anonymous=not personal, max_age=max_age)
            return call.answer(response, personal=personal, user_id=request.viewer if request else None)

        handler.endpoint_route = route  # type: ignore[attr-defined]
        handler.endpoint_auth = rule.auth  # type: ignore[attr-defined]
        handler.endpoint_status = status  # type: ignore[attr-defined]
        return handler

    return decorate


def _authorize(request: Request, rule: Rule) -> None:
    """The one authorization pipeline (conduit.security.guard.authorize, GraphQL's too); the request
    acts as the caller it answers."""
    from conduit.security import guard

    token = request.bearer_token() if rule.auth != "none" else None
    caller = guard.authorize(rule, token, request.source_ip)
    request.viewer, request.role, request.token = caller.viewer, caller.role, caller.token


def _run(request: Request, route: str, rule: Rule, story: Callable[[Request], Any], context: Any) -> Any:
    if not rule.idempotent:
        return story(request)
    from conduit import idempotency

    # The encoded body is what is remembered, so a replay answers the first answer's very bytes
    # (the store would otherwise re-encode the payload with its keys sorted).
    answer = idempotency.run_once(
        route,
        request.viewer or f"ip:{request.source_ip}",
        request.headers.get(idempotency.HEADER),
        request.path.encode("utf-8") + b"\n" + request.raw_body,  # same key on another resource: mismatch
        lambda: encode(story(request)),
        context,
    )
    return Encoded(answer) if isinstance(answer, str) else answer  # a record kept as a payload: re-encoded
