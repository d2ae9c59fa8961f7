"""Delivers the table's DynamoDB Streams records to stream-triggered functions, as Lambda's event
source mapping would: in order, in batches, retried from the first failed record.

`StreamPoller.drain()` reads every shard to its end and delivers synchronously (tests call it via
`Runtime.drain_streams()`); `start()` runs drain() on a background thread every `interval` seconds.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

from localapi.polling import Poller

Deliver = Callable[[dict[str, Any]], dict[str, Any]]


class StreamPoller(Poller):
    thread_name = "stream-poller"

    def __init__(self, endpoint: str, table: str, deliver: Deliver, batch_size: int = 100, interval: float = 0.5):
        self.endpoint, self.table, self.deliver = endpoint, table, deliver
        super().__init__(interval)
        self.batch_size = batch_size
        self._positions: dict[str, str] = {}  # shard id -> last delivered sequence number
        self._lock = threading.Lock()
        self._client: Any = None

    def _streams(self) -> Any:
        if self._client is None:
            import boto3

            self._client = boto3.client("dynamodbstreams", endpoint_url=self.endpoint)
        return self._client

    def stream_arn(self) -> str | None:
        import boto3

        described = boto3.client("dynamodb", endpoint_url=self.endpoint).describe_table(TableName=self.table)
        return described["Table"].get("LatestStreamArn")

    def drain(self) -> int:
        """Deliver every record not delivered yet; returns how many were delivered."""
        with self._lock:
            arn = self.stream_arn()
            if not arn:
                return 0
            streams = self._streams()
            delivered = 0
            for shard in streams.describe_stream(StreamArn=arn)["StreamDescription"].get("Shards", []):
                shard_id = shard["ShardId"]
                after = self._positions.get(shard_id)
                request: dict[str, Any] = {"StreamArn": arn, "ShardId": shard_id}
                if after:
                    request.update(ShardIteratorType="AFTER_SEQUENCE_NUMBER", SequenceNumber=after)
                else:
                    request.update(ShardIteratorType="TRIM_HORIZON")
                iterator = streams.get_shard_iterator(**request)["ShardIterator"]
                while iterator:
                    response = streams.get_records(ShardIterator=iterator, Limit=self.batch_size)
                    records = response.get("Records", [])
                    if not records:
                        break
                    delivered += self._deliver(shard_id, records)
                    iterator = response.get("NextShardIterator")
            return delivered

    def _deliver(self, shard_id: str, records: list[dict[str, Any]]) -> int:
        for attempt in range(3):
            result = self.deliver({"Records": [_as_lambda_record(r) for r in records]}) or {}
            failures = [f["itemIdentifier"] for f in result.get("batchItemFailures", [])]
            if not failures:
                self._positions[shard_id] = records[-1]["dynamodb"]["SequenceNumber"]
                return len(records)
            first = next(i for i, r in enumerate(records) if r["dynamodb"]["SequenceNumber"] == failures[0])
            if first:
                self._positions[shard_id] = records[first - 1]["dynamodb"]["SequenceNumber"]
            records = records[first:]
            if attempt == 2:
                self._positions[shard_id] = records[0]["dynamodb"]["SequenceNumber"]  # give up on it
        return 0


def _as_lambda_record(record: dict[str, Any]) -> dict[str, Any]:
    """A GetRecords record as Lambda hands it over (the same fields; timestamps as numbers)."""
    change = dict(record["dynamodb"])
    created = change.get("ApproximateCreationDateTime")
    if created is not None and hasattr(created, "timestamp"):
        change["ApproximateCreationDateTime"] = created.timestamp()
    return {**{k: v for k, v in record.items() if k != "dynamodb"}, "eventSource": "aws:dynamodb", "dynamodb": change}
