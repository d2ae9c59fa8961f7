"""conduit.aws.ParameterReader: SSM GetParameter from the one botocore session, without an SSM client."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest
from botocore.awsrequest import AWSResponse
from botocore.exceptions import ClientError

from conduit import aws
from conduit.security import keyset


class Answers:
    """A before-send hook: records each request, answers from a list of (status, body)."""

    def __init__(self, *answers: tuple[int, dict[str, Any]]) -> None:
        self.answers = list(answers)
        self.requests: list[Any] = []

    def __call__(self, request: Any, **kwargs: Any) -> AWSResponse:
        self.requests.append(request)
        status, body = self.answers.pop(0)
        raw = type("Raw", (), {"stream": lambda self, *a, **k: iter([json.dumps(body).encode()])})()
        return AWSResponse(request.url, status, {}, raw)


@pytest.fixture
def answers(monkeypatch) -> Iterator[Answers]:
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    monkeypatch.setattr(aws.ParameterReader, "_backoff", staticmethod(lambda attempt: None))
    hook = Answers()
    emitter = aws.session().get_component("event_emitter")
    emitter.register_first("before-send.ssm.GetParameter", hook, unique_id="test-ssm-answers")
    yield hook
    emitter.unregister("before-send.ssm.GetParameter", unique_id="test-ssm-answers")


def text(value: str | bytes) -> str:
    return value.decode() if isinstance(value, bytes) else value


def found(value: str) -> tuple[int, dict[str, Any]]:
    return 200, {"Parameter": {"Name": "/p", "Type": "SecureString", "Value": value, "Version": 1}}


def test_reads_a_parameter_without_building_an_ssm_client(answers, monkeypatch):
    def no_client(*args: Any, **kwargs: Any) -> Any:
        raise AssertionError("an SSM client was built")

    monkeypatch.setattr(aws.session(), "create_client", no_client)
    answers.answers.append(found("s3cret"))
    answer = aws.ParameterReader("eu-west-1").get_parameter(Name="/p", WithDecryption=True)
    assert answer["Parameter"]["Value"] == "s3cret"
    (request,) = answers.requests
    assert request.url == "https://ssm.eu-west-1.amazonaws.com/"
    assert text(request.headers["X-Amz-Target"]) == "AmazonSSM.GetParameter"
    assert json.loads(request.body) == {"Name": "/p", "WithDecryption": True}
    authorization = text(request.headers["Authorization"])
    access_key = aws.session().get_credentials().access_key  # the one session's (cached per process)
    assert authorization.startswith(f"AWS4-HMAC-SHA256 Credential={access_key}/")
    assert "/eu-west-1/ssm/aws4_request" in authorization


def test_a_local_endpoint_is_honoured(answers, monkeypatch):
    monkeypatch.setenv("AWS_ENDPOINT_URL_SSM", "http://127.0.0.1:4566")
    answers.answers.append(found("x"))
    aws.ParameterReader("us-east-1").get_parameter(Name="/p", WithDecryption=True)
    assert answers.requests[0].url == "http://127.0.0.1:4566/"


def test_throttling_and_5xx_are_retried_then_answered(answers):
    answers.answers += [(400, {"__type": "ThrottlingException"}), (500, {}), found("late")]
    answer = aws.ParameterReader("us-east-1").get_parameter(Name="/p", WithDecryption=True)
    assert answer["Parameter"]["Value"] == "late"
    assert len(answers.requests) == 3


def test_three_throttles_are_a_service_unavailable_for_the_keyset(answers, set_env):
    set_env(JWT_SECRET=None, JWT_SECRET_PARAMETER="/p")
    answers.answers += [(400, {"__type": "ThrottlingException"})] * 3
    from conduit.errors import Unavailable

    with pytest.raises(Unavailable):
        keyset.current()
    assert len(answers.requests) == 3


def test_a_missing_parameter_is_a_client_error_not_retried(answers):
    answers.answers.append((400, {"__type": "ParameterNotFound", "message": "no such parameter"}))
    with pytest.raises(ClientError) as raised:
        aws.ParameterReader("us-east-1").get_parameter(Name="/p", WithDecryption=True)
    assert raised.value.response["Error"]["Code"] == "ParameterNotFound"
    assert len(answers.requests) == 1


def test_the_keyset_reader_shares_the_dynamodb_clients_http_session(set_env):
    from conduit.store.client import dynamodb

    set_env(JWT_SECRET=None, JWT_SECRET_PARAMETER="/p", AWS_ACCESS_KEY_ID="x", AWS_SECRET_ACCESS_KEY="x")
    assert keyset._ssm()._http is dynamodb()._endpoint.http_session
