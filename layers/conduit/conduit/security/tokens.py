"""JWT access tokens (PyJWT, HS256 pinned, `exp`/`iat`/`sub` required, `kid` naming the signing key).

Claims: `sub` (user id), `role` (informative: authorization reads the current role), `cv` (the
user's credentials version when the token was issued: a password change moves it on, and the guard
refuses older tokens: conduit.security.credentials), `iat`, `exp`, and a random `jti` (every token
is distinct, even two issued in the same second). Keys and their rotation: conduit.security.keyset.
"""

from __future__ import annotations

import secrets
import time
from dataclasses import dataclass

from conduit.errors import TokenInvalid
from conduit.security import keyset
from conduit.settings import get_settings

ALGORITHM = "HS256"


@dataclass(frozen=True, slots=True)
class Claims:
    subject: str
    credentials_version: int


def issue_token(user_id: str, role: str = "user", credentials_version: int = 0) -> str:
    """A signed token for the user, with the current key of the keyset."""
    import jwt  # imported on first use: PyJWT's import is not part of every handler's cold start

    now = int(time.time())
    claims = {
        "sub": user_id,
        "role": role,
        "cv": credentials_version,
        "iat": now,
        "exp": now + get_settings().jwt_ttl_seconds,
        "jti": secrets.token_urlsafe(12),  # two logins in one second still get two tokens
    }
    key = keyset.current().signing_key()
    return jwt.encode(claims, key.secret, algorithm=ALGORITHM, headers={"kid": key.kid})


def verify_claims(token: str) -> Claims:
    """The claims authorization needs, or 401: bad signature or algorithm, unknown key, expired,
    missing claims."""
    import jwt

    try:
        kid = jwt.get_unverified_header(token).get("kid", keyset.DEFAULT_KID)
        secret = keyset.secret_for(kid) if isinstance(kid, str) else None
        if secret is None:
            raise TokenInvalid()
        claims = jwt.decode(
            token,
            secret,
            algorithms=[ALGORITHM],
            options={"require": ["exp", "iat", "sub"]},
            leeway=get_settings().jwt_leeway_seconds,
        )
    except jwt.PyJWTError as exc:
        raise TokenInvalid() from exc
    subject = claims.get("sub")
    version = claims.get("cv", 0)
    if not isinstance(subject, str) or not subject:
        raise TokenInvalid()
    if not isinstance(version, int) or isinstance(version, bool) or version < 0:
        raise TokenInvalid()
    return Claims(subject, version)


def verify_token(token: str) -> str:
    """Return the user id the token was issued to, or raise 401."""
    return verify_claims(token).subject
