"""Emailed single-use tokens waiting to be used (password resets, email verifications): one item per
token, keyed by the token's SHA-256 (the token itself is never stored), expired by TTL on expiresAt
and consumed (deleted) inside the transaction that uses it."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from conduit.store import ops
from conduit.store import transactions as tx
from conduit.store.client import Item
from conduit.store.conditions import EXISTS
from conduit.store.keys import Key


class PendingTokens:
    def __init__(self, key: Callable[[str], Key], kind: str) -> None:
        self.key, self.kind = key, kind

    def add(self, token_hash: str, uid: str, ttl_seconds: int, **fields: Any) -> None:
        item = {**self.key(token_hash), "type": self.kind, "userId": uid, **fields}
        ops.put_item({**item, "expiresAt": int(time.time()) + ttl_seconds})

    def find(self, token_hash: str) -> Item | None:
        """The pending token's item, unless it expired (TTL deletes late: expiry is checked here too)."""
        item = ops.get_item(self.key(token_hash), consistent=True)
        if item is None or int(item.get("expiresAt") or 0) <= time.time():
            return None
        return item

    def consume(self, token_hash: str) -> dict[str, Any]:
        """The transaction action that uses the token up: it must still be there (single use)."""
        return tx.delete(self.key(token_hash), EXISTS)
