"""Per-request state of a GraphQL operation: who is calling, and the request's DataLoaders.

Authorization is the REST API's: every root field names the REST route it stands for, and
`authorize(route)` applies that route's rule from conduit.authz exactly as the `endpoint`
decorator does (token per the rule's auth mode, current role and suspension, write quota).
The token is verified once per request, on the first field that needs it, so a query for
public data only (`tags`) ignores a stale token as `GET /api/tags` does.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from functools import cached_property
from typing import TYPE_CHECKING, Any

from conduit.authz import Role, rule_for
from conduit.errors import DomainError, TokenMissing
from conduit.http.request import bearer_token

if TYPE_CHECKING:
    from strawberry import Info

    from conduit.graphql.loaders import Loaders

# The verified caller of the request being served in this thread, for the request log line.
current = threading.local()


@dataclass(frozen=True, slots=True)
class Caller:
    viewer: str | None
    role: Role | None
    token: str | None

    def require_viewer(self) -> str:
        if self.viewer is None:
            raise TokenMissing()
        return self.viewer


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

    def authorize(self, route: str) -> Caller:
        """The caller as the REST endpoint of `route` would see them, or the error it would answer."""
        from conduit.security import guard

        rule = rule_for(route)
        viewer: str | None = None
        role: Role | None = None
        if rule.auth != "none" and self.token is not None:
            viewer, role = self._verified()
        elif rule.auth == "required":
            raise TokenMissing()
        guard.check(rule, role, viewer or f"ip:{self.source_ip}")
        return Caller(viewer, role, self.token if viewer else None)

    def _verified(self) -> tuple[str, Role]:
        if self._refused is not None:
            raise self._refused
        if self._identity is None:
            from conduit.security import guard

            try:
                self._identity = guard.authenticate(self.token or "")
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
