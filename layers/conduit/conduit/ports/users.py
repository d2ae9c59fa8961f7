"""Users: registration with unique email and username, reads of a user or a projection of one,
changes (conditional on what was read), administrative flags and the admins' listing."""

from __future__ import annotations

from typing import Protocol

from conduit.authz import Role
from conduit.entities.users import AuthState, Contact, User, UserAccount
from conduit.ports import Accessor


class UserStore(Protocol):
    def create(self, username: str, email: str, password_hash: str) -> User:
        """A new user with role `user`. UsernameTaken (with the email's message too when both are) or
        EmailTaken when another user has either, compared without case; nothing is written then."""
        ...

    def find(self, uid: str, consistent: bool = False) -> User | None: ...

    def id_for_email(self, email: str) -> str | None:
        """The id of the user with this email, compared without case."""
        ...

    def id_for_username(self, username: str) -> str | None:
        """The id of the user with this username, compared without case."""
        ...

    def update(self, current: User, updated: User) -> User:
        """Write what differs from `current` (as read) in `updated`, and answer the user as stored.
        UsernameTaken/EmailTaken for a value another user has; ChangedConcurrently (nothing written)
        when the stored user no longer has `current`'s username, email or credentials version."""
        ...

    def auth_state(self, uid: str) -> AuthState | None: ...

    def contact(self, uid: str) -> Contact | None: ...

    def email_verified(self, uid: str) -> bool:
        """Whether the user followed the link sent to their current email (False when gone)."""
        ...

    def set_role(self, uid: str, role: Role) -> UserAccount:
        """ProfileNotFound when there is no such user."""
        ...

    def set_suspended(self, uid: str, suspended: bool) -> UserAccount:
        """ProfileNotFound when there is no such user."""
        ...

    def accounts(self, offset: int, limit: int) -> list[UserAccount]:
        """Users, newest first: `limit` of them after the first `offset`."""
        ...


def _dynamodb() -> UserStore:
    from conduit.store import users

    return users


store = Accessor[UserStore](_dynamodb)
