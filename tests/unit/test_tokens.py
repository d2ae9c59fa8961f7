"""JWT access tokens: HS256 only, exp/iat/sub required, and where the signing secret comes from."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import time
from typing import Any

import jwt
import pytest

from conduit.errors import TokenInvalid
from conduit.http.error_map import status_of
from conduit.security import keyset
from conduit.security.tokens import issue_token, verify_claims, verify_token
from tests.unit.helpers import TEST_SECRET

INVALID = {"token": ["is invalid"]}


def forge(claims: dict[str, Any], secret: str = TEST_SECRET, algorithm: str = "HS256") -> str:
    return jwt.encode(claims, secret, algorithm=algorithm)


def valid_claims(**overrides: Any) -> dict[str, Any]:
    now = int(time.time())
    claims: dict[str, Any] = {"sub": "user-1", "iat": now, "exp": now + 3600}
    claims.update(overrides)
    return {k: v for k, v in claims.items() if v is not ...}


def assert_rejected(token: str) -> None:
    with pytest.raises(TokenInvalid) as caught:
        verify_token(token)
    assert status_of(caught.value) == 401
    assert caught.value.errors == INVALID


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


# --- round trip ------------------------------------------------------------------------------------------


def test_issue_and_verify_round_trip():
    token = issue_token("0123456789abcdef01234567")
    assert verify_token(token) == "0123456789abcdef01234567"


def test_issued_token_is_hs256_with_iat_exp_and_ttl(set_env):
    set_env(JWT_TTL_SECONDS="600")
    before = int(time.time())
    token = issue_token("u1")
    assert jwt.get_unverified_header(token)["alg"] == "HS256"
    claims = jwt.decode(token, TEST_SECRET, algorithms=["HS256"])
    assert claims["sub"] == "u1"
    assert before <= claims["iat"] <= int(time.time())
    assert claims["exp"] - claims["iat"] == 600


def test_default_ttl_is_one_week():
    claims = jwt.decode(issue_token("u1"), TEST_SECRET, algorithms=["HS256"])
    assert claims["exp"] - claims["iat"] == 7 * 24 * 3600


def test_token_forged_with_the_right_secret_and_claims_is_accepted():
    assert verify_token(forge(valid_claims(sub="abc"))) == "abc"


# --- rejected tokens -------------------------------------------------------------------------------------


def test_expired_beyond_leeway_is_rejected():
    now = int(time.time())
    assert_rejected(forge(valid_claims(iat=now - 7200, exp=now - 31 - 5)))


def test_expired_within_leeway_is_still_accepted():
    now = int(time.time())
    assert verify_token(forge(valid_claims(iat=now - 7200, exp=now - 10))) == "user-1"


def test_leeway_comes_from_settings(set_env):
    set_env(JWT_LEEWAY_SECONDS="0")
    now = int(time.time())
    assert_rejected(forge(valid_claims(iat=now - 100, exp=now - 5)))


def test_signed_with_another_secret_is_rejected():
    assert_rejected(forge(valid_claims(), secret="another-secret-" + "y" * 48))


def test_alg_none_is_rejected():
    unsigned = jwt.encode(valid_claims(), None, algorithm="none")
    assert jwt.get_unverified_header(unsigned)["alg"] == "none"
    assert_rejected(unsigned)


def test_alg_none_with_the_real_signature_stripped_is_rejected():
    header = b64url(json.dumps({"alg": "none", "typ": "JWT"}).encode())
    payload = b64url(json.dumps(valid_claims()).encode())
    assert_rejected(f"{header}.{payload}.")


def test_other_hmac_algorithm_is_rejected():
    assert_rejected(forge(valid_claims(), algorithm="HS512"))


@pytest.mark.parametrize("claim", ["exp", "iat", "sub"])
def test_missing_required_claim_is_rejected(claim):
    assert_rejected(forge(valid_claims(**{claim: ...})))


def test_tampered_payload_is_rejected():
    token = issue_token("victim")
    header, payload, signature = token.split(".")
    claims = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
    claims["sub"] = "attacker"
    assert_rejected(".".join([header, b64url(json.dumps(claims).encode()), signature]))


def test_tampered_signature_is_rejected():
    token = issue_token("u1")
    header, payload, signature = token.split(".")
    flipped = ("A" if signature[0] != "A" else "B") + signature[1:]
    assert_rejected(f"{header}.{payload}.{flipped}")


@pytest.mark.parametrize("subject", [42, ["u1"], {"id": "u1"}, None, ""])
def test_wrong_type_or_empty_subject_is_rejected(subject):
    assert_rejected(forge(valid_claims(sub=subject)))


@pytest.mark.parametrize("token", ["", "garbage", "a.b.c", "Token abc", "x" * 500])
def test_malformed_tokens_are_rejected(token):
    assert_rejected(token)


def test_exp_that_is_not_a_number_is_rejected():
    assert_rejected(forge(valid_claims(exp="tomorrow")))


# --- key ids and credentials versions ------------------------------------------------------------------


def test_token_names_its_key_and_carries_the_credentials_version():
    token = issue_token("u1", credentials_version=3)
    assert jwt.get_unverified_header(token)["kid"] == keyset.DEFAULT_KID
    assert jwt.decode(token, TEST_SECRET, algorithms=["HS256"])["cv"] == 3
    assert verify_claims(token) == tokens_claims("u1", 3)


def test_token_without_a_kid_is_verified_with_the_default_key():
    # Tokens issued before keys had names carry no kid: the `default` key (a bare secret) verifies them.
    assert "kid" not in jwt.get_unverified_header(forge(valid_claims()))
    assert verify_claims(forge(valid_claims())) == tokens_claims("user-1", 0)


@pytest.mark.parametrize("kid", ["another-key", "", 7, None, ["default"]])
def test_token_naming_an_unknown_key_is_rejected(kid):
    # Signed with the right secret: only the key id is wrong (PyJWT refuses to encode a non-string kid).
    header = b64url(json.dumps({"alg": "HS256", "typ": "JWT", "kid": kid}).encode())
    payload = b64url(json.dumps(valid_claims()).encode())
    signature = hmac.new(TEST_SECRET.encode(), f"{header}.{payload}".encode(), hashlib.sha256).digest()
    assert_rejected(f"{header}.{payload}.{b64url(signature)}")


@pytest.mark.parametrize("version", [-1, "1", 1.5, True, None])
def test_credentials_version_that_is_not_a_natural_number_is_rejected(version):
    assert_rejected(forge(valid_claims(cv=version)))


def tokens_claims(subject: str, version: int) -> object:
    from conduit.security.tokens import Claims

    return Claims(subject, version)


# --- the signing keys ------------------------------------------------------------------------------------


def test_jwt_secret_env_wins_over_parameter(set_env, monkeypatch):
    monkeypatch.setattr(keyset, "_read_parameter", lambda name: pytest.fail("SSM must not be read"))
    set_env(JWT_SECRET="env-secret-" + "e" * 48, JWT_SECRET_PARAMETER="/conduit/jwt")
    token = issue_token("u1")
    assert jwt.get_unverified_header(token)["kid"] == keyset.DEFAULT_KID
    assert jwt.decode(token, "env-secret-" + "e" * 48, algorithms=["HS256"])["sub"] == "u1"
    assert verify_token(token) == "u1"


def test_without_any_secret_a_random_per_process_secret_is_used(set_env, monkeypatch):
    monkeypatch.setattr(keyset, "_read_parameter", lambda name: pytest.fail("SSM must not be read"))
    set_env(JWT_SECRET=None, JWT_SECRET_PARAMETER=None)

    first = keyset.current().signing_key().secret
    assert first == keyset.current().signing_key().secret, "the secret is stable within a process"
    assert len(first) >= 32
    assert first != TEST_SECRET
    token = issue_token("u1")
    assert verify_token(token) == "u1"

    keyset._process_keyset.cache_clear()  # as in a new process (container)
    second = keyset.current().signing_key().secret
    assert second != first, "the fallback secret must be random, not a constant"
    assert_rejected(token)


def test_random_secret_fallback_logs_a_warning(set_env, caplog):
    set_env(JWT_SECRET=None, JWT_SECRET_PARAMETER=None)
    with caplog.at_level("WARNING", logger="conduit"):
        secret = keyset.current().signing_key().secret
    messages = [record.getMessage() for record in caplog.records]
    assert any("random per-process secret" in message for message in messages)
    assert all(secret not in message for message in messages)
