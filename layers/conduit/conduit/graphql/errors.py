"""GraphQL errors: the layer's domain errors become `extensions.code`, in this one place.

Codes come from the same table as REST's statuses, conduit.http.error_map (UNAUTHENTICATED,
FORBIDDEN, NOT_FOUND, CONFLICT, BAD_USER_INPUT, RATE_LIMITED, UNAVAILABLE, BAD_REQUEST):

| raised                                  | extensions.code          | also in extensions         |
|-----------------------------------------|--------------------------|----------------------------|
| a DomainError (conduit.errors)          | its row in error_map     | errors, retryAfter if set  |
| syntax error, too many tokens           | GRAPHQL_PARSE_FAILED     |                            |
| invalid document, depth, aliases, introspection off | GRAPHQL_VALIDATION_FAILED |              |
| variables of the wrong type             | BAD_USER_INPUT           |                            |
| cost over the limit (limits.py)         | QUERY_TOO_COMPLEX        | cost, maxCost              |
| anything else                           | INTERNAL_SERVER_ERROR    | (message masked, logged)   |

`errors` is the REST body's `{field: [message]}`, so clients get the same messages as over REST.

Wherever introspection is off, so are graphql-core's suggestions ("Cannot query field 'usr'. Did you
mean 'users'?", and the same for arguments, types, input fields and enum values, in validation and in
variables alike): they would spell out the schema that introspection hides. graphql-core writes every
suggestion as a trailing " Did you mean ...?" (graphql.pyutils.did_you_mean), cut here in one place.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from graphql import GraphQLError, GraphQLSyntaxError
from strawberry.extensions import SchemaExtension

from conduit import observability
from conduit.errors import DomainError
from conduit.http import error_map

INTERNAL = "INTERNAL_SERVER_ERROR"
INTERNAL_MESSAGE = "Internal server error"
SUGGESTION = " Did you mean "


def api_error_extensions(error: DomainError) -> dict[str, Any]:
    extensions: dict[str, Any] = {"code": error_map.code_of(error), "errors": error.errors}
    if error.retry_after_seconds is not None:
        extensions["retryAfter"] = error.retry_after_seconds
    return extensions


def message_of(error: DomainError) -> str:
    """Every field's messages in one line: "title can't be blank; body can't be blank"."""
    return "; ".join(f"{field} {message}" for field, messages in error.errors.items() for message in messages)


def cause(error: GraphQLError) -> BaseException | None:
    """What a resolver raised (graphql-core may wrap it in GraphQLErrors), or None."""
    original = error.original_error
    while isinstance(original, GraphQLError) and original.original_error is not None:
        original = original.original_error
    return original


def is_unexpected(error: GraphQLError) -> bool:
    """An exception raised by a resolver that is not one of the layer's domain errors (a bug)."""
    original = cause(error)
    return original is not None and not isinstance(original, (DomainError, GraphQLError))


def log_unexpected(errors: list[GraphQLError]) -> None:
    """Schema.process_errors: the client's mistakes are not logged; bugs are, with their traceback,
    and an unavailable dependency as a warning (as REST's error_response does)."""
    for error in errors:
        original = cause(error)
        if original is not None and error_map.is_unavailable(original):
            observability.logger().warning("dependency unavailable", extra={"cause": repr(original.__cause__)})
        elif is_unexpected(error):
            observability.logger().error(
                "unhandled error in a resolver", exc_info=cause(error), extra={"path": error.path}
            )


class ErrorCodes(SchemaExtension):
    """Gives every error of the result an `extensions.code`; masks unexpected ones; drops graphql-core's
    suggestions unless `suggestions` (on where introspection is on)."""

    def __init__(self, suggestions: bool = True) -> None:
        self.suggestions = suggestions
        self._validation_errors: set[int] = set()

    def on_validate(self) -> Iterator[None]:
        yield
        self._validation_errors = {id(e) for e in self.execution_context.pre_execution_errors or []}

    def on_operation(self) -> Iterator[None]:
        self._validation_errors = set()
        yield
        result = self.execution_context.result
        if result is not None and result.errors:
            result.errors = [self._coded(error) for error in result.errors]
            if not self.suggestions:
                result.errors = [_without_suggestion(error) for error in result.errors]

    def _coded(self, error: GraphQLError) -> GraphQLError:
        original = cause(error)
        if isinstance(original, DomainError):
            return _with(error, message_of(original), api_error_extensions(original))
        if is_unexpected(error):
            return _with(error, INTERNAL_MESSAGE, {"code": INTERNAL})
        if error.extensions and "code" in error.extensions:
            return error
        if isinstance(error, GraphQLSyntaxError):
            code = "GRAPHQL_PARSE_FAILED"
        elif id(error) in self._validation_errors:
            code = "GRAPHQL_VALIDATION_FAILED"
        else:
            code = "BAD_USER_INPUT"  # e.g. a variable of the wrong type
        return _with(error, error.message, {**(error.extensions or {}), "code": code})


def _without_suggestion(error: GraphQLError) -> GraphQLError:
    message, found, _ = error.message.partition(SUGGESTION)
    return _with(error, message, dict(error.extensions or {})) if found else error


def _with(error: GraphQLError, message: str, extensions: dict[str, Any]) -> GraphQLError:
    return GraphQLError(
        message,
        nodes=error.nodes,
        source=error.source,
        positions=error.positions,
        path=error.path,
        original_error=None,
        extensions=extensions,
    )
