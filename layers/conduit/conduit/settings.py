"""One settings object, read from the environment once per container.

Every setting is declared once, below: its field, its environment variable(s) and how the raw value
(None when unset) becomes the setting. `Settings.from_env()` reads them all; `Settings.variables()`
names every variable read, so tests start from a clean environment without a list of their own.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping
from dataclasses import Field, dataclass, field, fields
from functools import lru_cache
from typing import Any

Parse = Callable[[str | None], Any]
TRUE = {"1", "true", "yes", "on"}
FALSE = {"0", "false", "no", "off"}


def _setting(*names: str, parse: Parse) -> Any:
    """A field read from the first of `names` that is set and not empty (else from the first name)."""
    return field(metadata={"env": names, "parse": parse})


def _text(default: str = "") -> Parse:
    return lambda raw: default if raw is None else raw


def _optional(raw: str | None) -> str | None:
    return raw or None


def _int(default: int) -> Parse:
    return lambda raw: int(raw) if raw and raw.strip() else default


def _flag(default: bool) -> Parse:
    """true/false as 1/0, yes/no, on/off (any case); anything else is the default."""

    def parse(raw: str | None) -> bool:
        value = (raw or "").strip().lower()
        return True if value in TRUE else False if value in FALSE else default

    return parse


def _true_only(raw: str | None) -> bool:
    return (raw or "").strip().lower() == "true"


def _feed_mode(raw: str | None) -> str:
    return (raw or "").strip() or "read-merge"


def _app_url(raw: str | None) -> str:
    return ((raw or "").strip() or "http://localhost:4100").rstrip("/")


@dataclass(frozen=True, slots=True)
class Settings:
    table_name: str = _setting("TABLE_NAME", parse=_text("conduit"))
    dynamodb_endpoint: str | None = _setting("DYNAMODB_ENDPOINT", parse=_optional)
    region: str = _setting("AWS_REGION", "AWS_DEFAULT_REGION", parse=lambda raw: raw or "us-east-1")
    jwt_secret: str | None = _setting("JWT_SECRET", parse=_optional)
    jwt_secret_parameter: str | None = _setting("JWT_SECRET_PARAMETER", parse=_optional)
    jwt_ttl_seconds: int = _setting("JWT_TTL_SECONDS", parse=_int(7 * 24 * 3600))
    jwt_leeway_seconds: int = _setting("JWT_LEEWAY_SECONDS", parse=_int(30))
    argon2_time_cost: int = _setting("ARGON2_TIME_COST", parse=_int(2))
    argon2_memory_kib: int = _setting("ARGON2_MEMORY_KIB", parse=_int(19 * 1024))
    max_body_bytes: int = _setting("MAX_BODY_BYTES", parse=_int(64 * 1024))
    page_limit_default: int = _setting("PAGE_LIMIT_DEFAULT", parse=_int(20))
    page_limit_max: int = _setting("PAGE_LIMIT_MAX", parse=_int(100))
    page_offset_max: int = _setting("PAGE_OFFSET_MAX", parse=_int(5000))
    feed_max_follows: int = _setting("FEED_MAX_FOLLOWS", parse=_int(200))
    # "read-merge" (default) or "fan-out" (FEED#<viewer> entries kept by functions/feed_fanout)
    feed_mode: str = _setting("FEED_MODE", parse=_feed_mode)
    write_quota_per_minute: int = _setting("WRITE_QUOTA_PER_MINUTE", parse=_int(60))
    login_failures_per_minute: int = _setting("LOGIN_FAILURES_PER_MINUTE", parse=_int(5))
    login_failures_per_ip_per_minute: int = _setting("LOGIN_FAILURES_PER_IP_PER_MINUTE", parse=_int(20))
    auth_cache_seconds: int = _setting("AUTH_CACHE_SECONDS", parse=_int(5))
    # how long the token that changed a password keeps working (conduit.security.credentials)
    password_change_grace_seconds: int = _setting("PASSWORD_CHANGE_GRACE_SECONDS", parse=_int(60))
    idempotency_ttl_seconds: int = _setting("IDEMPOTENCY_TTL_SECONDS", parse=_int(3600))
    tags_cache_seconds: int = _setting("TAGS_CACHE_SECONDS", parse=_int(10))
    # account lifecycle (issue 16): emails are queued (EMAIL_QUEUE_URL) and sent by functions/email_sender
    email_queue_url: str = _setting("EMAIL_QUEUE_URL", parse=_text())
    # the frontend whose page takes a reset token: APP_URL + "/reset-password?token=..."
    app_url: str = _setting("APP_URL", parse=_app_url)
    sender_email: str = _setting("SENDER_EMAIL", parse=_text())
    password_reset_template: str = _setting("PASSWORD_RESET_TEMPLATE", parse=_text())
    verify_email_template: str = _setting("VERIFY_EMAIL_TEMPLATE", parse=_text())
    # per stage (template parameter RequireVerifiedEmail): publishing needs a verified email
    require_verified_email: bool = _setting("REQUIRE_VERIFIED_EMAIL", parse=_true_only)
    email_verification_ttl_seconds: int = _setting("EMAIL_VERIFICATION_TTL_SECONDS", parse=_int(7 * 24 * 3600))
    account_deletion_queue_url: str = _setting("ACCOUNT_DELETION_QUEUE_URL", parse=_text())
    # the account's last writes land within this after its deletion began (tokens refused within
    # AUTH_CACHE_SECONDS, requests end within their Lambda timeout): the user item goes after it
    deletion_settle_seconds: int = _setting("DELETION_SETTLE_SECONDS", parse=_int(60))
    deletion_batch_seconds: int = _setting("DELETION_BATCH_SECONDS", parse=_int(20))  # of the purge's 60 s
    deletion_batch_size: int = _setting("DELETION_BATCH_SIZE", parse=_int(25))
    export_queue_url: str = _setting("EXPORT_QUEUE_URL", parse=_text())
    export_bucket: str = _setting("EXPORT_BUCKET", parse=_text())
    export_url_seconds: int = _setting("EXPORT_URL_SECONDS", parse=_int(900))  # how long a download link works
    password_reset_ttl_seconds: int = _setting("PASSWORD_RESET_TTL_SECONDS", parse=_int(30 * 60))
    password_resets_per_email_per_hour: int = _setting("PASSWORD_RESETS_PER_EMAIL_PER_HOUR", parse=_int(3))
    password_resets_per_ip_per_hour: int = _setting("PASSWORD_RESETS_PER_IP_PER_HOUR", parse=_int(30))
    # GraphQL (conduit.graphql): the IDE, introspection and the request limits of graphql/limits.py
    graphiql: bool = _setting("GRAPHIQL_ENABLED", parse=_flag(True))  # GET /api/graphql serves GraphiQL
    graphql_introspection: bool = _setting("GRAPHQL_INTROSPECTION", parse=_flag(True))  # __schema, __type
    graphql_max_depth: int = _setting("GRAPHQL_MAX_DEPTH", parse=_int(8))  # nested selection sets
    graphql_max_tokens: int = _setting("GRAPHQL_MAX_TOKENS", parse=_int(2000))  # lexical tokens a document
    graphql_max_aliases: int = _setting("GRAPHQL_MAX_ALIASES", parse=_int(15))  # aliased fields a document
    graphql_max_cost: int = _setting("GRAPHQL_MAX_COST", parse=_int(2500))  # estimated cost an operation

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> Settings:
        """The settings `env` (default: the process's environment) gives."""
        source = os.environ if env is None else env
        return cls(**{declared.name: _read(declared, source) for declared in fields(cls)})

    @classmethod
    def variables(cls) -> tuple[str, ...]:
        """Every environment variable the settings read."""
        return tuple(name for declared in fields(cls) for name in declared.metadata["env"])


def _read(declared: Field[Any], env: Mapping[str, str]) -> Any:
    names: tuple[str, ...] = declared.metadata["env"]
    raw = next((env[name] for name in names if env.get(name)), env.get(names[0]))
    return declared.metadata["parse"](raw)


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    return Settings.from_env()
