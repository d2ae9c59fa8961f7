"""One low-level DynamoDB client per container, created on first use, plus (de)serialisation helpers."""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from boto3.dynamodb.types import TypeDeserializer, TypeSerializer

from conduit.settings import get_settings

Item = dict[str, Any]
_serializer = TypeSerializer()
_deserializer = TypeDeserializer()


@lru_cache(maxsize=1)
def dynamodb() -> Any:
    import boto3
    from botocore.config import Config

    settings = get_settings()
    config = Config(
        # At most 3 attempts of at most 1 s + 1.5 s each: a hung DynamoDB gives a clean 503
        # well inside the functions' 10 s timeout.
        retries={"mode": "standard", "total_max_attempts": 3},
        connect_timeout=1,
        read_timeout=1.5,
        tcp_keepalive=True,
    )
    return boto3.session.Session().client(
        "dynamodb", region_name=settings.region, endpoint_url=settings.dynamodb_endpoint, config=config
    )


def table_name() -> str:
    return get_settings().table_name


def to_ddb(item: Item) -> dict[str, Any]:
    return {key: _serializer.serialize(value) for key, value in item.items() if value is not None}


def from_ddb(raw: dict[str, Any]) -> Item:
    return {key: _unwrap(_deserializer.deserialize(value)) for key, value in raw.items()}


def _unwrap(value: Any) -> Any:
    # DynamoDB numbers come back as Decimal; every number we store is an integer.
    if type(value).__name__ == "Decimal":
        return int(value)
    return value


def values(**named: Any) -> dict[str, Any]:
    """ExpressionAttributeValues from keyword arguments: values(me="u1") -> {":me": {"S": "u1"}}."""
    return {f":{name}": _serializer.serialize(value) for name, value in named.items()}
