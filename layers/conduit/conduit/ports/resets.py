"""Pending password resets: stored by the emailed token's hash, used once together with the new password."""

from __future__ import annotations

from typing import Protocol

from conduit.entities.users import PendingReset, User
from conduit.ports import Accessor


class ResetStore(Protocol):
    def add(self, token_hash: str, uid: str, credentials_version: int, ttl_seconds: int) -> None: ...

    def find(self, token_hash: str) -> PendingReset | None:
        """The pending reset, unless it was used or expired."""
        ...

    def redeem(self, pending: PendingReset, current: User, updated: User) -> User:
        """Use the reset up and write the user's changes (UserStore.update), both or neither:
        ChangedConcurrently when the reset was used meanwhile or the user changed since `current`."""
        ...


def _dynamodb() -> ResetStore:
    from conduit.store import resets

    return resets


store = Accessor[ResetStore](_dynamodb)
