"""Pending password resets (store/pending_tokens.py), each valid only while the user's credentials stay
at the version they were issued for."""

from __future__ import annotations

from conduit.store import keys
from conduit.store.pending_tokens import PendingTokens

_pending = PendingTokens(keys.password_reset, "passwordReset")
find = _pending.find
consume = _pending.consume


def add(token_hash: str, uid: str, credentials_version: int, ttl_seconds: int) -> None:
    """Remember a reset token for `uid`, valid `ttl_seconds` and only while the user's credentials stay
    at `credentials_version` (a reset or password change since outdates it)."""
    _pending.add(token_hash, uid, ttl_seconds, credentialsVersion=credentials_version)
