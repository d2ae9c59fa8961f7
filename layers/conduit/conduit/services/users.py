"""Registration, login, the current user and changes to it."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from conduit import observability
from conduit.errors import ServiceUnavailable, TooManyRequests, Unauthorized, invalid_token
from conduit.security.passwords import hash_password, verify_password
from conduit.security.tokens import issue_token
from conduit.services.views import UserView, user_view
from conduit.settings import get_settings
from conduit.store import ops, quotas, users
from conduit.store.client import Item

if TYPE_CHECKING:  # request models are pydantic: not imported by read-only handlers
    from conduit.validation import Credentials, NewUser, UserChanges


def register(new: NewUser) -> UserView:
    user = users.create(new.username, new.email, hash_password(new.password))
    observability.count("UserRegistered")
    return user_view(user, issue_token(user["id"], user["role"]))


def login(credentials: Credentials, source_ip: str) -> UserView:
    """Check the password; failures are limited per email and per source IP (429 past the limit)."""
    settings = get_settings()
    counters = [
        ("login-email", credentials.email.lower(), settings.login_failures_per_minute),
        ("login-ip", source_ip, settings.login_failures_per_ip_per_minute),
    ]
    wait = quotas.over_limit(counters)
    if wait is not None:
        observability.count("RateLimited")
        raise TooManyRequests(wait)
    uid = users.id_for_email(credentials.email)
    user = users.get(uid) if uid else None
    # verify_password runs (against a decoy hash) even for unknown emails: no enumeration by timing.
    if not verify_password(credentials.password, user["passwordHash"] if user else None) or user is None:
        observability.count("LoginFailed")
        for kind, subject, limit in counters:
            quotas.hit(kind, subject, limit)
        raise Unauthorized("credentials", "invalid")
    if user.get("suspended"):
        raise Unauthorized("user", "is suspended")
    return user_view(user, issue_token(user["id"], user.get("role", "user")))


def current(uid: str) -> Item:
    user = users.get(uid)
    if user is None:
        raise invalid_token()  # the token outlived its user
    return user


def update(uid: str, token: str, changes: UserChanges) -> UserView:
    requested: dict[str, Any] = changes.model_dump(exclude_unset=True)
    if "password" in requested:
        requested["passwordHash"] = hash_password(requested.pop("password"))
    user = current(uid)
    if requested:
        try:
            user = users.update(user, requested)
        except ops.TransactionCancelled:
            raise ServiceUnavailable() from None  # changed concurrently; nothing was written
    return user_view(user, token)
