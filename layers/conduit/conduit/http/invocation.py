"""One invocation of an HTTP route's Lambda function, REST (http.endpoint) or GraphQL (graphql.asgi):
what surrounds every answer whatever the route does.

Around the work: the request scope (store.request_scope) and a trace subsegment. After it: the
security headers, the correlation id echoed as X-Correlation-Id, the request's one log line and its
metrics (observability.finish_request).
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from conduit import observability
from conduit.http.responses import harden
from conduit.store import request_scope


@dataclass(frozen=True, slots=True)
class Invocation:
    route: str
    request_id: str
    headers: dict[str, str]  # lower-case names
    correlation_id: str
    started: float
    context: Any

    @classmethod
    def of(cls, route: str, event: dict[str, Any], context: Any) -> Invocation:
        started = time.perf_counter()
        request_id = (event.get("requestContext") or {}).get("requestId", "")
        headers = {k.lower(): v for k, v in (event.get("headers") or {}).items()}
        correlation_id = observability.correlation_id(headers, request_id)
        return cls(route, request_id, headers, correlation_id, started, context)

    @contextmanager
    def serving(self) -> Iterator[None]:
        """The request scope and the trace subsegment the route's work runs in."""
        scope = request_scope.serving(request_scope.invocation_id(self.request_id, self.context))
        with scope, observability.trace(f"## {self.route}"):
            yield

    def answer(self, response: dict[str, Any], *, personal: bool, user_id: str | None) -> dict[str, Any]:
        """`response` with the security headers and X-Correlation-Id, logged and counted."""
        harden(response, personal)
        response["headers"]["x-correlation-id"] = self.correlation_id
        observability.finish_request(
            started=self.started,
            request_id=self.request_id,
            correlation_id=self.correlation_id,
            route=self.route,
            status=response.get("statusCode", 0),
            user_id=user_id,
            context=self.context,
        )
        return response
