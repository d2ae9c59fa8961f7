"""In-memory pending tokens (password resets, email verifications): expiring on a clock the test moves
(`now`), used once, and only together with the user's update (FakeUsers' conditions)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Generic, TypeVar

from conduit.entities.users import User
from conduit.errors import ChangedConcurrently
from tests.unit.fakes.quotas import START
from tests.unit.fakes.users import FakeUsers

Pending = TypeVar("Pending")


class FakePendingTokens(Generic[Pending]):
    def __init__(self, users: FakeUsers) -> None:
        self.users = users
        self.now = START
        self.pending: dict[str, tuple[float, Pending]] = {}  # token hash -> (expires at, pending)
        self.concurrently: Callable[[], None] | None = None  # runs as if another request committed first

    def _add(self, token_hash: str, pending: Pending, ttl_seconds: int) -> None:
        self.pending[token_hash] = (self.now + ttl_seconds, pending)

    def find(self, token_hash: str) -> Pending | None:
        expires, pending = self.pending.get(token_hash, (0.0, None))
        return pending if expires > self.now else None

    def _redeem(self, token_hash: str, current: User, updated: User) -> User:
        run, self.concurrently = self.concurrently, None  # once
        if run is not None:
            run()
        self.users.check_update(current, updated)
        if token_hash not in self.pending:  # used meanwhile: the transaction's condition refuses it
            raise ChangedConcurrently()
        del self.pending[token_hash]
        return self.users.apply_update(current, updated)
