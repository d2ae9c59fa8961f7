"""What one GraphQL request may ask for: depth, size, aliases, cost, introspection.

- depth     GRAPHQL_MAX_DEPTH (8) nested selection sets (Strawberry's QueryDepthLimiter; the
            schema has a cycle, Article.author.articles, so depth is otherwise unbounded)
- tokens    GRAPHQL_MAX_TOKENS (2000) lexical tokens, checked while parsing (MaxTokensLimiter)
- aliases   GRAPHQL_MAX_ALIASES (15) aliased fields (MaxAliasesLimiter)
- cost      GRAPHQL_MAX_COST (2500), estimated before execution with the variables known:
            every field costs 1; a field whose resolver reads the database (every root field,
            `articles`, `feed`, `comments`) costs 10; the selection under a connection
            (`articles`, `feed`, `users`, `comments`) counts once per item of its page (`first`,
            default 20, at most 60 articles, 100 users, 25 comments). A full page of 60 articles
            with all their fields costs about 1,400 and passes; 10 articles with their first 20
            comments about 1,150; 30 with comments, or lists nested in lists, are refused
            (QUERY_TOO_COMPLEX) before any resolver runs.
- introspection  GRAPHQL_INTROSPECTION (on unless "false"; off in prod)
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from functools import partial
from typing import Any

from graphql import ExecutionResult, FieldNode, GraphQLError, IntValueNode, SelectionSetNode, VariableNode
from graphql.utilities import get_operation_ast
from strawberry.extensions import (
    DisableIntrospection,
    MaxAliasesLimiter,
    MaxTokensLimiter,
    QueryDepthLimiter,
    SchemaExtension,
)

from conduit.graphql.selections import Fragments, fields, fragments_of
from conduit.services.paging import ARTICLES_PAGE_MAX, COMMENTS_PAGE_MAX
from conduit.settings import Settings, get_settings

FIELD_COST = 1
DATABASE_COST = 10
# connection -> its page cap (None: PAGE_LIMIT_MAX only), as the resolvers apply them
CONNECTIONS: dict[str, int | None] = {
    "articles": ARTICLES_PAGE_MAX,
    "feed": ARTICLES_PAGE_MAX,
    "users": None,
    "comments": COMMENTS_PAGE_MAX,
}
DATABASE_FIELDS = frozenset({"articles", "feed", "comments"})  # wherever they appear, not only at the root


def extensions(settings: Settings) -> list[Callable[[], SchemaExtension]]:
    """Factories, so each request gets its own extension instances (requests may run concurrently)."""
    chosen: list[Callable[[], SchemaExtension]] = [
        partial(QueryDepthLimiter, max_depth=settings.graphql_max_depth),
        partial(MaxTokensLimiter, max_token_count=settings.graphql_max_tokens),
        partial(MaxAliasesLimiter, max_alias_count=settings.graphql_max_aliases),
        partial(CostLimiter, max_cost=settings.graphql_max_cost),
    ]
    if not settings.graphql_introspection:
        chosen.append(DisableIntrospection)
    return chosen


class CostLimiter(SchemaExtension):
    """Refuses an operation whose estimated cost exceeds `max_cost`, before any resolver runs."""

    def __init__(self, max_cost: int) -> None:
        self.max_cost = max_cost

    def on_execute(self) -> Iterator[None]:
        context = self.execution_context
        document = context.graphql_document
        operation = get_operation_ast(document, context.operation_name) if document else None
        if document is not None and operation is not None and context.result is None:
            variables = context.variables or {}
            cost = selection_cost(operation.selection_set, fragments_of(document), variables, root=True)
            if cost > self.max_cost:
                context.result = ExecutionResult(
                    data=None,
                    errors=[
                        GraphQLError(
                            f"Query cost {cost} exceeds the maximum of {self.max_cost}: ask for smaller pages "
                            "or fewer nested lists",
                            extensions={"code": "QUERY_TOO_COMPLEX", "cost": cost, "maxCost": self.max_cost},
                        )
                    ],
                )
        yield


def selection_cost(
    selection_set: SelectionSetNode | None,
    fragments: Fragments,
    variables: Mapping[str, Any],
    root: bool = False,
    seen: frozenset[str] = frozenset(),
) -> int:
    """The cost of the fields `selection_set` selects, fragments written out (graphql.selections)."""
    return sum(
        _field_cost(field, fragments, variables, root, path) for field, path in fields(selection_set, fragments, seen)
    )


def _field_cost(
    field: FieldNode,
    fragments: Fragments,
    variables: Mapping[str, Any],
    root: bool,
    seen: frozenset[str],
) -> int:
    """The field's own cost, and its selection's once per item of its page when it is a connection."""
    name = field.name.value
    reads = (root or name in DATABASE_FIELDS) and not name.startswith("__")
    inner = selection_cost(field.selection_set, fragments, variables, False, seen)
    if name in CONNECTIONS:
        inner *= page_size(field, variables, CONNECTIONS[name])
    return (DATABASE_COST if reads else FIELD_COST) + inner


def page_size(field: FieldNode, variables: Mapping[str, Any], cap: int | None = None) -> int:
    """The page size the connection will serve: `first` (literal or variable), defaulted and capped as REST's limit."""
    settings = get_settings()
    most = min(settings.page_limit_max, cap) if cap is not None else settings.page_limit_max
    value: Any = None
    for argument in field.arguments or ():
        if argument.name.value != "first":
            continue
        if isinstance(argument.value, IntValueNode):
            value = int(argument.value.value)
        elif isinstance(argument.value, VariableNode):
            value = variables.get(argument.value.name.value)
    if not isinstance(value, int) or isinstance(value, bool) or value < 1:
        return settings.page_limit_default
    return min(value, most)
