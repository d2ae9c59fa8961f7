"""GraphQL settings, read from the environment at each invocation (a few variables, so stages and
tests can switch them); the app for one configuration is built once per container (asgi.py)."""

from __future__ import annotations

import os
from dataclasses import dataclass

TRUE = {"1", "true", "yes", "on"}
FALSE = {"0", "false", "no", "off"}


def _flag(name: str, default: bool) -> bool:
    raw = os.environ.get(name, "").strip().lower()
    if raw in TRUE:
        return True
    if raw in FALSE:
        return False
    return default


def _int(name: str, default: int) -> int:
    raw = os.environ.get(name, "").strip()
    return int(raw) if raw else default


@dataclass(frozen=True, slots=True)
class GraphqlConfig:
    graphiql: bool  # GET /api/graphql from a browser serves the GraphiQL IDE
    introspection: bool  # __schema / __type queries allowed
    max_depth: int  # nested selection sets per operation
    max_tokens: int  # lexical tokens per document (checked while parsing)
    max_aliases: int  # aliased fields per document
    max_cost: int  # estimated cost per operation (limits.py)

    @classmethod
    def from_env(cls) -> GraphqlConfig:
        return cls(
            graphiql=_flag("GRAPHIQL_ENABLED", True),
            introspection=_flag("GRAPHQL_INTROSPECTION", True),
            max_depth=_int("GRAPHQL_MAX_DEPTH", 8),
            max_tokens=_int("GRAPHQL_MAX_TOKENS", 2000),
            max_aliases=_int("GRAPHQL_MAX_ALIASES", 15),
            max_cost=_int("GRAPHQL_MAX_COST", 2500),
        )
