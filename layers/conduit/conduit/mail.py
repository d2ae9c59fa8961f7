"""Email, sent asynchronously: the API puts a message on the email queue (SQS, EMAIL_QUEUE_URL) and
functions/email_sender sends it through Amazon SES with a stored template. SQS redelivers a message
whose sending failed, up to the queue's maxReceiveCount, then moves it to the dead-letter queue
(alarmed on its depth: template.yaml EmailDeadLetterAlarm).

A message: {"kind": <one of TEMPLATES>, "to": <address>, "data": {template variables}}. Messages
carry what the email needs (a reset link holds its token): the queue is encrypted at rest, nothing
here logs a message body.
"""

from __future__ import annotations

import json
from typing import Any

from conduit import queues
from conduit.settings import get_settings

PASSWORD_RESET = "password-reset"
VERIFY_EMAIL = "verify-email"
KINDS = (PASSWORD_RESET, VERIFY_EMAIL)


def enqueue(kind: str, to: str, data: dict[str, str]) -> None:
    """Queue one email; 503 (nothing queued) when SQS cannot take it."""
    if kind not in KINDS:
        raise ValueError(f"unknown email kind {kind!r}")
    queues.send(get_settings().email_queue_url, {"kind": kind, "to": to, "data": data})


def template_for(kind: str) -> str:
    """The SES template (a template.yaml AWS::SES::Template) of an email kind."""
    settings = get_settings()
    templates = {PASSWORD_RESET: settings.password_reset_template, VERIFY_EMAIL: settings.verify_email_template}
    return templates[kind]


def send(message: dict[str, Any]) -> str:
    """Send one queued email with SES (SendTemplatedEmail); its message id. Errors propagate: the
    consumer reports the record as failed and SQS redelivers it."""
    settings = get_settings()
    answer = queues.client("ses").send_templated_email(
        Source=settings.sender_email,
        Destination={"ToAddresses": [message["to"]]},
        Template=template_for(message["kind"]),
        TemplateData=json.dumps(message.get("data") or {}),
    )
    return str(answer["MessageId"])
