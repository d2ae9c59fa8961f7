"""Domain errors. Raised by logic and storage; turned into HTTP responses in one place (http.responses)."""

from __future__ import annotations


class ApiError(Exception):
    """An error the client caused or may retry, with the RealWorld error body `{"errors": {field: [msg]}}`."""

    status: int = 400
    retry_after_seconds: int | None = None

    def __init__(self, field: str, message: str) -> None:
        super().__init__(f"{field} {message}")
        self.errors: dict[str, list[str]] = {field: [message]}

    def add(self, field: str, message: str) -> ApiError:
        self.errors.setdefault(field, []).append(message)
        return self


class Unauthorized(ApiError):
    status = 401


class Forbidden(ApiError):
    status = 403

    def __init__(self, resource: str) -> None:
        super().__init__(resource, "forbidden")


class NotFound(ApiError):
    status = 404

    def __init__(self, resource: str) -> None:
        super().__init__(resource, "not found")


class Conflict(ApiError):
    status = 409

    def __init__(self, field: str, message: str = "has already been taken") -> None:
        super().__init__(field, message)


class PayloadTooLarge(ApiError):
    status = 413


class UnsupportedMediaType(ApiError):
    status = 415


class Unprocessable(ApiError):
    status = 422


class TooManyRequests(ApiError):
    """A rate limit was reached; `retry_after_seconds` says when the window resets."""

    status = 429

    def __init__(self, retry_after_seconds: int) -> None:
        super().__init__("rate", "limit reached, retry later")
        self.retry_after_seconds = retry_after_seconds


class ServiceUnavailable(ApiError):
    """A dependency is throttled or unreachable; the request changed nothing and may be retried."""

    status = 503
    retry_after_seconds = 1

    def __init__(self) -> None:
        super().__init__("server", "temporarily unavailable, retry later")


def missing_token() -> Unauthorized:
    return Unauthorized("token", "is missing")


def invalid_token() -> Unauthorized:
    return Unauthorized("token", "is invalid")
