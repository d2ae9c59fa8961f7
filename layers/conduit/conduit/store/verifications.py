"""Pending email verifications: one item per emailed token, keyed by the token's SHA-256 (never the
token), for the address it was sent to; expired by TTL on expiresAt, consumed by the verification."""

from __future__ import annotations

import time
from typing import Any

from conduit.store import keys, ops
from conduit.store import transactions as tx
from conduit.store.client import Item


def add(token_hash: str, uid: str, email: str, ttl_seconds: int) -> None:
    ops.put_item(
        {
            **keys.email_verification(token_hash),
            "type": "emailVerification",
            "userId": uid,
            "email": email,
            "expiresAt": int(time.time()) + ttl_seconds,
        }
    )


def find(token_hash: str) -> Item | None:
    """The pending verification of a token, unless it expired (TTL deletes late: checked here too)."""
    item = ops.get_item(keys.email_verification(token_hash), consistent=True)
    if item is None or int(item.get("expiresAt") or 0) <= time.time():
        return None
    return item


def consume(token_hash: str) -> dict[str, Any]:
    """The transaction action that uses a verification token up (single use)."""
    return tx.delete(keys.email_verification(token_hash), "attribute_exists(PK)")
