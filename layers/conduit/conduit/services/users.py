"""Registration, login, the current user and changes to it."""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING, Any

from conduit import observability
from conduit.entities.quotas import Reservation
from conduit.entities.users import User
from conduit.errors import CredentialsInvalid, RateLimited, TokenInvalid
from conduit.ports import quotas as quota_port
from conduit.ports import users as user_port
from conduit.security import credentials, guard
from conduit.security.passwords import hash_password, verify_password
from conduit.security.tokens import issue_token
from conduit.services.views import UserView, user_view
from conduit.settings import get_settings

REGISTERED_VERSION = 0  # a new user's credentials version (conduit.security.credentials)

if TYPE_CHECKING:  # request models are pydantic: not imported by read-only handlers
    from conduit.validation import Credentials, NewUser, UserChanges


def register(new: NewUser) -> UserView:
    """Create the user and answer it with a token at the credentials it was registered with.

    Under an Idempotency-Key, `create` may answer the user an earlier attempt of the same request
    registered (store.receipts). Its token is still issued at credentials version 0: if the password
    changed since, the guard refuses it, so a re-sent registration never outlives that change."""
    user = user_port.store().create(new.username, new.email, hash_password(new.password))
    observability.count("UserRegistered")
    if not user.email_verified:  # not on a re-sent registration whose user verified since
        from conduit.services import email_verification

        email_verification.send_best_effort(user)
    return user_view(user, issue_token(user.id, user.role, REGISTERED_VERSION))


def login(credentials: Credentials, source_ip: str) -> UserView:
    """Check the password, at most `limit` times per window per email and per source IP.

    Each attempt is reserved on both counters (conditional UpdateItems) before the password is
    checked, so a burst gets no more checks than the limits allow; the rest are 429 at once. A right
    password gives its reservations back: the counters count failed (and running) attempts only.
    Unknown emails, wrong passwords and suspended accounts answer alike, after the same work.
    """
    settings = get_settings()
    reservations = _reserve_attempt(
        [
            ("login-ip", source_ip, settings.login_failures_per_ip_per_minute),
            ("login-email", credentials.email.lower(), settings.login_failures_per_minute),
        ]
    )
    users = user_port.store()
    uid = users.id_for_email(credentials.email)
    user = users.find(uid) if uid else None
    # verify_password runs (against a decoy hash) even for unknown emails: no enumeration by timing.
    valid = verify_password(credentials.password, user.password_hash if user else None)
    if not valid or user is None or user.suspended:
        observability.count("LoginFailed")
        raise CredentialsInvalid()  # the reservations stay: they count this failure
    for reservation in reservations:
        quota_port.store().release(reservation)  # a fault here is a 503 like any other; the attempt stays counted
    return user_view(user, _token_for(user))


def _reserve_attempt(counters: list[tuple[str, str, int]]) -> list[Reservation]:
    """One attempt reserved on every counter, or none (429) when any of them is full."""
    quotas = quota_port.store()
    taken: list[Reservation] = []
    for kind, subject, limit in counters:
        reservation = quotas.reserve(kind, subject, limit)
        if reservation.refused:
            for earlier in taken:
                quotas.release(earlier)  # this attempt checks no password: it counts on no counter
            observability.count("RateLimited")
            raise RateLimited(reservation.retry_after)
        taken.append(reservation)
    return taken


def _token_for(user: User) -> str:
    return issue_token(user.id, user.role, user.credentials.version)


def current(uid: str, consistent: bool = False) -> User:
    user = user_port.store().find(uid, consistent=consistent)
    if user is None:
        raise TokenInvalid()  # the token outlived its user
    return user


def update(uid: str, token: str, changes: UserChanges) -> UserView:
    """Apply the changes; a new password moves the user's credentials version on, which outdates
    the tokens issued before (conduit.security.credentials), so the answer carries a fresh token.
    A username or email another user has: 409; the user changed meanwhile: 503, nothing written."""
    requested: dict[str, Any] = changes.model_dump(exclude_unset=True)
    user = current(uid, consistent=True)  # the conditions of the write compare with this read
    if not requested:
        return user_view(user, token)
    email_changed = requested.get("email") not in (None, user.email)
    user = user_port.store().update(user, _changed(user, requested, token, email_changed))
    if email_changed:
        from conduit.services import email_verification

        email_verification.send_best_effort(user)
    if "password" in requested:
        guard.forget(uid)  # this container's cached auth state has the old version
        token = _token_for(user)
    return user_view(user, token)


def _changed(user: User, requested: dict[str, Any], token: str, email_changed: bool) -> User:
    """`user` with the requested changes: a new email is not verified yet; a new password moves the
    credentials on, remembering `token` (the one that made the change) for its grace period."""
    fields: dict[str, Any] = {
        name: requested[name] for name in ("username", "email", "bio", "image") if name in requested
    }
    if email_changed:
        fields["email_verified"] = False
    if "password" in requested:
        fields["password_hash"] = hash_password(requested["password"])
        fields["credentials"] = credentials.changed(user.credentials, token)
    return replace(user, **fields)
