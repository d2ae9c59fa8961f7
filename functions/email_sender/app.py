"""SQS consumer of the email queue: sends each queued email with SES (conduit.mail).

A record that fails is reported (ReportBatchItemFailures): SQS makes it visible again and redelivers
it, up to the queue's maxReceiveCount, then moves it to the dead-letter queue. The others of the
batch are deleted as sent.
"""

from __future__ import annotations

import json
from typing import Any

from conduit import mail


def handler(event: dict[str, Any], context: Any) -> dict[str, Any]:
    failures = []
    for record in event.get("Records", []):
        try:
            mail.send(json.loads(record["body"]))
        except Exception:  # reported: SQS redelivers this record (nothing logged: no address, no body)
            failures.append({"itemIdentifier": record.get("messageId", "")})
    return {"batchItemFailures": failures}
