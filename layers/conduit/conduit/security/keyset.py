"""The JWT signing keys: the current key signs; during a rotation the previous key still verifies.

Where the keys come from, the first that is set:
- `JWT_SECRET` (the local API, sam local, tests): one key, named `default`;
- `JWT_SECRET_PARAMETER`: an SSM Parameter Store SecureString holding a keyset (below) or, before
  the first rotation, a bare secret (one key, `default`). Read with the container's botocore
  session (conduit.aws) once per container, again after KEYSET_MAX_AGE_SECONDS (so warm containers
  move on to a new current key), and at once when a token names a key this container does not
  know yet (at most every KEYSET_REFRESH_SECONDS, so made-up key ids cannot flood SSM);
- neither: a random key per process (a warning is logged; tokens die with the container).

A keyset, as `python -m tools.rotate_jwt_key` writes it:

    {"current": "<kid>",
     "keys": [{"kid": "<kid>", "secret": "<at least 32 characters>", "created": "<ISO 8601 UTC>"}, ...]}

A token names its key in the `kid` header; a token without one (issued before keys had names) is
verified with the `default` key, as long as the keyset still holds it.
"""

from __future__ import annotations

import json
import logging
import secrets
import threading
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any, TypeGuard

from conduit.errors import Unavailable
from conduit.settings import get_settings

DEFAULT_KID = "default"
MIN_SECRET_LENGTH = 32
KEYSET_MAX_AGE_SECONDS = 300
KEYSET_REFRESH_SECONDS = 10
log = logging.getLogger(__name__)
_clock = time.monotonic  # replaced by tests that move time on


class KeysetError(ValueError):
    """The parameter's value is not a keyset this module can use (the message never holds a secret)."""


@dataclass(frozen=True, slots=True)
class Key:
    kid: str
    secret: str = field(repr=False)
    created: str | None = None


@dataclass(frozen=True, slots=True)
class Keyset:
    current: str
    keys: tuple[Key, ...]

    def signing_key(self) -> Key:
        return next(key for key in self.keys if key.kid == self.current)

    def secret_for(self, kid: str) -> str | None:
        return next((key.secret for key in self.keys if key.kid == kid), None)

    def to_json(self) -> str:
        keys = [{"kid": k.kid, "secret": k.secret, **({"created": k.created} if k.created else {})} for k in self.keys]
        return json.dumps({"current": self.current, "keys": keys}, separators=(",", ":"))


def single(secret: str) -> Keyset:
    """A bare secret as a keyset: one key, `default`."""
    return Keyset(DEFAULT_KID, (Key(DEFAULT_KID, secret),))


def parse(value: str) -> Keyset:
    """A keyset from the parameter's value: keyset JSON, or a bare secret."""
    if not value.lstrip().startswith(("{", "[")):
        if not value.strip():
            raise KeysetError("the JWT secret is empty")
        return single(value)
    raw = _keyset_json(value)
    keys = tuple(_key(entry) for entry in raw["keys"])
    kids = [key.kid for key in keys]
    if len(set(kids)) != len(kids):
        raise KeysetError("the JWT keyset names a key twice")
    if raw.get("current") not in kids:
        raise KeysetError('the JWT keyset\'s "current" names none of its keys')
    return Keyset(raw["current"], keys)


def _keyset_json(value: str) -> Mapping[str, Any]:
    """The keyset JSON's object, with its non-empty "keys" list."""
    try:
        raw = json.loads(value)
    except ValueError:
        raise KeysetError("the JWT keyset is not valid JSON") from None
    if not isinstance(raw, Mapping) or not isinstance(raw.get("keys"), list) or not raw["keys"]:
        raise KeysetError('the JWT keyset needs "current" and a non-empty "keys" list')
    return raw


