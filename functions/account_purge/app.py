"""SQS consumer of the account deletion queue: one batch of a deletion job per message
(conduit.services.account_purge.run_batch), which queues the next. A failed batch is reported
(ReportBatchItemFailures) and redelivered by SQS; it redoes its work, every removal being idempotent.
"""

from __future__ import annotations

import json
from typing import Any

from conduit import observability
from conduit.services import account_purge


def handler(event: dict[str, Any], context: Any) -> dict[str, Any]:
    failures = []
    for record in event.get("Records", []):
        try:
            message = json.loads(record["body"])
            outcome = account_purge.run_batch(str(message["userId"]), int(message["step"]))
            observability.logger().info("deletion batch", extra={"userId": message["userId"], "outcome": outcome})
        except Exception:  # reported: SQS redelivers it, and the batch resumes from the job's saved state
            observability.logger().exception("deletion batch failed")
            failures.append({"itemIdentifier": record.get("messageId", "")})
    return {"batchItemFailures": failures}
