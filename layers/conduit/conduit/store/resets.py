"""Pending password resets: one item per emailed token, keyed by the token's SHA-256 (the token itself
is never stored), expired by TTL on expiresAt and consumed (deleted) by the reset that uses it."""

from __future__ import annotations

import time
from typing import Any

from conduit.store import keys, ops
from conduit.store import transactions as tx
from conduit.store.client import Item


def add(token_hash: str, uid: str, credentials_version: int, ttl_seconds: int) -> None:
    """Remember a reset token for `uid`, valid `ttl_seconds` and only while the user's credentials stay
    at `credentials_version` (a reset or password change since outdates it)."""
    ops.put_item(
        {
            **keys.password_reset(token_hash),
            "type": "passwordReset",
            "userId": uid,
            "credentialsVersion": credentials_version,
            "expiresAt": int(time.time()) + ttl_seconds,
        }
    )


def find(token_hash: str) -> Item | None:
    """The pending reset of a token, unless it expired (TTL deletes late: expiry is checked here too)."""
    item = ops.get_item(keys.password_reset(token_hash), consistent=True)
    if item is None or int(item.get("expiresAt") or 0) <= time.time():
        return None
    return item


def consume(token_hash: str) -> dict[str, Any]:
    """The transaction action that uses a reset token up: it must still be there (single use)."""
    return tx.delete(keys.password_reset(token_hash), "attribute_exists(PK)")
