"""One low-level DynamoDB client per container, created on first use, plus (de)serialisation helpers."""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from conduit.settings import get_settings
from conduit.store.marshal import deserialize, serialize

Item = dict[str, Any]


@lru_cache(maxsize=1)
def dynamodb() -> Any:
    """The botocore client (what boto3.client returns), built on first use: importing botocore
    is left out of the cold import of every handler."""
    from botocore.config import Config

    from conduit.aws import session

    settings = get_settings()
    config = Config(
        # At most 3 attempts of at most 1 s + 1.5 s each: a hung DynamoDB gives a clean 503
        # well inside the functions' 10 s timeout.
        retries={"mode": "standard", "total_max_attempts": 3},
        connect_timeout=1,
        read_timeout=1.5,
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
