"""Users as the services see them: the whole user, and the small projections some reads take.

Absent attributes of a stored user read as their defaults here (no role: `user`; no credentials
version: 0; not verified, not suspended), so no service looks at how an item spells them.
"""

from __future__ import annotations

from dataclasses import dataclass

from conduit.authz import Role


@dataclass(frozen=True, slots=True)
class CredentialsState:
    """Which tokens the user's credentials accept (conduit.security.credentials): those issued at
    `version`, and for a grace period after `changed_at` (epoch seconds) the token whose digest is
    `changed_by`, the one that made the last password change."""

    version: int = 0
    changed_by: str | None = None
    changed_at: int | None = None


NEVER_CHANGED = CredentialsState()


@dataclass(frozen=True, slots=True)
class Person:
    """Who a user is: their id, and the two names that are unique (store.users' markers)."""

    id: str
    username: str
    email: str


@dataclass(frozen=True, slots=True)
class User(Person):
    """The whole user, as registration, login and the settings page see them."""

    password_hash: str
    role: Role = Role.USER
    bio: str | None = None
    image: str | None = None
    email_verified: bool = False
    suspended: bool = False
    credentials: CredentialsState = NEVER_CHANGED
    created_at: str = ""
    updated_at: str = ""


@dataclass(frozen=True, slots=True)
class AuthState:
    """What authorization reads of a user on every request (conduit.security.guard)."""

    id: str
    role: Role = Role.USER
    suspended: bool = False
    credentials: CredentialsState = NEVER_CHANGED


@dataclass(frozen=True, slots=True)
class Contact(Person):
    """Where and whether to email a user a link (password reset, email verification)."""

    email_verified: bool = False
    suspended: bool = False
    credentials: CredentialsState = NEVER_CHANGED


@dataclass(frozen=True, slots=True)
class UserAccount(Person):
    """A user as administrators list and change them (conduit.services.admin)."""

    role: Role
    suspended: bool
    created_at: str


@dataclass(frozen=True, slots=True)
class PendingToken:
    """An emailed link not used yet (store.pending_tokens): the hash of its token and whose it is."""

    token_hash: str
    user_id: str


@dataclass(frozen=True, slots=True)
class PendingReset(PendingToken):
    """A password reset: valid while the user's credentials stay at `credentials_version`."""

    credentials_version: int


@dataclass(frozen=True, slots=True)
class PendingVerification(PendingToken):
    """An email verification, for the address it was sent to."""

    email: str
