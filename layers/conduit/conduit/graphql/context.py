"""Per-request state of a GraphQL operation: who is calling, and the request's DataLoaders.

Authorization is the REST API's: every root field names the REST route it stands for, and
`authorize(route)` runs that route's rule through the one pipeline both edges call
(conduit.security.guard.authorize: token per the rule's auth mode, current role and suspension,
the rule's roles, write quota). The token is verified once per request, on the first field that
needs it, so a query for public data only (`tags`) ignores a stale token as `GET /api/tags` does.
"""

from __future__ import annotations

import threading
from functools import cached_property
from typing import TYPE_CHECKING, Any

from conduit.authz import Role, rule_for
from conduit.errors import DomainError
from conduit.http.request import bearer_token
from conduit.security import guard

if TYPE_CHECKING:
    from strawberry import Info

    from conduit.graphql.loaders import Loaders

# The verified caller of the request being served in this thread, for the request log line.
current = threading.local()


class Context:
    def __init__(
        self, authorization: str, source_ip: str, idempotency_key: str | None = None, lambda_context: Any = None
    ) -> None:
        self.token = bearer_token(authorization)
        self.source_ip = source_ip
        self.idempotency_key = idempotency_key  # the Idempotency-Key header (graphql/idempotency.py)
        self.lambda_context = lambda_context
        self._identity: tuple[str, Role] | None = None
        self._refused: DomainError | None = None
        self._tags: list[str] | None = None

    def popular_tags(self) -> list[str]:
        """The tag list, read once per request however many fields (aliases) ask for it."""
        if self._tags is None:
            from conduit.services import tags

            self._tags = tags.popular()
        return list(self._tags)

    def authorize(self, route: str) -> guard.Caller:
        """The caller as the REST endpoint of `route` would see them, or the error it would answer."""
        return guard.authorize(rule_for(route), self.token, self.source_ip, self._verified)

    def _verified(self, token: str) -> tuple[str, Role]:
        """guard.authenticate, once per request: its answer (or refusal) is kept for the next field."""
        if self._refused is not None:
            raise self._refused
        if self._identity is None:
            try:
                self._identity = guard.authenticate(token)
            except DomainError as refused:
                self._refused = refused
                raise
            current.viewer = self._identity[0]
        return self._identity

    @cached_property
    def loaders(self) -> Loaders:
        from conduit.graphql.loaders import Loaders

        return Loaders()


def context_of(info: Info) -> Context:
    """The request's Context, as a resolver's `info` carries it."""
    return info.context  # type: ignore[no-any-return]