def _key(entry: Any) -> Key:
    if not isinstance(entry, Mapping):
        raise KeysetError("a JWT key must be an object")
    kid, secret, created = entry.get("kid"), entry.get("secret"), entry.get("created")
    if not _valid_kid(kid):
        raise KeysetError('a JWT key needs a "kid" of 1 to 64 printable ASCII characters')
    if not isinstance(secret, str) or len(secret) < MIN_SECRET_LENGTH:
        raise KeysetError(f"the JWT key {kid!r} needs a secret of at least {MIN_SECRET_LENGTH} characters")
    if created is not None and not isinstance(created, str):
        raise KeysetError(f'the JWT key {kid!r} has a "created" that is not a string')
    return Key(kid, secret, created)


def _valid_kid(kid: Any) -> TypeGuard[str]:
    return isinstance(kid, str) and 0 < len(kid) <= 64 and kid.isascii() and kid.isprintable()


# --- the keys of this container ----------------------------------------------------------------------

_lock = threading.Lock()
_loaded: dict[str, tuple[float, Keyset]] = {}  # parameter name -> (when read, monotonic; keyset)


def current() -> Keyset:
    """This container's keyset (read from SSM on first use and after KEYSET_MAX_AGE_SECONDS)."""
    settings = get_settings()
    if settings.jwt_secret:
        return _from_environment(settings.jwt_secret)
    if not settings.jwt_secret_parameter:
        return _process_keyset()
    return _from_parameter(settings.jwt_secret_parameter, unknown_kid=None)


def secret_for(kid: str) -> str | None:
    """The secret of key `kid`; an unknown kid makes the container read the parameter again first
    (a rotation elsewhere may have made a key this container has not seen yet)."""
    keys = current()
    secret = keys.secret_for(kid)
    name = get_settings().jwt_secret_parameter
    if secret is None and name and not get_settings().jwt_secret:
        secret = _from_parameter(name, unknown_kid=kid).secret_for(kid)
    return secret


def forget() -> None:
    """Drop the keysets read so far (as a new container would start)."""
    with _lock:
        _loaded.clear()


@lru_cache(maxsize=4)
def _from_environment(secret: str) -> Keyset:
    return single(secret)


@lru_cache(maxsize=1)
def _process_keyset() -> Keyset:
    log.warning("JWT_SECRET and JWT_SECRET_PARAMETER are unset: using a random per-process secret")
    return single(secrets.token_urlsafe(48))


def _from_parameter(name: str, unknown_kid: str | None) -> Keyset:
    now = _clock()
    with _lock:
        loaded = _loaded.get(name)
        if loaded is not None:
            read_at, keys = loaded
            fresh = now - read_at < KEYSET_MAX_AGE_SECONDS
            if fresh and (unknown_kid is None or now - read_at < KEYSET_REFRESH_SECONDS):
                return keys
        try:
            keys = parse(_read_parameter(name))
        except (Unavailable, KeysetError) as error:
            if loaded is None:
                raise  # nothing to verify with: a 503 (SSM unavailable) or a 500 (malformed keyset)
            log.error("JWT keyset not re-read, keeping the keys read before: %s", error)
            keys = loaded[1]
        _loaded[name] = (now, keys)
        return keys


def _read_parameter(name: str) -> str:
    from botocore.exceptions import BotoCoreError, ClientError

    try:
        return str(_ssm().get_parameter(Name=name, WithDecryption=True)["Parameter"]["Value"])
    except ClientError as error:
        code = error.response.get("Error", {}).get("Code", "")
        status = error.response.get("ResponseMetadata", {}).get("HTTPStatusCode", 0)
        if code in ("ThrottlingException", "InternalServerError") or status >= 500:
            raise Unavailable() from error
        raise  # missing parameter or access denied: a deployment fault, a 500 in the logs
    except BotoCoreError as error:
        raise Unavailable() from error


@lru_cache(maxsize=1)
def _ssm() -> Any:
    """GetParameter with the container's botocore session, without an SSM client (conduit.aws), over the
    DynamoDB client's HTTP session (its connection pool and TLS context; 1 s to connect and to read)."""
    from conduit.aws import ParameterReader
    from conduit.store.client import dynamodb

    return ParameterReader(get_settings().region, getattr(getattr(dynamodb(), "_endpoint", None), "http_session", None))
