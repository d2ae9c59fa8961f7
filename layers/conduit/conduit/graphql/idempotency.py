"""`Idempotency-Key` for the GraphQL creates (`register`, `createArticle`, `addComment`), as over REST.

When the HTTP request carries the header, the create runs through conduit.idempotency.run_once
under its REST route's key (`POST /api/users`, `POST /api/articles`,
`POST /api/articles/{slug}/comments`) and with REST's caller scoping (user id, or source IP when
anonymous), so the rules are REST's: a retry with the same arguments replays the first result;
the same key with other arguments is BAD_USER_INPUT `{"Idempotency-Key": ["was already used with
a different request"]}`; a retry while the first is still running is CONFLICT; failed creates are
not remembered, except one that committed before failing: its receipt (conduit.store.receipts)
makes the retry answer what it made; a malformed key is BAD_USER_INPUT.

- What is remembered is the story's result before it becomes a Strawberry object: the REST
  payload (`{"article": view}`), JSON as the idempotency store needs, so a replay may select
  other fields than the first request did.
- The request's fingerprint is the mutation's name and arguments, not the HTTP body: the same
  arguments, inline or as variables, under any selection, are the same request. A fingerprint is
  never a valid REST body, so a key first used over REST is "a different request" over GraphQL.
- One key, one create: an operation with several mutations and a key is refused before anything
  runs (OneMutationPerKey) rather than guessing which of them the key is for. A single other
  mutation (`login`, `follow`, ...) ignores the header, as its REST route does.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from typing import Any, TypeVar

from graphql import ExecutionResult, GraphQLError, OperationType, SelectionSetNode
from graphql.utilities import get_operation_ast
from strawberry import Info
from strawberry.extensions import SchemaExtension

from conduit import idempotency
from conduit.authz import rule_for
from conduit.errors import InvalidInput
from conduit.graphql.context import Context
from conduit.graphql.selections import Fragments, fields, fragments_of
from conduit.security.guard import Caller

T = TypeVar("T")
ONE_MUTATION = "applies to one mutation: send each create in its own request"


def create_once(info: Info, route: str, arguments: dict[str, Any], story: Callable[[Caller], T]) -> T:
    """Authorize the caller by `route`'s rule, then `story(caller)`, or the result it already gave
    for this route, caller and Idempotency-Key. `arguments`: the mutation's, as the client gave them."""
    context: Context = info.context
    caller = context.authorize(route)
    if not rule_for(route).idempotent:  # as the endpoint decorator: only the rule table's creates
        return story(caller)
    fingerprint = {"mutation": info.field_name, "arguments": arguments}
    result: T = idempotency.run_once(
        route,
        caller.viewer or f"ip:{context.source_ip}",
        context.idempotency_key,
        json.dumps(fingerprint, sort_keys=True, separators=(",", ":")).encode("utf-8"),
        lambda: story(caller),
        context.lambda_context,
    )
    return result


class OneMutationPerKey(SchemaExtension):
    """Refuses, before any resolver runs, a mutation operation with several root fields and a key."""

    def on_execute(self) -> Iterator[None]:
        execution = self.execution_context
        document = execution.graphql_document
        key = getattr(execution.context, "idempotency_key", None)
        if key is not None and document is not None and execution.result is None:
            operation = get_operation_ast(document, execution.operation_name)
            mutation = operation if operation is not None and operation.operation == OperationType.MUTATION else None
            if mutation is not None and root_fields(mutation.selection_set, fragments_of(document)) > 1:
                refused = InvalidInput("Idempotency-Key", ONE_MUTATION)
                execution.result = ExecutionResult(
                    data=None, errors=[GraphQLError(str(refused), original_error=refused)]
                )
        yield


def root_fields(selection_set: SelectionSetNode, fragments: Fragments) -> int:
    """The fields an operation selects at its root, fragments written out (`__typename` not counted)."""
    return sum(not field.name.value.startswith("__") for field, _ in fields(selection_set, fragments))
