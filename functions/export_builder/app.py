"""SQS consumer of the export queue: writes each queued export's JSON document to S3
(conduit.services.exports.build). A failed record is reported and redelivered by SQS."""

from __future__ import annotations

import json
from typing import Any

from conduit import observability
from conduit.services import exports


def handler(event: dict[str, Any], context: Any) -> dict[str, Any]:
    failures = []
    for record in event.get("Records", []):
        try:
            message = json.loads(record["body"])
            exports.build(str(message["userId"]), str(message["exportId"]))
        except Exception:  # reported: SQS redelivers it; building again rewrites the same object
            observability.logger().exception("export failed")
            failures.append({"itemIdentifier": record.get("messageId", "")})
    return {"batchItemFailures": failures}
