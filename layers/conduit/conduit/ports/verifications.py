"""Pending email verifications: stored by the emailed token's hash with the address it was sent to."""

from __future__ import annotations

from typing import Protocol

from conduit.entities.users import PendingVerification, User
from conduit.ports import Accessor


class VerificationStore(Protocol):
    def add(self, token_hash: str, uid: str, email: str, ttl_seconds: int) -> None: ...

    def find(self, token_hash: str) -> PendingVerification | None:
        """The pending verification, unless it was used or expired."""
        ...

    def redeem(self, pending: PendingVerification, current: User, updated: User) -> User:
        """Use the verification up and write the user's changes (UserStore.update), both or neither:
        ChangedConcurrently when it was used meanwhile or the user changed since `current`."""
        ...


def _dynamodb() -> VerificationStore:
    from conduit.store import verifications

    return verifications


store = Accessor[VerificationStore](_dynamodb)
