"""The stack's asynchronous pieces, locally: SQS queues, SES (identities, templates, sent emails) and S3
buckets on an embedded moto server of their own (whatever DYNAMODB_ENDPOINT is), and the SQS event
source mappings that deliver queued messages to their functions.

- `LocalAws.start()` creates what template.yaml declares: every AWS::SQS::Queue (named by its logical
  id, RedrivePolicy to its dead-letter queue included), every AWS::SES::Template, the sender identity
  (parameter SenderEmail, verified as an operator verifies it in SES) and every AWS::S3::Bucket.
  Functions reach it through AWS_ENDPOINT_URL_SQS/_SES/_S3 (botocore's per-service endpoints), so the
  layer's code is the code that runs in AWS.
- `QueuePoller` is Lambda's SQS event source mapping: it receives up to BatchSize messages, invokes the
  function with an SQS event, deletes the records it did not report in batchItemFailures and makes
  the failed ones visible again; SQS (moto) moves a message received more than maxReceiveCount times
  to the dead-letter queue. `drain()` delivers until the queues are empty (tests); `start()` polls in
  the background (`python -m localapi serve`).
- The outbox: every email SES accepted is printed to the local API's log with its template variables
  (a reset link, say): `make api` shows the link to open, no mailbox needed.
"""

from __future__ import annotations

import contextlib
import json
import logging
import threading
from collections.abc import Callable
from typing import Any

from localapi import database
from localapi.cfn import REGION, Stack
from localapi.polling import Poller
from localapi.template import Template

log = logging.getLogger("localapi")
Deliver = Callable[[dict[str, Any]], dict[str, Any]]
SERVICES = ("SQS", "SES", "S3")
MAX_ROUNDS = 1000  # drain(): at most this many receives per queue (a message failing forever goes to the DLQ)


def _of_type(template: Template, kind: str) -> dict[str, dict[str, Any]]:
    return {name: r.get("Properties") or {} for name, r in template.resources.items() if r.get("Type") == kind}


def _target(value: Any) -> str:
    """The logical id an `!GetAtt X.Arn` (or `!Ref X`) names."""
    if isinstance(value, dict):
        (arg,) = value.values()
        return arg[0] if isinstance(arg, list) else str(arg).split(".")[0]
    return str(value)


