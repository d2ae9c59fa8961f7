"""JWT signing keys from SSM Parameter Store (moto), their rotation with tools.rotate_jwt_key, and
tokens that survive it (conduit.security.keyset, issue 13 row 11)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import jwt
import pytest
from moto import mock_aws

from conduit.errors import NotAuthenticated, Unavailable
from conduit.security import keyset
from conduit.security.tokens import issue_token, verify_token
from tools import rotate_jwt_key

PARAMETER = "/conduit/test/jwt-secret"
LEGACY_SECRET = "legacy-secret-" + "l" * 40
DAY = timedelta(days=1)


# --- the keyset format -----------------------------------------------------------------------------------


def test_a_bare_secret_is_a_one_key_keyset():
    keys = keyset.parse(LEGACY_SECRET)
    assert keys.current == keyset.DEFAULT_KID
    assert keys.signing_key().secret == LEGACY_SECRET


def test_a_keyset_round_trips_through_json():
    keys = keyset.Keyset("b", (keyset.Key("b", "s" * 40, "2026-05-01T00:00:00+00:00"), keyset.Key("a", "t" * 40)))
    assert keyset.parse(keys.to_json()) == keys
    assert keys.secret_for("a") == "t" * 40
    assert keys.secret_for("c") is None


@pytest.mark.parametrize(
    "value",
    [
        "",
        "{not json",
        "[]",
        '{"current": "a", "keys": []}',
        '{"current": "a", "keys": [{"kid": "a", "secret": "short-secret"}]}',
        json.dumps({"current": "b", "keys": [{"kid": "a", "secret": "s" * 40}]}),
        json.dumps({"current": "a", "keys": [{"kid": "a", "secret": "s" * 40}, {"kid": "a", "secret": "t" * 40}]}),
        json.dumps({"current": "", "keys": [{"kid": "", "secret": "s" * 40}]}),
        json.dumps({"current": "a", "keys": [{"kid": "a\n", "secret": "s" * 40}]}),
        '{"current": "a", "keys": [{"kid": "a", "secret": 12345}]}',
    ],
)
def test_malformed_keysets_are_refused_without_echoing_secrets(value):
    with pytest.raises(keyset.KeysetError) as refused:
        keyset.parse(value)
    assert "s" * 40 not in str(refused.value) and "short-secret" not in str(refused.value)


# --- read from SSM ---------------------------------------------------------------------------------------


@pytest.fixture
def ssm(set_env) -> Iterator[Any]:
    """moto's SSM, and the functions reading the keys from PARAMETER (JWT_SECRET unset)."""
    with mock_aws():
        import boto3

        client = boto3.client("ssm", region_name="us-east-1")
        client.put_parameter(Name=PARAMETER, Value=LEGACY_SECRET, Type="SecureString")
        set_env(JWT_SECRET=None, JWT_SECRET_PARAMETER=PARAMETER)
        yield client


@pytest.fixture
def clock(monkeypatch) -> list[float]:
    """The keyset's clock, moved on by hand: clock[0] += 301."""
    now = [1000.0]
    monkeypatch.setattr(keyset, "_clock", lambda: now[0])
    return now


@pytest.fixture
def reads(monkeypatch) -> list[str]:
    """Every SSM read of the keyset."""
    seen: list[str] = []
    real = keyset._read_parameter

    def counted(name: str) -> str:
        seen.append(name)
        return real(name)

    monkeypatch.setattr(keyset, "_read_parameter", counted)
    return seen


def rotate(*extra: str, now: datetime | None = None, ssm: Any = None) -> int:
    return rotate_jwt_key.main(["--parameter", PARAMETER, "--region", "us-east-1", *extra], now=now, ssm=ssm)


def test_the_parameter_is_read_once_per_container(ssm, reads, clock):
    token = issue_token("u1")
    assert jwt.get_unverified_header(token)["kid"] == keyset.DEFAULT_KID
    assert jwt.decode(token, LEGACY_SECRET, algorithms=["HS256"])["sub"] == "u1"
    for _ in range(5):
        assert verify_token(issue_token("u1")) == "u1"
    assert reads == [PARAMETER]
    clock[0] += keyset.KEYSET_MAX_AGE_SECONDS + 1  # warm containers re-read now and then
    issue_token("u1")
    assert reads == [PARAMETER, PARAMETER]


