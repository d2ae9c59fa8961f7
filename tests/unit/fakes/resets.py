"""In-memory ResetStore (conduit.ports.resets)."""

from __future__ import annotations

from conduit.entities.users import PendingReset, User
from tests.unit.fakes.pending import FakePendingTokens


class FakeResets(FakePendingTokens[PendingReset]):
    def add(self, token_hash: str, uid: str, credentials_version: int, ttl_seconds: int) -> None:
        self._add(token_hash, PendingReset(token_hash, uid, credentials_version), ttl_seconds)

    def redeem(self, pending: PendingReset, current: User, updated: User) -> User:
        return self._redeem(pending.token_hash, current, updated)
