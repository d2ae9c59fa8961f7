"""Rotate the JWT signing key in SSM Parameter Store without logging anyone out.

    python -m tools.rotate_jwt_key --parameter /conduit/prod/jwt-secret --region eu-west-1

Writes a new random key as the keyset's current key and keeps the old current key as the previous
one, which still verifies the tokens it signed (conduit.security.keyset). Any older key is dropped,
so the command refuses to run while tokens signed by that key may still be valid (until the current
key is older than the token lifetime, `--token-ttl-seconds`, 7 days by default) unless `--force`
(those users must log in again). A parameter holding a bare secret becomes a keyset whose previous
key is that secret (kid `default`, which also verifies tokens without a `kid`); a missing parameter
is created with one key. `--retire-previous` only drops the previous key (after a leak: tokens it
signed stop working at once). The parameter stays a SecureString under its KMS key.

Uses your AWS credentials: ssm:GetParameter, ssm:DescribeParameters, ssm:PutParameter on the
parameter, and kms:Encrypt/Decrypt on its key. Secrets are never printed.
"""

from __future__ import annotations

import argparse
import os
import secrets
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

LAYER = Path(__file__).resolve().parent.parent / "layers" / "conduit"
DEFAULT_TTL_SECONDS = 7 * 24 * 3600  # JWT_TTL_SECONDS' default
LEEWAY_SECONDS = 60  # clock skew, and the JWT leeway (30 s) on top of a token's exp


def main(argv: list[str] | None = None, now: datetime | None = None, ssm: Any = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tools.rotate_jwt_key", description=__doc__.split("\n")[0])
    parser.add_argument(
        "--parameter", required=True, help="the stack's JwtSecretParameterName, e.g. /conduit/prod/jwt-secret"
    )
    parser.add_argument("--region", default=os.environ.get("AWS_REGION", "us-east-1"))
    parser.add_argument("--token-ttl-seconds", type=int, default=DEFAULT_TTL_SECONDS, help="the stack's token lifetime")
    parser.add_argument("--force", action="store_true", help="drop a key even if tokens it signed may still be valid")
    parser.add_argument("--retire-previous", action="store_true", help="only drop the previous key")
    args = parser.parse_args(argv)
    if str(LAYER) not in sys.path:
        sys.path.insert(0, str(LAYER))
    from conduit.security import keyset

    if ssm is None:
        import boto3

        ssm = boto3.client("ssm", region_name=args.region)
    now = now or datetime.now(UTC)
    found = _read(ssm, args.parameter)
    if found is None:
        first = _new_key(keyset, now)
        created = keyset.Keyset(first.kid, (first,))
        _write(ssm, args.parameter, created, None, None)
        print(f"{args.parameter}: created with one key, {created.current}")
        return 0
    value, version, kms_key = found
    try:
        keys = keyset.parse(value)
    except keyset.KeysetError as error:
        print(f"{args.parameter}: {error}; nothing changed", file=sys.stderr)
        return 1
    current = keys.signing_key()
    if args.retire_previous:
        kept = (current,)
        new_current = current.kid
    else:
        new_key = _new_key(keyset, now)
        kept = (new_key, current)
        new_current = new_key.kid
    dropped = [key.kid for key in keys.keys if key not in kept]
    if args.retire_previous and not dropped:
        print(f"{args.parameter}: no previous key to retire; nothing changed")
        return 0
    if not args.retire_previous and dropped and not args.force:
        valid_until = _valid_until(current.created, args.token_ttl_seconds)
        if valid_until is None or valid_until > now:
            until = valid_until.isoformat() if valid_until else "an unknown time (the current key has no date)"
            print(
                f"{args.parameter}: refusing to drop {', '.join(dropped)}: tokens it signed may be valid until "
                f"{until}. Rotate after that, or pass --force (their users must log in again).",
                file=sys.stderr,
            )
            return 1
    rotated = keyset.Keyset(new_current, kept)
    if not _write(ssm, args.parameter, rotated, version, kms_key):
        return 1
    verifying = ", ".join(key.kid for key in kept[1:]) or "-"
    print(f"{args.parameter}: current key {rotated.current}; also verifying: {verifying}")
    if dropped:
        print(f"dropped: {', '.join(dropped)}")
    print(f"running containers sign with the new key within {keyset.KEYSET_MAX_AGE_SECONDS} s")
    return 0


def _new_key(keyset: Any, now: datetime) -> Any:
    stamp = now.strftime("%Y%m%dT%H%M%SZ")
    return keyset.Key(f"{stamp}-{secrets.token_hex(3)}", secrets.token_urlsafe(48), now.isoformat(timespec="seconds"))


def _valid_until(created: str | None, ttl_seconds: int) -> datetime | None:
    """Until when tokens signed by the key that the current one replaced may be valid: they were
    issued before the current key was created, and live ttl_seconds."""
    if not created:
        return None
    try:
        when = datetime.fromisoformat(created)
    except ValueError:
        return None
    when = when if when.tzinfo else when.replace(tzinfo=UTC)
    return when + timedelta(seconds=ttl_seconds + LEEWAY_SECONDS)


def _read(ssm: Any, name: str) -> tuple[str, int, str | None] | None:
    try:
        parameter = ssm.get_parameter(Name=name, WithDecryption=True)["Parameter"]
    except ssm.exceptions.ParameterNotFound:
        return None
    described = ssm.describe_parameters(ParameterFilters=[{"Key": "Name", "Values": [name]}])["Parameters"]
    kms_key = described[0].get("KeyId") if described else None
    return parameter["Value"], int(parameter["Version"]), kms_key


def _write(ssm: Any, name: str, keys: Any, version: int | None, kms_key: str | None) -> bool:
    request: dict[str, Any] = {"Name": name, "Value": keys.to_json(), "Type": "SecureString", "Overwrite": True}
    if kms_key:
        request["KeyId"] = kms_key  # an overwrite without KeyId would move the parameter to aws/ssm
    written = int(ssm.put_parameter(**request)["Version"])
    if version is not None and written != version + 1:
        print(
            f"{name}: another write happened between this read (version {version}) and this write "
            f"(version {written}); check the keyset and rotate again if a key is missing",
            file=sys.stderr,
        )
        return False
    return True


if __name__ == "__main__":
    sys.exit(main())
