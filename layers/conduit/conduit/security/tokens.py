"""JWT access tokens (PyJWT, HS256 pinned, `exp` required)."""

from __future__ import annotations

import logging
import secrets
import time
from functools import lru_cache

from conduit.errors import invalid_token
from conduit.settings import get_settings

ALGORITHM = "HS256"
SECRET_CACHE_SECONDS = 300
log = logging.getLogger(__name__)


@lru_cache(maxsize=1)
def _process_secret() -> str:
    log.warning("JWT_SECRET and JWT_SECRET_PARAMETER are unset: using a random per-process secret")
    return secrets.token_urlsafe(48)


def signing_secret() -> str:
    """The HS256 secret: env var locally, SSM SecureString (cached by Powertools) in AWS."""
    settings = get_settings()
    if settings.jwt_secret:
        return settings.jwt_secret
    if settings.jwt_secret_parameter:
        from aws_lambda_powertools.utilities import parameters

        return parameters.get_parameter(settings.jwt_secret_parameter, decrypt=True, max_age=SECRET_CACHE_SECONDS)
    return _process_secret()


def issue_token(user_id: str, role: str = "user") -> str:
    """A signed token for the user; `role` is informative (authorization reads the current role)."""
    import jwt  # imported on first use: PyJWT's import is not part of every handler's cold start

    now = int(time.time())
    claims = {"sub": user_id, "role": role, "iat": now, "exp": now + get_settings().jwt_ttl_seconds}
    return jwt.encode(claims, signing_secret(), algorithm=ALGORITHM)


def verify_token(token: str) -> str:
    """Return the user id the token was issued to, or raise 401."""
    import jwt

    try:
        claims = jwt.decode(
            token,
            signing_secret(),
            algorithms=[ALGORITHM],
            options={"require": ["exp", "iat", "sub"]},
            leeway=get_settings().jwt_leeway_seconds,
        )
    except jwt.PyJWTError as exc:
        raise invalid_token() from exc
    subject = claims.get("sub")
    if not isinstance(subject, str) or not subject:
        raise invalid_token()
    return subject
