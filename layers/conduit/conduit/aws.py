"""The one botocore session of a container: its clients (DynamoDB) share the loaded models,
endpoints and credentials instead of each building its own session; and SSM's GetParameter, the one
SSM call the layer makes, without an SSM client.

Why no SSM client: building one loads SSM's service model and endpoint rules (~1 MB of JSON for
hundreds of operations) and builds a client class, 60-100 ms of every cold start that reads the JWT
keyset (bench/coldstart.py, docs/performance.md#first-response). `ParameterReader` sends the same
request a client would (the JSON 1.1 protocol, `AmazonSSM.GetParameter`, SigV4 with the session's
credentials) through botocore's own signer, HTTP session and `before-send` event (so stubs such as
moto's still answer it), with botocore's standard retry rule (3 attempts, jittered backoff on
throttling, 5xx and connection errors), and raises botocore's ClientError / BotoCoreError as a client would.
"""

from __future__ import annotations

import json
import os
import random
import time
from functools import lru_cache
from typing import Any

SSM_TARGET = "AmazonSSM.GetParameter"
SSM_ATTEMPTS = 3
SSM_CONNECT_TIMEOUT_SECONDS = 1.0
SSM_READ_TIMEOUT_SECONDS = 2.0
_RETRIED_CODES = frozenset({"ThrottlingException", "InternalServerError", "ServiceUnavailable", "RequestLimitExceeded"})


@lru_cache(maxsize=1)
def session() -> Any:
    import botocore.session

    return botocore.session.get_session()


def ssm_endpoint(region: str) -> str:
    """AWS_ENDPOINT_URL_SSM / AWS_ENDPOINT_URL as botocore honours them (a local endpoint), else the
    region's public endpoint (aws, aws-cn partitions)."""
    configured = os.environ.get("AWS_ENDPOINT_URL_SSM") or os.environ.get("AWS_ENDPOINT_URL")
    if configured:
        return configured.rstrip("/") + "/"
    suffix = "amazonaws.com.cn" if region.startswith("cn-") else "amazonaws.com"
    return f"https://ssm.{region}.{suffix}/"


class ParameterReader:
    """`get_parameter(Name=..., WithDecryption=...)` with the answer shape of botocore's SSM client."""

    def __init__(self, region: str, http: Any = None) -> None:
        """`http`: a botocore HTTP session to share (the DynamoDB client's: one TLS context per container,
        10-30 ms each to build with OpenSSL 3); by default one of its own."""
        self.region = region
        self.url = ssm_endpoint(region)
        if http is None:
            from botocore.httpsession import URLLib3Session

            http = URLLib3Session(timeout=(SSM_CONNECT_TIMEOUT_SECONDS, SSM_READ_TIMEOUT_SECONDS))
        self._http = http

    def get_parameter(self, *, Name: str, WithDecryption: bool = False) -> dict[str, Any]:
        body = json.dumps({"Name": Name, "WithDecryption": WithDecryption}).encode("utf-8")
        for attempt in range(1, SSM_ATTEMPTS):
            answer = self._try(body)
            if answer is not None and not _retried(*answer):
                return _result(*answer)
            self._backoff(attempt)
        return _result(*self._send(body))  # the last attempt: its failure is the caller's

    def _try(self, body: bytes) -> tuple[int, dict[str, Any]] | None:
        """One attempt that may be retried: None when it did not get an answer (BotoCoreError)."""
        from botocore.exceptions import BotoCoreError

        try:
            return self._send(body)
        except BotoCoreError:
            return None

    def _send(self, body: bytes) -> tuple[int, dict[str, Any]]:
        from botocore.auth import SigV4Auth
        from botocore.awsrequest import AWSRequest
        from botocore.exceptions import NoCredentialsError

        credentials = session().get_credentials()
        if credentials is None:
            raise NoCredentialsError()
        headers = {"Content-Type": "application/x-amz-json-1.1", "X-Amz-Target": SSM_TARGET}
        request = AWSRequest(method="POST", url=self.url, data=body, headers=headers)
        SigV4Auth(credentials.get_frozen_credentials(), "ssm", self.region).add_auth(request)
        prepared = request.prepare()
        emitter = session().get_component("event_emitter")
        _, stubbed = emitter.emit_until_response("before-send.ssm.GetParameter", request=prepared)
        response = stubbed if stubbed is not None else self._http.send(prepared)
        try:
            payload = json.loads(response.content or b"{}")
        except ValueError:
            payload = {}
        return int(response.status_code), payload if isinstance(payload, dict) else {}

    @staticmethod
    def _backoff(attempt: int) -> None:
        time.sleep(random.uniform(0, min(1.0, 0.05 * 2**attempt)))  # jitter, not a secret


def _code(status: int, payload: dict[str, Any]) -> str:
    return str(payload.get("__type", "")).rsplit("#", 1)[-1] or f"HTTP{status}"


def _retried(status: int, payload: dict[str, Any]) -> bool:
    """Whether an answer is one botocore's standard retry rule tries again (throttling, 5xx)."""
    return status >= 300 and (status >= 500 or _code(status, payload) in _RETRIED_CODES)


def _result(status: int, payload: dict[str, Any]) -> dict[str, Any]:
    """The answer as the SSM client returns it, or its ClientError."""
    from botocore.exceptions import ClientError

    if status < 300:
        return payload
    error = {"Code": _code(status, payload), "Message": str(payload.get("message") or payload.get("Message") or "")}
    raise ClientError({"Error": error, "ResponseMetadata": {"HTTPStatusCode": status}}, "GetParameter")
