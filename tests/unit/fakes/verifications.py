"""In-memory VerificationStore (conduit.ports.verifications)."""

from __future__ import annotations

from conduit.entities.users import PendingVerification, User
from tests.unit.fakes.pending import FakePendingTokens


class FakeVerifications(FakePendingTokens[PendingVerification]):
    def add(self, token_hash: str, uid: str, email: str, ttl_seconds: int) -> None:
        self._add(token_hash, PendingVerification(token_hash, uid, email), ttl_seconds)

    def redeem(self, pending: PendingVerification, current: User, updated: User) -> User:
        return self._redeem(pending.token_hash, current, updated)