def test_a_rotation_logs_nobody_out(ssm, clock):
    before = issue_token("u1")  # signed by the bare secret, as every token before key ids existed
    unnamed = jwt.encode({"sub": "u2", "iat": 1, "exp": 2**40}, LEGACY_SECRET, algorithm="HS256")
    assert rotate() == 0

    keyset.forget()  # a container started after the rotation
    after = issue_token("u1")
    new_kid = jwt.get_unverified_header(after)["kid"]
    assert new_kid != keyset.DEFAULT_KID
    assert verify_token(before) == "u1"  # the previous key still verifies
    assert verify_token(unnamed) == "u2"  # and so does the bare secret's `default` for kid-less tokens
    assert verify_token(after) == "u1"

    stored = json.loads(ssm.get_parameter(Name=PARAMETER, WithDecryption=True)["Parameter"]["Value"])
    assert stored["current"] == new_kid
    assert [key["kid"] for key in stored["keys"]] == [new_kid, keyset.DEFAULT_KID]
    assert stored["keys"][1]["secret"] == LEGACY_SECRET


def test_a_container_that_read_the_keys_before_a_rotation_accepts_the_new_key_at_once(ssm, reads, clock):
    old_container_token = issue_token("u1")  # this container has read the bare secret
    assert rotate() == 0
    stored = keyset.parse(ssm.get_parameter(Name=PARAMETER, WithDecryption=True)["Parameter"]["Value"])
    new_key = stored.signing_key()
    new_container_token = jwt.encode(
        {"sub": "u3", "iat": 1, "exp": 2**40}, new_key.secret, algorithm="HS256", headers={"kid": new_key.kid}
    )
    clock[0] += keyset.KEYSET_REFRESH_SECONDS  # not yet KEYSET_MAX_AGE_SECONDS
    assert verify_token(new_container_token) == "u3"  # an unknown kid: the container read the keys again
    assert verify_token(old_container_token) == "u1"
    assert len(reads) == 2
    assert jwt.get_unverified_header(issue_token("u1"))["kid"] == new_key.kid  # and signs with the new key


def test_made_up_key_ids_cannot_flood_ssm(ssm, reads, clock):
    issue_token("u1")
    for index in range(20):
        with pytest.raises(NotAuthenticated):
            verify_token(forged(f"k{index}"))
    assert len(reads) == 1  # within KEYSET_REFRESH_SECONDS of the last read: no new read
    clock[0] += keyset.KEYSET_REFRESH_SECONDS
    with pytest.raises(NotAuthenticated):
        verify_token(forged("k"))
    assert len(reads) == 2


def forged(kid: str) -> str:
    return jwt.encode({"sub": "x", "iat": 1, "exp": 2**40}, "f" * 40, algorithm="HS256", headers={"kid": kid})


def test_ssm_unavailable_is_a_503_on_first_read_and_keeps_the_old_keys_after(ssm, monkeypatch, clock):
    def unavailable(name: str) -> str:
        raise Unavailable()

    token = issue_token("u1")
    monkeypatch.setattr(keyset, "_read_parameter", unavailable)
    clock[0] += keyset.KEYSET_MAX_AGE_SECONDS + 1
    assert verify_token(token) == "u1"  # the keys read before are kept
    keyset.forget()
    with pytest.raises(Unavailable):
        issue_token("u1")


def test_a_malformed_keyset_written_later_keeps_the_keys_read_before(ssm, clock, caplog):
    token = issue_token("u1")
    ssm.put_parameter(Name=PARAMETER, Value='{"current": "x", "keys": []}', Type="SecureString", Overwrite=True)
    clock[0] += keyset.KEYSET_MAX_AGE_SECONDS + 1
    with caplog.at_level("ERROR", logger="conduit"):
        assert verify_token(token) == "u1"
    assert any("keeping the keys read before" in record.getMessage() for record in caplog.records)
    keyset.forget()  # a new container has nothing to fall back on: a 500, with the fault in the log
    with pytest.raises(keyset.KeysetError):
        issue_token("u1")


