"""Pending email verifications (store/pending_tokens.py), each for the address it was sent to."""

from __future__ import annotations

from conduit.entities.users import PendingVerification, User
from conduit.store import keys, users
from conduit.store.pending_tokens import PendingTokens

_pending = PendingTokens(keys.email_verification, "emailVerification")


def add(token_hash: str, uid: str, email: str, ttl_seconds: int) -> None:
    _pending.add(token_hash, uid, ttl_seconds, email=email)


def find(token_hash: str) -> PendingVerification | None:
    item = _pending.find(token_hash)
    return PendingVerification(token_hash, item["userId"], item["email"]) if item else None


def redeem(pending: PendingVerification, current: User, updated: User) -> User:
    """One transaction: the verification deleted (it must still be there: single use) and the user updated."""
    return users.update(current, updated, also=[_pending.consume(pending.token_hash)])
