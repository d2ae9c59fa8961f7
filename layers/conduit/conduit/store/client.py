"""One low-level DynamoDB client per container, created on first use, plus (de)serialisation helpers."""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from conduit.settings import get_settings
from conduit.store.marshal import deserialize, serialize

Item = dict[str, Any]


# Timeouts and retries, chosen from what DynamoDB documents rather than from any test machine
# (docs/reliability.md#timeouts-and-retries):
# - GetItem, PutItem, UpdateItem and DeleteItem answer in single-digit milliseconds on average; our
#   Queries and batches are keys-only pages and small items, so tens of milliseconds at worst. A
#   second without an answer is a lost request or a stuck connection, not a slow one.
# - AWS's advice for TransactWriteItems (its TransactionInProgressException guidance) is a request
#   timeout of 1 s or more, with retries spread over a few seconds so that a retry of a transaction
#   still in progress finds it finished. Our transactions carry ClientRequestTokens
#   (store.request_scope), so such a retry returns the first attempt's success.
# - botocore's defaults (60 s connect and read timeouts) would let one stuck connection outlive the
#   functions' 10 s Lambda timeout, which API Gateway answers with a bare 503, before any retry.
# So: 1 s to connect (a TLS handshake within the region takes milliseconds), 1 s to read, and
# botocore's standard retries: 3 attempts with exponential backoff and jitter (up to 1 s, then 2 s;
# throttling and TransactionInProgressException are retried too). A call that never gets an answer
# fails after about 3 to 6 s, leaving the function time to answer a clean 503 with Retry-After.
CONNECT_TIMEOUT_SECONDS = 1.0
READ_TIMEOUT_SECONDS = 1.0
MAX_ATTEMPTS = 3
# A local emulator (DYNAMODB_ENDPOINT: moto, or DynamoDB Local) is one process sharing the CPU with
# the API and its tests, and stalls for whole seconds under load: its latency says nothing about
# DynamoDB's. It gets the same retries with more time to answer, so that local runs test the code,
# not the machine. In AWS, DYNAMODB_ENDPOINT is empty (template.yaml).
LOCAL_READ_TIMEOUT_SECONDS = 5.0


@lru_cache(maxsize=1)
def dynamodb() -> Any:
    """The botocore client (what boto3.client returns), built on first use: importing botocore
    is left out of the cold import of every handler."""
    from botocore.config import Config

    from conduit.aws import session

    settings = get_settings()
    local = settings.dynamodb_endpoint is not None
    config = Config(
        retries={"mode": "standard", "total_max_attempts": MAX_ATTEMPTS},
        connect_timeout=CONNECT_TIMEOUT_SECONDS,
        read_timeout=LOCAL_READ_TIMEOUT_SECONDS if local else READ_TIMEOUT_SECONDS,
        tcp_keepalive=True,
        max_pool_connections=32,  # the feed queries followed authors on up to 32 threads
    )
    return session().create_client(
        "dynamodb", region_name=settings.region, endpoint_url=settings.dynamodb_endpoint, config=config
    )


def table_name() -> str:
    return get_settings().table_name


def to_ddb(item: Item) -> dict[str, Any]:
    return {key: serialize(value) for key, value in item.items() if value is not None}


def from_ddb(raw: dict[str, Any]) -> Item:
    return {key: deserialize(value) for key, value in raw.items()}


def values(**named: Any) -> dict[str, Any]:
    """ExpressionAttributeValues from keyword arguments: values(me="u1") -> {":me": {"S": "u1"}}."""
    return {f":{name}": serialize(value) for name, value in named.items()}