class LocalAws:
    """moto's SQS, SES and S3 for the local stack, and what the template creates in them."""

    def __init__(self, template: Template, stack: Stack) -> None:
        self.template, self.stack = template, stack
        self.endpoint: str | None = ""  # None: boto3's default endpoints (an in-process mock_aws, the bench)
        self.queue_urls: dict[str, str] = {}  # logical id -> URL
        self.refs: dict[str, str] = {}  # logical id -> what !Ref gives locally (queue URL, template name)
        self._server: database.EmbeddedDynamoDB | None = None  # a moto server serves every service
        self._announced = 0
        self._lock = threading.Lock()

    def client(self, service: str) -> Any:
        import boto3

        return boto3.client(service, endpoint_url=self.endpoint, region_name=REGION)

    def start(self) -> LocalAws:
        self._server = database.EmbeddedDynamoDB()
        self.endpoint = self._server.start()
        return self.create()

    def create(self) -> LocalAws:
        """Create the template's queues, SES identity and templates and buckets where `client()` reaches."""
        self._create_queues()
        self._create_email()
        for name, props in _of_type(self.template, "AWS::S3::Bucket").items():
            bucket = str(self.stack.resolve(props.get("BucketName", name.lower())))
            self.refs[name] = bucket
            with contextlib.suppress(self.client("s3").exceptions.BucketAlreadyOwnedByYou):
                self.client("s3").create_bucket(Bucket=bucket)
        self._announced = len(self._sent())
        return self

    def stop(self) -> None:
        if self._server:
            self._server.stop()

    def environment(self) -> dict[str, str]:
        """What points a function's SDK at these services."""
        return {f"AWS_ENDPOINT_URL_{service}": self.endpoint for service in SERVICES}

    def _create_queues(self) -> None:
        sqs = self.client("sqs")
        queues = _of_type(self.template, "AWS::SQS::Queue")
        for name in sorted(queues, key=lambda n: "RedrivePolicy" in queues[n]):  # dead-letter queues first
            props = queues[name]
            attributes = {
                key: str(self.stack.resolve(props[key]))
                for key in ("VisibilityTimeout", "MessageRetentionPeriod")
                if key in props
            }
            if "RedrivePolicy" in props:
                policy = props["RedrivePolicy"]
                dlq = self.queue_urls[_target(policy["deadLetterTargetArn"])]
                arn = sqs.get_queue_attributes(QueueUrl=dlq, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
                attributes["RedrivePolicy"] = json.dumps(
                    {"deadLetterTargetArn": arn, "maxReceiveCount": int(policy["maxReceiveCount"])}
                )
            self.queue_urls[name] = sqs.create_queue(QueueName=name, Attributes=attributes)["QueueUrl"]
            self.refs[name] = self.queue_urls[name]

    def _create_email(self) -> None:
        ses = self.client("ses")
        sender = self.stack.parameters.get("SenderEmail")
        if sender:
            ses.verify_email_identity(EmailAddress=sender)
        for name, props in _of_type(self.template, "AWS::SES::Template").items():
            spec = self.stack.resolve(props["Template"])
            self.refs[name] = spec["TemplateName"]
            with contextlib.suppress(ses.exceptions.AlreadyExistsException):
                ses.create_template(Template=spec)

    # the outbox ----------------------------------------------------------------------------------

    def _sent(self) -> list[Any]:
        from moto.core import DEFAULT_ACCOUNT_ID
        from moto.ses.models import ses_backends

        return list(ses_backends[DEFAULT_ACCOUNT_ID][REGION].sent_messages)

    def sent_emails(self) -> list[dict[str, Any]]:
        """Every templated email SES accepted: {"to": [...], "template": name, "data": {...}}."""
        found = []
        for message in self._sent():
            if not hasattr(message, "template_data"):
                continue
            destinations = message.destinations or {}
            to = [a for key in ("ToAddresses", "CcAddresses", "BccAddresses") for a in destinations.get(key, [])]
            found.append({"to": to, "template": message.template, "data": json.loads(message.template_data or "{}")})
        return found

    def announce(self) -> None:
        """Print the emails sent since the last call (the local outbox)."""
        with self._lock:
            sent = self.sent_emails()
            fresh, self._announced = sent[self._announced :], len(sent)
        for email in fresh:
            details = " ".join(f"{key}={value}" for key, value in sorted(email["data"].items()))
            log.info("email sent to %s (%s): %s", ", ".join(email["to"]), email["template"], details)

    # event source mappings -----------------------------------------------------------------------

    def pollers(self, deliver_to: Callable[[str], Deliver]) -> list[QueuePoller]:
        """One poller per SQS event source of a function (`deliver_to(function)` invokes it)."""
        found = []
        for function, props in self.template.functions().items():
            for event in (props.get("Events") or {}).values():
                if event.get("Type") == "SQS":
                    spec = event.get("Properties") or {}
                    queue = _target(spec["Queue"])
                    found.append(
                        QueuePoller(
                            self.client("sqs"),
                            self.queue_urls[queue],
                            deliver_to(function),
                            int(spec.get("BatchSize", 10)),
                            on_delivered=self.announce,
                        )
                    )
        return found


class QueuePoller(Poller):
    thread_name = "queue-poller"

    def __init__(
        self,
        sqs: Any,
        queue_url: str,
        deliver: Deliver,
        batch_size: int = 10,
        interval: float = 0.5,
        on_delivered: Callable[[], None] | None = None,
    ) -> None:
        self.sqs, self.queue_url, self.deliver = sqs, queue_url, deliver
        super().__init__(interval)
        self.batch_size, self.on_delivered = min(batch_size, 10), on_delivered
        self._lock = threading.Lock()

    def drain(self) -> int:
        """Deliver until the queue has nothing visible; returns how many records were delivered."""
        delivered = 0
        with self._lock:
            for _ in range(MAX_ROUNDS):
                messages = self.sqs.receive_message(
                    QueueUrl=self.queue_url,
                    MaxNumberOfMessages=self.batch_size,
                    AttributeNames=["All"],
                    VisibilityTimeout=30,
                ).get("Messages", [])
                if not messages:
                    break
                delivered += self._deliver(messages)
        return delivered

    def _deliver(self, messages: list[dict[str, Any]]) -> int:
        records = [lambda_record(m, self.queue_url) for m in messages]
        try:
            result = self.deliver({"Records": records}) or {}
            failed = {f["itemIdentifier"] for f in result.get("batchItemFailures", [])}
        except Exception as error:  # the invocation failed: the whole batch comes back
            log.warning("queue consumer failed: %s", error)
            failed = {m["MessageId"] for m in messages}
        for message in messages:
            if message["MessageId"] in failed:  # visible again at once here (in AWS: after VisibilityTimeout)
                self.sqs.change_message_visibility(
                    QueueUrl=self.queue_url, ReceiptHandle=message["ReceiptHandle"], VisibilityTimeout=0
                )
            else:
                self.sqs.delete_message(QueueUrl=self.queue_url, ReceiptHandle=message["ReceiptHandle"])
        if self.on_delivered:
            self.on_delivered()
        return len(messages) - len(failed)


def lambda_record(message: dict[str, Any], queue_url: str) -> dict[str, Any]:
    """A received message as Lambda's SQS event source hands it over."""
    name = queue_url.rstrip("/").rsplit("/", 1)[-1]
    return {
        "messageId": message["MessageId"],
        "receiptHandle": message["ReceiptHandle"],
        "body": message["Body"],
        "attributes": message.get("Attributes", {}),
        "messageAttributes": message.get("MessageAttributes", {}),
        "md5OfBody": message.get("MD5OfBody", ""),
        "eventSource": "aws:sqs",
        "eventSourceARN": f"arn:aws:sqs:{REGION}:000000000000:{name}",
        "awsRegion": REGION,
    }
