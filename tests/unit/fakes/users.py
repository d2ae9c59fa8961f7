"""In-memory UserStore (conduit.ports.users): users with unique emails and usernames (compared without
case) and the store's conditional update, which refuses a write based on a stale read."""

from __future__ import annotations

import itertools
from collections.abc import Callable
from dataclasses import replace

from conduit.authz import Role
from conduit.entities.users import AuthState, Contact, User, UserAccount
from conduit.errors import ChangedConcurrently, EmailTaken, ProfileNotFound, UsernameTaken


class FakeUsers:
    def __init__(self, journal: list[str] | None = None) -> None:
        self.users: dict[str, User] = {}
        self.emails: dict[str, str] = {}  # lower-cased email -> user id
        self.usernames: dict[str, str] = {}  # lower-cased username -> user id
        self.journal = journal if journal is not None else []  # the calls, in order
        self.concurrently: Callable[[], None] | None = None  # runs as if another request committed first
        self._ids = itertools.count(1)
        self._clock = itertools.count(1)

    def _now(self) -> str:
        return f"2026-01-01T00:00:{next(self._clock):06.3f}Z"

    # --- UserStore -------------------------------------------------------------------------------

    def create(self, username: str, email: str, password_hash: str) -> User:
        self.journal.append("create user")
        self._refuse_taken(None, username, email)
        now = self._now()
        user = User(f"u{next(self._ids)}", username, email, password_hash, created_at=now, updated_at=now)
        self.users[user.id] = user
        self.usernames[username.lower()] = self.emails[email.lower()] = user.id
        return user

    def find(self, uid: str, consistent: bool = False) -> User | None:
        self.journal.append("read user")
        return self.users.get(uid)

    def id_for_email(self, email: str) -> str | None:
        self.journal.append("read email marker")
        return self.emails.get(email.lower())

    def id_for_username(self, username: str) -> str | None:
        self.journal.append("read username marker")
        return self.usernames.get(username.lower())

    def update(self, current: User, updated: User) -> User:
        self.journal.append("update user")
        self.check_update(current, updated)
        return self.apply_update(current, updated)

    def auth_state(self, uid: str) -> AuthState | None:
        self.journal.append("read auth state")
        user = self.users.get(uid)
        return AuthState(user.id, user.role, user.suspended, user.credentials) if user else None

    def contact(self, uid: str) -> Contact | None:
        self.journal.append("read contact")
        user = self.users.get(uid)
        if user is None:
            return None
        return Contact(user.id, user.username, user.email, user.email_verified, user.suspended, user.credentials)

    def email_verified(self, uid: str) -> bool:
        user = self.users.get(uid)
        return user is not None and user.email_verified

    def set_role(self, uid: str, role: Role) -> UserAccount:
        return self._flag(uid, role=role)

    def set_suspended(self, uid: str, suspended: bool) -> UserAccount:
        return self._flag(uid, suspended=suspended)

    def accounts(self, offset: int, limit: int) -> list[UserAccount]:
        newest_first = sorted(self.users.values(), key=lambda user: user.created_at, reverse=True)
        return [self.account(user.id) for user in newest_first[offset : offset + limit]]

    # --- the store's conditions, shared with the pending-token fakes --------------------------------

    def check_update(self, current: User, updated: User) -> None:
        """What the DynamoDB transaction's conditions refuse: a username/email another user has, or a
        user whose username, email or credentials version is no longer the one read."""
        run, self.concurrently = self.concurrently, None  # once
        if run is not None:
            run()
        self._refuse_taken(current.id, updated.username, updated.email)
        stored = self.users.get(current.id)
        same = stored is not None and (stored.username, stored.email) == (current.username, current.email)
        version_moves = updated.credentials.version != current.credentials.version
        if not same or (version_moves and stored and stored.credentials.version != current.credentials.version):
            raise ChangedConcurrently()

    def apply_update(self, current: User, updated: User) -> User:
        before = self.users[current.id]  # role and suspension are not the update's to change
        stored = replace(updated, role=before.role, suspended=before.suspended, updated_at=self._now())
        moves = ((self.usernames, current.username, updated.username), (self.emails, current.email, updated.email))
        for index, old, new in moves:
            if old.lower() != new.lower():
                del index[old.lower()]
                index[new.lower()] = current.id
        self.users[current.id] = stored
        return stored

    def account(self, uid: str) -> UserAccount:
        user = self.users[uid]
        return UserAccount(user.id, user.username, user.email, user.role, user.suspended, user.created_at)

    def _refuse_taken(self, uid: str | None, username: str, email: str) -> None:
        username_owner, email_owner = self.usernames.get(username.lower()), self.emails.get(email.lower())
        username_taken = username_owner not in (None, uid)
        email_taken = email_owner not in (None, uid)
        if username_taken:
            error = UsernameTaken()
            if email_taken:
                error.add("email", "has already been taken")
            raise error
        if email_taken:
            raise EmailTaken()

    def _flag(self, uid: str, **flags: object) -> UserAccount:
        if uid not in self.users:
            raise ProfileNotFound()
        self.users[uid] = replace(self.users[uid], **flags)  # type: ignore[arg-type]
        return self.account(uid)
