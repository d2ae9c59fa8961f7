"""Pending email verifications (store/pending_tokens.py), each for the address it was sent to."""

from __future__ import annotations

from conduit.store import keys
from conduit.store.pending_tokens import PendingTokens

_pending = PendingTokens(keys.email_verification, "emailVerification")
find = _pending.find
consume = _pending.consume


def add(token_hash: str, uid: str, email: str, ttl_seconds: int) -> None:
    _pending.add(token_hash, uid, ttl_seconds, email=email)
