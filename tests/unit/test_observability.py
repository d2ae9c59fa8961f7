"""Logs, correlation ids, traces and EMF metrics emitted around every request."""

from __future__ import annotations

import json
import logging
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from conduit import observability
from conduit.http import Request, endpoint
from conduit.security.tokens import issue_token
from tests.unit.helpers import build_event

LAYER = Path(__file__).resolve().parents[2] / "layers" / "conduit"


@pytest.fixture(autouse=True)
def fresh_observability():
    observability.tracer.cache_clear()
    observability._queued().clear()
    yield
    observability.tracer.cache_clear()
    observability._queued().clear()


def _request_record(caplog: pytest.LogCaptureFixture) -> logging.LogRecord:
    [record] = [r for r in caplog.records if r.getMessage() == "request"]
    return record


def _emf_lines(text: str) -> list[dict[str, Any]]:
    lines = [json.loads(line) for line in text.splitlines() if line.startswith("{")]
    return [line for line in lines if "_aws" in line]


def test_request_log_line_is_json_with_request_metadata(caplog):
    token = issue_token("user-42")
    handler = endpoint("GET /test/required")(lambda request: {"ok": True})
    with caplog.at_level(logging.INFO, logger="conduit"):
        handler(build_event(method="GET", path="/api/user", token=token, headers={"x-correlation-id": "abc-1"}), None)
    record = _request_record(caplog)
    line = json.loads(observability.logger().registered_formatter.format(record))
    assert line["level"] == "INFO"
    assert line["service"] == "conduit"
    assert line["message"] == "request"
    assert line["route"] == "GET /test/required"
    assert line["status"] == 200
    assert line["userId"] == "user-42"
    assert line["correlationId"] == "abc-1"
    assert line["requestId"] == "req-123"
    assert isinstance(line["latencyMs"], float)
    assert token not in json.dumps(line)


def test_correlation_id_is_echoed_or_generated():
    handler = endpoint("GET /test/none")(lambda request: {"ok": True})
    given = handler(build_event(headers={"x-correlation-id": "trace-77"}), None)
    assert given["headers"]["x-correlation-id"] == "trace-77"
    generated = handler(build_event(), None)
    assert generated["headers"]["x-correlation-id"] == "req-123"  # the API Gateway request id
    hostile = handler(build_event(headers={"x-correlation-id": "bad id\n{json}"}), None)
    assert hostile["headers"]["x-correlation-id"] == "req-123"


def test_correlation_id_is_on_error_responses_too():
    handler = endpoint("GET /test/required")(lambda request: {"ok": True})
    response = handler(build_event(headers={"x-correlation-id": "err-1"}), None)
    assert response["statusCode"] == 401
    assert response["headers"]["x-correlation-id"] == "err-1"


def test_business_metric_is_flushed_as_emf(capsys):
    def publish(request: Request) -> dict[str, Any]:
        observability.count("ArticlePublished")
        return {"ok": True}

    endpoint("GET /test/none", status=201)(publish)(build_event(method="POST", path="/api/articles"), None)
    [emf] = _emf_lines(capsys.readouterr().out)
    [directive] = emf["_aws"]["CloudWatchMetrics"]
    assert directive["Namespace"] == "Conduit"
    assert {"Name": "ArticlePublished", "Unit": "Count"} in directive["Metrics"]
    assert emf["ArticlePublished"] in (1, 1.0, [1], [1.0])
    assert emf["service"] == "conduit"


def test_no_metrics_no_emf(capsys):
    endpoint("GET /test/none")(lambda request: {"ok": True})(build_event(), None)
    assert _emf_lines(capsys.readouterr().out) == []


def test_metrics_of_a_failed_request_are_still_flushed(capsys):
    def failing_login(request: Request) -> None:
        from conduit.errors import CredentialsInvalid

        observability.count("LoginFailed")
        raise CredentialsInvalid()

    response = endpoint("GET /test/none")(failing_login)(build_event(method="POST", path="/api/users/login"), None)
    assert response["statusCode"] == 401
    [emf] = _emf_lines(capsys.readouterr().out)
    assert emf["LoginFailed"] in (1, 1.0, [1], [1.0])


def test_unknown_metric_names_are_rejected():
    with pytest.raises(ValueError):
        observability.count("SomethingMadeUp")


def test_tracing_is_off_outside_lambda(monkeypatch):
    monkeypatch.delenv("LAMBDA_TASK_ROOT", raising=False)
    assert observability.tracer() is None
    with observability.trace("## anything"):
        pass


def test_tracing_is_off_under_sam_local(monkeypatch):
    monkeypatch.setenv("LAMBDA_TASK_ROOT", "/var/task")
    monkeypatch.setenv("AWS_SAM_LOCAL", "true")
    assert observability.tracer() is None


def test_tracing_in_lambda_patches_only_botocore_for_dynamodb_subsegments():
    # In a subprocess: patching botocore is process-wide and must not leak into other tests.
    script = (
        "from conduit import observability\n"
        "from aws_xray_sdk.core import patcher\n"
        "active = observability.tracer()\n"
        "assert active is not None\n"
        "assert patcher._PATCHED_MODULES == {'botocore'}, patcher._PATCHED_MODULES\n"
        "print('patched')\n"
    )
    env = {**os.environ, "LAMBDA_TASK_ROOT": "/var/task", "PYTHONPATH": str(LAYER)}
    env.pop("AWS_SAM_LOCAL", None)
    env.pop("POWERTOOLS_TRACE_DISABLED", None)
    result = subprocess.run([sys.executable, "-c", script], env=env, capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    assert "patched" in result.stdout