def test_an_ssm_throttle_is_a_service_unavailable(ssm, monkeypatch):
    from botocore.exceptions import ClientError

    class Throttled:
        def get_parameter(self, **kwargs: Any) -> Any:
            raise ClientError({"Error": {"Code": "ThrottlingException"}}, "GetParameter")

    monkeypatch.setattr(keyset, "_ssm", lambda: Throttled())
    with pytest.raises(Unavailable):
        issue_token("u1")


# --- the rotation tool -----------------------------------------------------------------------------------


def keys_in(ssm: Any) -> dict[str, Any]:
    return json.loads(ssm.get_parameter(Name=PARAMETER, WithDecryption=True)["Parameter"]["Value"])


def test_a_second_rotation_within_the_token_lifetime_is_refused_unless_forced(ssm, capsys):
    start = datetime(2026, 5, 1, tzinfo=UTC)
    assert rotate(now=start) == 0
    first = keys_in(ssm)
    assert rotate(now=start + DAY) == 1  # tokens signed by `default` may live 7 days after the first rotation
    assert keys_in(ssm) == first
    assert "refusing to drop default" in capsys.readouterr().err

    assert rotate(now=start + 8 * DAY) == 0  # past the lifetime: `default` can go
    second = keys_in(ssm)
    assert [key["kid"] for key in second["keys"]] == [second["current"], first["current"]]
    assert rotate(now=start + 9 * DAY) == 1
    assert rotate("--force", now=start + 9 * DAY) == 0
    assert len(keys_in(ssm)["keys"]) == 2


def test_retiring_the_previous_key_drops_it_at_once(ssm):
    assert rotate() == 0
    assert rotate("--retire-previous") == 0
    stored = keys_in(ssm)
    assert [key["kid"] for key in stored["keys"]] == [stored["current"]]
    assert rotate("--retire-previous") == 0  # nothing left to retire: unchanged
    assert keys_in(ssm) == stored


def test_the_parameter_stays_a_secure_string_under_its_kms_key(ssm):
    ssm.put_parameter(Name=PARAMETER, Value=LEGACY_SECRET, Type="SecureString", KeyId="alias/conduit", Overwrite=True)
    assert rotate() == 0
    described = ssm.describe_parameters(ParameterFilters=[{"Key": "Name", "Values": [PARAMETER]}])["Parameters"][0]
    assert described["Type"] == "SecureString"
    assert described["KeyId"] == "alias/conduit"


def test_a_missing_parameter_is_created_with_one_key(ssm):
    ssm.delete_parameter(Name=PARAMETER)
    assert rotate() == 0
    stored = keys_in(ssm)
    assert [key["kid"] for key in stored["keys"]] == [stored["current"]]
    assert len(stored["keys"][0]["secret"]) >= keyset.MIN_SECRET_LENGTH


def test_a_malformed_parameter_is_left_alone(ssm, capsys):
    ssm.put_parameter(Name=PARAMETER, Value='{"current": "x"}', Type="SecureString", Overwrite=True)
    assert rotate() == 1
    assert ssm.get_parameter(Name=PARAMETER, WithDecryption=True)["Parameter"]["Value"] == '{"current": "x"}'


def test_a_concurrent_write_is_reported(ssm, capsys):
    class Racing:
        """SSM whose parameter another rotation rewrites between this run's read and write."""

        def __init__(self, real: Any) -> None:
            self.real = real
            self.exceptions = real.exceptions

        def get_parameter(self, **kwargs: Any) -> Any:
            return self.real.get_parameter(**kwargs)

        def describe_parameters(self, **kwargs: Any) -> Any:
            return self.real.describe_parameters(**kwargs)

        def put_parameter(self, **kwargs: Any) -> Any:
            self.real.put_parameter(Name=PARAMETER, Value=LEGACY_SECRET, Type="SecureString", Overwrite=True)
            return self.real.put_parameter(**kwargs)

    assert rotate(ssm=Racing(ssm)) == 1
    assert "another write happened" in capsys.readouterr().err


def test_secrets_are_never_printed(ssm, capsys):
    assert rotate() == 0
    assert rotate("--retire-previous") == 0
    out = capsys.readouterr()
    for key in keys_in(ssm)["keys"]:
        assert key["secret"] not in out.out + out.err
    assert LEGACY_SECRET not in out.out + out.err
