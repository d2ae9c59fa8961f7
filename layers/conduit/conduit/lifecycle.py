"""A container's life: what INIT builds, and Lambda SnapStart's runtime hooks.

INIT (`initialise`, run when a handler module is imported in Lambda - `AWS_LAMBDA_FUNCTION_NAME` set):
what every request needs is built at module scope, once, before the first request arrives: the
settings, the botocore session and its DynamoDB client (with the operation models the layer calls),
the SSM reader of the JWT keyset, PyJWT, the tracer and the logger. No network call: a fault of
DynamoDB or SSM stays a clean 503 of a request, never a failed INIT. Lambda may run INIT before a
request arrives (provisioned concurrency, SnapStart, proactive initialisation), and INIT is billed
like the rest; deferring this work to the first request only moved it (docs/performance.md#first-response).

SnapStart (template parameter SnapStart=PublishedVersions): `before_snapshot` primes what INIT built
- reads the keyset once, so its code paths and TLS set-up are in the snapshot - and `after_restore`
makes each restored container its own: the keyset is read again (a rotation may have happened since
the snapshot), `random` is reseeded (its state would be the same in every restored copy; ids and
tokens use `secrets`, which reads the OS), and the HTTP connection pools are dropped (their sockets
died with the snapshot). The hooks come from `snapshot_restore_py`, which only Lambda's python runtime
has: elsewhere they are not registered.
"""

from __future__ import annotations

import logging
import os
import random
import sys
from collections.abc import Callable
from typing import Any

log = logging.getLogger(__name__)
# Every DynamoDB operation the layer calls: their models are built in INIT rather than by the first call.
DYNAMODB_OPERATIONS = (
    "GetItem",
    "BatchGetItem",
    "Query",
    "PutItem",
    "UpdateItem",
    "DeleteItem",
    "TransactWriteItems",
    "BatchWriteItem",
)
_initialised = False


def in_lambda() -> bool:
    return bool(os.environ.get("AWS_LAMBDA_FUNCTION_NAME"))


def initialise() -> None:
    """INIT work, once per container, in Lambda only (tests and tools import handlers freely)."""
    global _initialised
    if _initialised or not in_lambda():
        return
    _initialised = True
    prepare()
    register_snapstart_hooks()


def prepare() -> None:
    """Build what every request needs, without a network call."""
    import jwt  # noqa: F401 (imported for its import cost: every request verifies or issues a token)

    from conduit import observability
    from conduit.security import guard, keyset, tokens  # noqa: F401
    from conduit.settings import get_settings
    from conduit.store.client import dynamodb

    settings = get_settings()
    observability.logger()
    observability.tracer()
    client = dynamodb()
    for operation in DYNAMODB_OPERATIONS:
        client.meta.service_model.operation_model(operation)
    if settings.jwt_secret_parameter and not settings.jwt_secret:
        keyset._ssm()


def prepare_handler(story: Callable[..., Any]) -> None:
    """INIT of one handler (conduit.http.endpoint, in Lambda only): the request-body models its module
    imported are built now, with email-validator where one of them validates an address; a handler
    that parses no body imports neither (conduit.validation is not loaded)."""
    validation = sys.modules.get("conduit.validation")
    if not _initialised or validation is None:
        return
    validation.prepare(getattr(story, "__globals__", {}).values())


def register_snapstart_hooks() -> bool:
    try:
        from snapshot_restore_py import register_after_restore, register_before_snapshot
    except ImportError:  # not Lambda's python runtime
        return False
    register_before_snapshot(before_snapshot)
    register_after_restore(after_restore)
    return True


def before_snapshot() -> None:
    prepare()
    from conduit.security import keyset

    try:
        keyset.current()  # primes the read path; after_restore forgets what it read
    except Exception as error:  # a snapshot without a primed keyset is still correct
        log.warning("keyset not primed before the snapshot: %s", type(error).__name__)


def after_restore() -> None:
    from conduit.security import keyset

    keyset.forget()
    random.seed()
    _close_pools()


def _close_pools() -> None:
    from conduit.security import keyset
    from conduit.store.client import dynamodb

    sessions: list[Any] = [getattr(getattr(dynamodb(), "_endpoint", None), "http_session", None)]
    if keyset._ssm.cache_info().currsize:
        sessions.append(getattr(keyset._ssm(), "_http", None))  # the same session, unless built apart
    for session in {id(session): session for session in sessions}.values():
        if session is not None and hasattr(session, "close"):
            session.close()
