"""One settings object, read from the environment once per container."""

from __future__ import annotations

import os
from dataclasses import dataclass
from functools import lru_cache


def _int(name: str, default: int) -> int:
    raw = os.environ.get(name, "")
    return int(raw) if raw.strip() else default


@dataclass(frozen=True, slots=True)
class Settings:
    table_name: str
    dynamodb_endpoint: str | None
    region: str
    jwt_secret: str | None
    jwt_secret_parameter: str | None
    jwt_ttl_seconds: int
    jwt_leeway_seconds: int
    argon2_time_cost: int
    argon2_memory_kib: int
    max_body_bytes: int
    page_limit_default: int
    page_limit_max: int
    page_offset_max: int
    feed_max_follows: int
    feed_mode: str
    write_quota_per_minute: int
    login_failures_per_minute: int
    login_failures_per_ip_per_minute: int
    auth_cache_seconds: int
    password_change_grace_seconds: int
    idempotency_ttl_seconds: int
    tags_cache_seconds: int
    # account lifecycle (issue 16): emails are queued (EMAIL_QUEUE_URL) and sent by functions/email_sender
    email_queue_url: str
    app_url: str
    sender_email: str
    password_reset_template: str
    verify_email_template: str
    require_verified_email: bool
    email_verification_ttl_seconds: int
    account_deletion_queue_url: str
    deletion_settle_seconds: int
    deletion_batch_seconds: int
    deletion_batch_size: int
    export_queue_url: str
    export_bucket: str
    export_url_seconds: int
    password_reset_ttl_seconds: int
    password_resets_per_email_per_hour: int
    password_resets_per_ip_per_hour: int

    @classmethod
    def from_env(cls) -> Settings:
        env = os.environ
        return cls(
            table_name=env.get("TABLE_NAME", "conduit"),
            dynamodb_endpoint=env.get("DYNAMODB_ENDPOINT") or None,
            region=env.get("AWS_REGION") or env.get("AWS_DEFAULT_REGION") or "us-east-1",
            jwt_secret=env.get("JWT_SECRET") or None,
            jwt_secret_parameter=env.get("JWT_SECRET_PARAMETER") or None,
            jwt_ttl_seconds=_int("JWT_TTL_SECONDS", 7 * 24 * 3600),
            jwt_leeway_seconds=_int("JWT_LEEWAY_SECONDS", 30),
            argon2_time_cost=_int("ARGON2_TIME_COST", 2),
            argon2_memory_kib=_int("ARGON2_MEMORY_KIB", 19 * 1024),
            max_body_bytes=_int("MAX_BODY_BYTES", 64 * 1024),
            page_limit_default=_int("PAGE_LIMIT_DEFAULT", 20),
            page_limit_max=_int("PAGE_LIMIT_MAX", 100),
            page_offset_max=_int("PAGE_OFFSET_MAX", 5000),
            feed_max_follows=_int("FEED_MAX_FOLLOWS", 200),
            # "read-merge" (default) or "fan-out" (FEED#<viewer> entries kept by functions/feed_fanout)
            feed_mode=env.get("FEED_MODE", "").strip() or "read-merge",
            write_quota_per_minute=_int("WRITE_QUOTA_PER_MINUTE", 60),
            login_failures_per_minute=_int("LOGIN_FAILURES_PER_MINUTE", 5),
            login_failures_per_ip_per_minute=_int("LOGIN_FAILURES_PER_IP_PER_MINUTE", 20),
            auth_cache_seconds=_int("AUTH_CACHE_SECONDS", 5),
            # how long the token that changed a password keeps working (conduit.security.credentials)
            password_change_grace_seconds=_int("PASSWORD_CHANGE_GRACE_SECONDS", 60),
            idempotency_ttl_seconds=_int("IDEMPOTENCY_TTL_SECONDS", 3600),
            tags_cache_seconds=_int("TAGS_CACHE_SECONDS", 10),
            email_queue_url=env.get("EMAIL_QUEUE_URL", ""),
            # the frontend whose page takes a reset token: APP_URL + "/reset-password?token=..."
            app_url=(env.get("APP_URL", "").strip() or "http://localhost:4100").rstrip("/"),
            sender_email=env.get("SENDER_EMAIL", ""),
            password_reset_template=env.get("PASSWORD_RESET_TEMPLATE", ""),
            verify_email_template=env.get("VERIFY_EMAIL_TEMPLATE", ""),
            # per stage (template parameter RequireVerifiedEmail): publishing needs a verified email
            require_verified_email=env.get("REQUIRE_VERIFIED_EMAIL", "").strip().lower() == "true",
            email_verification_ttl_seconds=_int("EMAIL_VERIFICATION_TTL_SECONDS", 7 * 24 * 3600),
            account_deletion_queue_url=env.get("ACCOUNT_DELETION_QUEUE_URL", ""),
            # the account's last writes land within this after its deletion began (tokens refused within
            # AUTH_CACHE_SECONDS, requests end within their Lambda timeout): the user item goes after it
            deletion_settle_seconds=_int("DELETION_SETTLE_SECONDS", 60),
            deletion_batch_seconds=_int("DELETION_BATCH_SECONDS", 20),  # of the purge function's 60 s
            deletion_batch_size=_int("DELETION_BATCH_SIZE", 25),
            export_queue_url=env.get("EXPORT_QUEUE_URL", ""),
            export_bucket=env.get("EXPORT_BUCKET", ""),
            export_url_seconds=_int("EXPORT_URL_SECONDS", 900),  # how long a download link works
            password_reset_ttl_seconds=_int("PASSWORD_RESET_TTL_SECONDS", 30 * 60),
            password_resets_per_email_per_hour=_int("PASSWORD_RESETS_PER_EMAIL_PER_HOUR", 3),
            password_resets_per_ip_per_hour=_int("PASSWORD_RESETS_PER_IP_PER_HOUR", 30),
        )


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    return Settings.from_env()
