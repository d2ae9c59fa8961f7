"""Password hashing with argon2id (argon2-cffi)."""

from __future__ import annotations

from functools import lru_cache
from typing import TYPE_CHECKING

from conduit.settings import get_settings

if TYPE_CHECKING:
    from argon2 import PasswordHasher


@lru_cache(maxsize=1)
def _hasher() -> PasswordHasher:
    from argon2 import PasswordHasher  # imported on first use, outside the handlers' cold import

    settings = get_settings()
    return PasswordHasher(time_cost=settings.argon2_time_cost, memory_cost=settings.argon2_memory_kib)


@lru_cache(maxsize=1)
def _decoy_hash() -> str:
    # Verified against when the email is unknown, so both failure paths cost the same.
    return _hasher().hash("decoy-password-for-constant-time-login")


def hash_password(password: str) -> str:
    return _hasher().hash(password)


def verify_password(password: str, password_hash: str | None) -> bool:
    if not password_hash:
        # Same work as a real check, so an unknown email cannot be told apart by timing.
        _safe_verify(_decoy_hash(), password)
        return False
    return _safe_verify(password_hash, password)


def _safe_verify(password_hash: str, password: str) -> bool:
    from argon2.exceptions import InvalidHashError, VerificationError

    try:
        return _hasher().verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False
