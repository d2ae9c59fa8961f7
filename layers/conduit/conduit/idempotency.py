"""Idempotent creates: an `Idempotency-Key` header makes a retried POST replay its first answer.

Backed by the Powertools idempotency utility on the Conduit table (PK `IDEMPOTENCY#<route>`,
SK the hashed key, TTL `expiresAt`). The key is scoped to the caller (user id, or source IP when
anonymous) and the request body is validated: the same key with another body is a 422, and a
second request while the first is still running is a 409.

Failed requests are not remembered by Powertools, yet a create can fail after it committed (every
answer lost). So the create also writes a receipt in its own transaction (store.receipts): the same
request sent again after such a failure answers the item the first attempt made, not a second one.
"""

from __future__ import annotations

import hashlib
import re
import secrets
from collections.abc import Callable
from functools import lru_cache
from typing import Any

from conduit.errors import IdempotencyKeyReused, InvalidInput, RequestInProgress, Unavailable
from conduit.settings import get_settings
from conduit.store import keys, receipts

HEADER = "idempotency-key"
_KEY = re.compile(r"[\x21-\x7e]{1,255}")


def run_once(
    route: str, caller: str, key: str | None, body: bytes, story: Callable[[], Any], context: Any = None
) -> Any:
    """Run `story` once per (route, caller, key); later calls with that key replay its result."""
    if key is None:
        return story()
    if not _KEY.fullmatch(key):
        raise InvalidInput("Idempotency-Key", "must be 1 to 255 visible ASCII characters")
    from aws_lambda_powertools.utilities.idempotency import exceptions as idem
    from aws_lambda_powertools.utilities.idempotency import idempotent_function

    if hasattr(context, "get_remaining_time_in_millis"):
        _config().register_lambda_context(context)  # an in-progress record expires with the invocation

    store = _store(route, get_settings().table_name)

    fingerprint = hashlib.sha256(body).hexdigest()
    claim = receipts.Claim(route, caller, key, fingerprint)

    @idempotent_function(  # type: ignore[untyped-decorator]  # Powertools types the decorator Any
        data_keyword_argument="request", persistence_store=store, config=_config(), key_prefix=route
    )
    def once(request: dict[str, str]) -> Any:
        with receipts.claiming(claim):  # the create's receipt: a re-send after a failure finds its item
            return story()

    try:
        return once(request={"key": f"{caller}|{key}", "body": fingerprint})
    except idem.IdempotencyValidationError:
        raise IdempotencyKeyReused() from None
    except idem.IdempotencyAlreadyInProgressError:
        raise RequestInProgress() from None
    except (idem.IdempotencyPersistenceLayerError, idem.IdempotencyPersistenceConnectionError) as error:
        raise Unavailable() from error


@lru_cache(maxsize=1)
def _config() -> Any:
    from aws_lambda_powertools.utilities.idempotency import IdempotencyConfig

    return IdempotencyConfig(
        event_key_jmespath="key",
        payload_validation_jmespath="body",
        raise_on_no_idempotency_key=True,
        expires_after_seconds=get_settings().idempotency_ttl_seconds,
    )


@lru_cache(maxsize=32)
def _store(route: str, table_name: str) -> Any:
    """One persistence layer per route and table: keyed on the table as every other store access reads
    it from the settings at call time (tests point one process at another table)."""
    from aws_lambda_powertools.utilities.idempotency import DynamoDBPersistenceLayer

    from conduit.store.client import dynamodb

    return DynamoDBPersistenceLayer(
        table_name=table_name,
        key_attr="PK",
        sort_key_attr="SK",
        static_pk_value=keys.idempotency_partition(route),
        expiry_attr="expiresAt",
        boto3_client=_RetrySafeRecordPuts(dynamodb()),
    )


ATTEMPT = "attempt"


class _RetrySafeRecordPuts:
    """The store's client for Powertools, whose put of the in-progress record recognises its own success.

    Powertools puts the record on the condition that none is there (or it expired). If that put
    commits and its answer is lost, botocore sends it again, the condition fails on the record it has
    just written, and Powertools would answer "still in progress" (409) for the request's own record.
    Each put here carries a random attempt id; botocore's retry resends the same request, so a failed
    condition on a record holding this attempt id means the put succeeded the first time.
    Every other call (get, update, delete: reads or idempotent writes) goes to the client unchanged.
    """

    def __init__(self, client: Any) -> None:
        self._client = client

    def __getattr__(self, name: str) -> Any:
        return getattr(self._client, name)

    def put_item(self, **request: Any) -> Any:
        from botocore.exceptions import ClientError

        attempt = {"S": secrets.token_hex(8)}
        request["Item"] = {**request["Item"], ATTEMPT: attempt}
        request["ReturnValuesOnConditionCheckFailure"] = "ALL_OLD"
        try:
            return self._client.put_item(**request)
        except ClientError as error:
            failed = error.response.get("Error", {}).get("Code") == "ConditionalCheckFailedException"
            if failed and (error.response.get("Item") or {}).get(ATTEMPT) == attempt:
                return {}
            raise
