"""Password reset by emailed token.

`request`: always the same answer (202) whether or not the email is registered, so it tells nobody
which emails have accounts. Rate-limited per source IP (429 past PASSWORD_RESETS_PER_IP_PER_HOUR) and
per email (past PASSWORD_RESETS_PER_EMAIL_PER_HOUR the request is still answered 202 but sends
nothing: nobody can flood an inbox). For a registered email it stores SHA-256(token) with a TTL and
the user's current credentials version, and queues the email with the link (conduit.mail).

`confirm`: the token's pending reset, unexpired and issued at the user's current credentials version;
one transaction deletes it (single use) and sets the new password with the next credentials version,
so every token issued before (bearer tokens and other reset tokens) stops working at once
(conduit.security.credentials). Answers like login.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import replace
from typing import TYPE_CHECKING

from conduit import mail, observability
from conduit.errors import ChangedConcurrently, InvalidInput, RateLimited
from conduit.ports import quotas as quota_port
from conduit.ports import resets as reset_port
from conduit.ports import users as user_port
from conduit.security import credentials, guard
from conduit.security.passwords import hash_password
from conduit.security.tokens import issue_token
from conduit.services.views import UserView, user_view
from conduit.settings import get_settings

if TYPE_CHECKING:
    from conduit.validation import ResetConfirmation

HOUR = 3600
TOKEN_BYTES = 32  # 256 bits: unguessable, so confirm needs no per-token attempt counter


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def request(email: str, source_ip: str) -> None:
    settings, quotas = get_settings(), quota_port.store()
    by_ip = quotas.reserve("reset-ip", source_ip, settings.password_resets_per_ip_per_hour, HOUR)
    if by_ip.refused:
        observability.count("RateLimited")
        raise RateLimited(by_ip.retry_after)
    if quotas.reserve("reset-email", email.lower(), settings.password_resets_per_email_per_hour, HOUR).refused:
        return  # the same 202: nothing about the account is revealed, nothing more is sent
    users = user_port.store()
    uid = users.id_for_email(email)
    user = users.contact(uid) if uid else None
    if user is None or user.suspended:
        return
    token = secrets.token_urlsafe(TOKEN_BYTES)
    reset_port.store().add(token_hash(token), user.id, user.credentials.version, settings.password_reset_ttl_seconds)
    link = f"{settings.app_url}/reset-password?token={token}"
    mail.enqueue(mail.PASSWORD_RESET, user.email, {"username": user.username, "link": link})


def confirm(confirmation: ResetConfirmation) -> UserView:
    resets = reset_port.store()
    hashed = token_hash(confirmation.token)
    pending = resets.find(hashed)
    user = user_port.store().find(pending.user_id, consistent=True) if pending else None
    if pending is None or user is None or user.suspended or user.credentials.version != pending.credentials_version:
        raise InvalidInput("token", "is invalid or expired")
    changed = replace(
        user, password_hash=hash_password(confirmation.password), credentials=credentials.reset(user.credentials)
    )
    try:
        user = resets.redeem(pending, user, changed)
    except ChangedConcurrently:
        if resets.find(hashed) is None:  # used by a concurrent confirm: single use
            raise InvalidInput("token", "is invalid or expired") from None
        raise
    guard.forget(user.id)
    return user_view(user, issue_token(user.id, user.role, user.credentials.version))
