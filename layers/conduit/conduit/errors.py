"""Domain errors: what went wrong, in the service's own words, with no HTTP status.

Raised by validation, security, services and the store. Each carries the RealWorld error body's
`{field: [message]}` (`errors`) and, when the client may retry later, `retry_after_seconds`. Which
HTTP status and GraphQL code each one becomes is decided in one table, conduit.http.error_map.
"""

from __future__ import annotations


class DomainError(Exception):
    """An error the client caused or may retry; `errors` is the body's `{field: [message]}`."""

    retry_after_seconds: int | None = None

    def __init__(self, field: str, message: str) -> None:
        super().__init__(f"{field} {message}")
        self.errors: dict[str, list[str]] = {field: [message]}

    def add(self, field: str, message: str) -> DomainError:
        self.errors.setdefault(field, []).append(message)
        return self


# --- who is calling ------------------------------------------------------------------------------


class NotAuthenticated(DomainError):
    """The caller is not (or no longer) a signed-in user."""


class TokenMissing(NotAuthenticated):
    def __init__(self) -> None:
        super().__init__("token", "is missing")


class TokenInvalid(NotAuthenticated):
    """Malformed, expired, revoked, or naming a user that no longer exists."""

    def __init__(self) -> None:
        super().__init__("token", "is invalid")


class CredentialsInvalid(NotAuthenticated):
    def __init__(self) -> None:
        super().__init__("credentials", "invalid")


class UserSuspended(NotAuthenticated):
    def __init__(self) -> None:
        super().__init__("user", "is suspended")


# --- what they may do ----------------------------------------------------------------------------


class NotPermitted(DomainError):
    """The caller is known but may not do this."""


class NotAuthor(NotPermitted):
    """Only the author (or a moderator) may change or delete `resource` ("article", "comment")."""

    def __init__(self, resource: str) -> None:
        super().__init__(resource, "forbidden")


class AdminOnly(NotPermitted):
    """The route needs a role the caller does not have."""

    def __init__(self) -> None:
        super().__init__("admin", "forbidden")


class WrongPassword(NotPermitted):
    """A signed-in user's password confirmation (deleting their account) did not match."""

    def __init__(self) -> None:
        super().__init__("password", "is invalid")


class EmailUnverified(NotPermitted):
    def __init__(self) -> None:
        super().__init__("email", "must be verified before publishing")


# --- what is there -------------------------------------------------------------------------------


class NotFound(DomainError):
    """`resource` does not exist (or is being deleted)."""

    def __init__(self, resource: str) -> None:
        super().__init__(resource, "not found")


class ArticleNotFound(NotFound):
    def __init__(self) -> None:
        super().__init__("article")


class CommentNotFound(NotFound):
    def __init__(self) -> None:
        super().__init__("comment")


class ProfileNotFound(NotFound):
    def __init__(self) -> None:
        super().__init__("profile")


class UserNotFound(NotFound):
    def __init__(self) -> None:
        super().__init__("user")


class ExportNotFound(NotFound):
    def __init__(self) -> None:
        super().__init__("export")


class DeletionNotFound(NotFound):
    def __init__(self) -> None:
        super().__init__("deletion")


class AlreadyTaken(DomainError):
    """A unique value (username, email) belongs to someone else."""

    def __init__(self, field: str, message: str = "has already been taken") -> None:
        super().__init__(field, message)


class UsernameTaken(AlreadyTaken):
    def __init__(self) -> None:
        super().__init__("username")


class EmailTaken(AlreadyTaken):
    def __init__(self) -> None:
        super().__init__("email")


class RequestInProgress(DomainError):
    """An earlier request with the same Idempotency-Key has not finished."""

    def __init__(self) -> None:
        super().__init__("Idempotency-Key", "a request with this key is still in progress")


# --- what they sent ------------------------------------------------------------------------------


class InvalidInput(DomainError):
    """The request is well-formed but its content is not acceptable (field by field)."""


class IdempotencyKeyReused(InvalidInput):
    MESSAGE = "was already used with a different request"

    def __init__(self) -> None:
        super().__init__("Idempotency-Key", self.MESSAGE)


class PayloadTooLarge(DomainError):
    """The body is over the size the service accepts."""


class BodyNotJson(DomainError):
    """The body is not declared as JSON."""


# --- when to come back ---------------------------------------------------------------------------


class RateLimited(DomainError):
    """A rate limit was reached; `retry_after_seconds` says when the window resets."""

    def __init__(self, retry_after_seconds: int) -> None:
        super().__init__("rate", "limit reached, retry later")
        self.retry_after_seconds = retry_after_seconds


class Unavailable(DomainError):
    """Nothing was changed and the same request may be retried shortly (a dependency failed)."""

    retry_after_seconds = 1

    def __init__(self) -> None:
        super().__init__("server", "temporarily unavailable, retry later")


class StorageUnavailable(Unavailable):
    """DynamoDB throttled, timed out or failed (store.ops)."""


class ChangedConcurrently(Unavailable):
    """What the request read changed before its conditional write; nothing was written."""
