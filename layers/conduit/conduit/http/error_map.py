"""The one table from domain errors (conduit.errors) to what clients see: the HTTP status and body
(http.responses) and the GraphQL `extensions.code` (graphql.errors).

An error takes the row of its own class, or else of its nearest listed base class. Every answer's
body is the RealWorld one, `{"errors": {field: [message]}}`; errors with `retry_after_seconds` also
send `Retry-After` (REST) or `extensions.retryAfter` (GraphQL).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from conduit import errors as e


@dataclass(frozen=True, slots=True)
class Mapping:
    status: int  # HTTP status
    code: str  # GraphQL extensions.code


UNAUTHENTICATED = Mapping(401, "UNAUTHENTICATED")
FORBIDDEN = Mapping(403, "FORBIDDEN")
NOT_FOUND = Mapping(404, "NOT_FOUND")
CONFLICT = Mapping(409, "CONFLICT")
INVALID = Mapping(422, "BAD_USER_INPUT")
UNAVAILABLE = Mapping(503, "UNAVAILABLE")

TABLE: dict[type[e.DomainError], Mapping] = {
    e.DomainError: Mapping(400, "BAD_REQUEST"),
    # who is calling
    e.NotAuthenticated: UNAUTHENTICATED,
    e.TokenMissing: UNAUTHENTICATED,
    e.TokenInvalid: UNAUTHENTICATED,
    e.CredentialsInvalid: UNAUTHENTICATED,
    e.UserSuspended: UNAUTHENTICATED,
    # what they may do
    e.NotPermitted: FORBIDDEN,
    e.NotAuthor: FORBIDDEN,
    e.AdminOnly: FORBIDDEN,
    e.WrongPassword: FORBIDDEN,
    e.EmailUnverified: FORBIDDEN,
    # what is there
    e.NotFound: NOT_FOUND,
    e.ArticleNotFound: NOT_FOUND,
    e.CommentNotFound: NOT_FOUND,
    e.ProfileNotFound: NOT_FOUND,
    e.UserNotFound: NOT_FOUND,
    e.ExportNotFound: NOT_FOUND,
    e.DeletionNotFound: NOT_FOUND,
    e.AlreadyTaken: CONFLICT,
    e.UsernameTaken: CONFLICT,
    e.EmailTaken: CONFLICT,
    e.RequestInProgress: CONFLICT,
    # what they sent
    e.InvalidInput: INVALID,
    e.IdempotencyKeyReused: INVALID,
    e.PayloadTooLarge: Mapping(413, "BAD_USER_INPUT"),
    e.BodyNotJson: Mapping(415, "BAD_REQUEST"),
    # when to come back
    e.RateLimited: Mapping(429, "RATE_LIMITED"),
    e.Unavailable: UNAVAILABLE,
    e.StorageUnavailable: UNAVAILABLE,
    e.ChangedConcurrently: UNAVAILABLE,
}


def mapping_of(error: e.DomainError) -> Mapping:
    """The row of the error's class, or of its nearest base class in the table."""
    for cls in type(error).__mro__:
        if cls in TABLE:
            return TABLE[cls]
    raise LookupError(type(error).__name__)  # unreachable: DomainError has a row


def status_of(error: e.DomainError) -> int:
    return mapping_of(error).status


def code_of(error: e.DomainError) -> str:
    return mapping_of(error).code


def body_of(error: e.DomainError) -> dict[str, Any]:
    """The RealWorld error body: `{"errors": {field: [message]}}`."""
    return {"errors": error.errors}


def is_unavailable(error: BaseException) -> bool:
    """A dependency failed (logged as a warning by both edges, never as a bug)."""
    return isinstance(error, e.Unavailable)
