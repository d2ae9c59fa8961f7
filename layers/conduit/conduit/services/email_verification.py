"""Email verification: a link emailed at registration and on every email change; following it sets
`emailVerified` on the user. With REQUIRE_VERIFIED_EMAIL (template parameter RequireVerifiedEmail,
per stage; off by default so that RealWorld clients keep working) publishing an article needs it.

The emailed token (256 random bits) is stored as SHA-256 only, with the address it was sent to: a
token for an address the user has changed since verifies nothing. Sending is best effort for the
request that triggers it (a registration or an email change never fails because SQS did);
`POST /api/user/verify-email` sends a fresh link, at most VERIFICATIONS_PER_USER_PER_HOUR times an hour.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import replace

from conduit import mail, observability
from conduit.entities.users import Contact, User
from conduit.errors import ChangedConcurrently, DomainError, EmailUnverified, InvalidInput, RateLimited
from conduit.ports import quotas as quota_port
from conduit.ports import users as user_port
from conduit.ports import verifications as verification_port
from conduit.settings import get_settings

HOUR = 3600
VERIFICATIONS_PER_USER_PER_HOUR = 3


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def send(user: User | Contact) -> None:
    """Store a fresh token for the user's current email and queue the email with its link."""
    settings = get_settings()
    token = secrets.token_urlsafe(32)
    verification_port.store().add(token_hash(token), user.id, user.email, settings.email_verification_ttl_seconds)
    link = f"{settings.app_url}/verify-email?token={token}"
    mail.enqueue(mail.VERIFY_EMAIL, user.email, {"username": user.username, "link": link})


def send_best_effort(user: User | Contact) -> None:
    """`send`, for a request whose own change already committed: a fault leaves the user unverified
    (they can ask again), never fails the request."""
    try:
        send(user)
    except DomainError:
        observability.logger().warning("verification email not queued", extra={"userId": user.id})


def resend(uid: str) -> None:
    reservation = quota_port.store().reserve("verify-email", uid, VERIFICATIONS_PER_USER_PER_HOUR, HOUR)
    if reservation.refused:
        observability.count("RateLimited")
        raise RateLimited(reservation.retry_after)
    user = user_port.store().contact(uid)
    if user is None:
        raise InvalidInput("user", "is gone")
    if user.email_verified:
        return  # nothing to verify: the same answer, no email
    send(user)


def confirm(token: str) -> None:
    verifications = verification_port.store()
    hashed = token_hash(token)
    pending = verifications.find(hashed)
    user = user_port.store().find(pending.user_id, consistent=True) if pending else None
    if pending is None or user is None or user.email != pending.email:
        raise InvalidInput("token", "is invalid or expired")
    try:
        verifications.redeem(pending, user, replace(user, email_verified=True))
    except ChangedConcurrently:
        if verifications.find(hashed) is None:
            raise InvalidInput("token", "is invalid or expired") from None
        raise


def require_verified(uid: str) -> None:
    """403 when the stage requires a verified email to publish and `uid`'s is not."""
    if not get_settings().require_verified_email:
        return
    if not user_port.store().email_verified(uid):
        raise EmailUnverified()
