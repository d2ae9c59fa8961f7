"""Password hashing: argon2id with the Settings costs, and verification that never raises."""

from __future__ import annotations

import pytest
from argon2 import PasswordHasher, Type

from conduit.security import passwords
from conduit.security.passwords import hash_password, verify_password
from conduit.settings import Settings


def test_hash_is_argon2id():
    hashed = hash_password("password123")
    assert hashed.startswith("$argon2id$")
    assert "password123" not in hashed


def test_hashes_are_salted():
    assert hash_password("password123") != hash_password("password123")


def test_verify_right_password():
    assert verify_password("password123", hash_password("password123")) is True


@pytest.mark.parametrize("attempt", ["password124", "Password123", "", "password123 ", "pass"])
def test_verify_wrong_password(attempt):
    assert verify_password(attempt, hash_password("password123")) is False


def test_verify_with_no_hash_returns_false():
    # Unknown email: verification still runs (against the decoy hash) and fails.
    assert verify_password("password123", None) is False
    assert verify_password("decoy-password-for-constant-time-login", None) is False


def test_verify_with_no_hash_still_does_the_work(monkeypatch):
    calls: list[str] = []
    real = passwords._hasher()

    class Spy:
        def verify(self, hashed: str, password: str) -> bool:
            calls.append(hashed)
            return real.verify(hashed, password)

        def hash(self, password: str) -> str:
            return real.hash(password)

    monkeypatch.setattr(passwords, "_hasher", lambda: Spy())
    assert verify_password("password123", None) is False
    assert len(calls) == 1
    assert calls[0].startswith("$argon2id$")


@pytest.mark.parametrize(
    "stored", ["not-a-hash", "$argon2id$v=19$m=1024,t=1,p=1$broken", "$2b$12$abcdefghijklmnopqrstuv"]
)
def test_verify_with_malformed_hash_returns_false(stored):
    assert verify_password("password123", stored) is False


def test_unicode_passwords():
    hashed = hash_password("pässwörd-🔑")
    assert verify_password("pässwörd-🔑", hashed) is True
    assert verify_password("passwörd-🔑", hashed) is False


def test_hash_made_with_other_costs_still_verifies():
    # Raising the costs later must not lock out users whose hashes used the old ones.
    old = PasswordHasher(time_cost=1, memory_cost=512, type=Type.ID).hash("password123")
    assert verify_password("password123", old) is True


def test_default_costs_are_used_when_env_is_unset(set_env):
    set_env(ARGON2_TIME_COST=None, ARGON2_MEMORY_KIB=None)
    settings = Settings.from_env()
    assert settings.argon2_time_cost == 2
    assert settings.argon2_memory_kib == 19 * 1024

    hasher = passwords._hasher()
    assert hasher.time_cost == 2
    assert hasher.memory_cost == 19 * 1024
    assert hasher.type is Type.ID

    hashed = hash_password("password123")
    assert hashed.startswith("$argon2id$v=19$m=19456,t=2,")
    assert verify_password("password123", hashed) is True


def test_costs_come_from_the_environment(set_env):
    set_env(ARGON2_TIME_COST="3", ARGON2_MEMORY_KIB="2048")
    assert hash_password("password123").startswith("$argon2id$v=19$m=2048,t=3,")


def test_blank_cost_variables_fall_back_to_defaults(set_env):
    set_env(ARGON2_TIME_COST="", ARGON2_MEMORY_KIB="  ")
    settings = Settings.from_env()
    assert (settings.argon2_time_cost, settings.argon2_memory_kib) == (2, 19 * 1024)


def test_verify_with_empty_hash_returns_false():
    assert verify_password("decoy-password-for-constant-time-login", "") is False
    assert verify_password("decoy-password-for-constant-time-login", None) is False
