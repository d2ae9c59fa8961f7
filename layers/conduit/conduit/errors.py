"""Domain errors: what went wrong, in the service's own words, with no HTTP status.

Raised by validation, security, services and the store. Each carries the RealWorld error body's
`{field: [message]}` (`errors`) and, when the client may retry later, `retry_after_seconds`. Which
HTTP status and GraphQL code each one becomes is decided in one table, conduit.http.error_map.

A kind of error with a fixed body declares it in its class line, `class X(Base, field=..., message=...)`:
raised with no arguments it says that; a kind that names only `message` (NotFound, AlreadyTaken,
NotAuthor) takes the field when raised, `NotFound("article")`.
"""

from __future__ import annotations

from typing import ClassVar, TypeVar

T = TypeVar("T")


class DomainError(Exception):
    """An error the client caused or may retry; `errors` is the body's `{field: [message]}`."""

    retry_after_seconds: int | None = None
    FIELD: ClassVar[str | None] = None
    MESSAGE: ClassVar[str | None] = None

    def __init_subclass__(cls, field: str | None = None, message: str | None = None, **kwargs: object) -> None:
        super().__init_subclass__(**kwargs)
        if field is not None:
            cls.FIELD = field
        if message is not None:
            cls.MESSAGE = message

    def __init__(self, field: str | None = None, message: str | None = None) -> None:
        field = self.FIELD if field is None else field
        message = self.MESSAGE if message is None else message
        if field is None or message is None:
            raise TypeError(f"{type(self).__name__} needs a field and a message")
        super().__init__(f"{field} {message}")
        self.errors: dict[str, list[str]] = {field: [message]}

    def add(self, field: str, message: str) -> DomainError:
        self.errors.setdefault(field, []).append(message)
        return self


# --- who is calling ------------------------------------------------------------------------------


class NotAuthenticated(DomainError):
    """The caller is not (or no longer) a signed-in user."""


class TokenMissing(NotAuthenticated, field="token", message="is missing"):
    """No bearer token was sent."""


class TokenInvalid(NotAuthenticated, field="token", message="is invalid"):
    """Malformed, expired, revoked, or naming a user that no longer exists."""


class CredentialsInvalid(NotAuthenticated, field="credentials", message="invalid"):
    """No user has this email and password."""


class UserSuspended(NotAuthenticated, field="user", message="is suspended"):
    """An admin suspended the user."""


# --- what they may do ----------------------------------------------------------------------------


class NotPermitted(DomainError):
    """The caller is known but may not do this."""


class NotAuthor(NotPermitted, message="forbidden"):
    """Only the author (or a moderator) may change or delete `resource` ("article", "comment")."""


class AdminOnly(NotPermitted, field="admin", message="forbidden"):
    """The route needs a role the caller does not have."""


class WrongPassword(NotPermitted, field="password", message="is invalid"):
    """A signed-in user's password confirmation (deleting their account) did not match."""


class EmailUnverified(NotPermitted, field="email", message="must be verified before publishing"):
    """Publishing needs a verified email."""


# --- what is there -------------------------------------------------------------------------------


class NotFound(DomainError, message="not found"):
    """`resource` does not exist (or is being deleted)."""


class ArticleNotFound(NotFound, field="article"): ...


class CommentNotFound(NotFound, field="comment"): ...


class ProfileNotFound(NotFound, field="profile"): ...


class UserNotFound(NotFound, field="user"): ...


class ExportNotFound(NotFound, field="export"): ...


class DeletionNotFound(NotFound, field="deletion"): ...


def found(value: T | None, missing: type[NotFound]) -> T:
    """`value`, unless there is none: then the `missing` error (ArticleNotFound, ProfileNotFound...)."""
    if value is None:
        raise missing()
    return value


class AlreadyTaken(DomainError, message="has already been taken"):
    """A unique value (username, email) belongs to someone else."""


class UsernameTaken(AlreadyTaken, field="username"): ...


class EmailTaken(AlreadyTaken, field="email"): ...


class RequestInProgress(DomainError, field="Idempotency-Key", message="a request with this key is still in progress"):
    """An earlier request with the same Idempotency-Key has not finished."""


# --- what they sent ------------------------------------------------------------------------------


class InvalidInput(DomainError):
    """The request is well-formed but its content is not acceptable (field by field)."""


class IdempotencyKeyReused(InvalidInput, field="Idempotency-Key", message="was already used with a different request"):
    """The Idempotency-Key was sent before with another request."""


class PayloadTooLarge(DomainError):
    """The body is over the size the service accepts."""


class BodyNotJson(DomainError):
    """The body is not declared as JSON."""


# --- when to come back ---------------------------------------------------------------------------


class RateLimited(DomainError, field="rate", message="limit reached, retry later"):
    """A rate limit was reached; `retry_after_seconds` says when the window resets."""

    def __init__(self, retry_after_seconds: int) -> None:
        super().__init__()
        self.retry_after_seconds = retry_after_seconds


class Unavailable(DomainError, field="server", message="temporarily unavailable, retry later"):
    """Nothing was changed and the same request may be retried shortly (a dependency failed)."""

    retry_after_seconds = 1


class StorageUnavailable(Unavailable):
    """DynamoDB throttled, timed out or failed (store.ops)."""


class ChangedConcurrently(Unavailable):
    """What the request read changed before its conditional write; nothing was written."""
