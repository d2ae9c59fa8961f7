"""Messages to the stack's SQS queues (asynchronous work: emails, account deletion batches)."""

from __future__ import annotations

import json
from functools import lru_cache
from typing import Any

from conduit.errors import Unavailable
from conduit.settings import get_settings


@lru_cache(maxsize=4)
def client(service: str) -> Any:
    """A botocore client of `service` (sqs, ses, s3); the endpoint comes from the environment
    (AWS_ENDPOINT_URL_<SERVICE> locally: localapi/queues.py)."""
    from botocore.config import Config

    from conduit.aws import session

    config = Config(
        retries={"mode": "standard", "total_max_attempts": 3},
        connect_timeout=1,
        read_timeout=5,
        signature_version="s3v4" if service == "s3" else None,  # pre-signed URLs: SigV4, X-Amz-Expires
    )
    return session().create_client(service, region_name=get_settings().region, config=config)


def send(queue_url: str, payload: dict[str, Any], delay_seconds: int = 0) -> None:
    """Put one message on a queue; 503 (nothing sent) when SQS cannot take it."""
    from botocore.exceptions import BotoCoreError, ClientError

    body = json.dumps(payload, separators=(",", ":"))
    request: dict[str, Any] = {"QueueUrl": queue_url, "MessageBody": body}
    if delay_seconds > 0:
        request["DelaySeconds"] = min(int(delay_seconds), 900)
    try:
        client("sqs").send_message(**request)
    except (BotoCoreError, ClientError):
        raise Unavailable() from None
