"""The local runtime behaves as Lambda + API Gateway (HTTP API, payload 2.0) for everything a handler or
a client can observe: its own environment and module state per function, warm reuse, timeouts, payload
limits, failures and the status codes the gateway gives for them. Probe functions: fixture/template.yaml."""

from __future__ import annotations

import os
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import requests
import yaml

from localapi import runtime as runtime_module
from localapi.runtime import Runtime
from localapi.server import LocalApi
from localapi.template import Template, _CfnLoader

FIXTURE = Path(__file__).parent / "fixture" / "template.yaml"
GATEWAY_ERRORS = {
    413: {"message": "Request Entity Too Large"},
    500: {"message": "Internal Server Error"},
    503: {"message": "Service Unavailable"},
}


# Every test runs twice: environments started as new interpreters (as `make api` does), and forked from
# the zygote (`prefork`, as the test suite's runtime does): a handler must not be able to tell them apart.
@pytest.fixture(scope="module", params=[False, True], ids=["spawned", "forked"])
def probes(request: pytest.FixtureRequest) -> Iterator[tuple[Runtime, str]]:
    raw = yaml.load(FIXTURE.read_text(encoding="utf-8"), Loader=_CfnLoader)
    os.environ["LEAKED_FROM_THE_HARNESS"] = "must-not-reach-a-function"
    runtime = Runtime(
        Template(raw), environment={"FROM_ENV_VARS": "override"}, integration_timeout=3, prefork=request.param
    ).start()
    assert (runtime.zygote is not None) == request.param
    api = LocalApi(runtime, port=0).start_in_thread()
    yield runtime, api.url
    api.stop()
    runtime.stop()
    os.environ.pop("LEAKED_FROM_THE_HARNESS", None)


def call(base: str, path: str, **body: object) -> requests.Response:
    return requests.post(f"{base}{path}", json=body, timeout=60)


def assert_gateway_error(response: requests.Response, status: int) -> None:
    assert response.status_code == status, response.text[:200]
    assert response.json() == GATEWAY_ERRORS[status]


def test_each_function_gets_only_its_own_environment(probes):
    _, base = probes
    probe = call(base, "/probe/env").json()
    other = call(base, "/other/env").json()
    assert probe["environment"]["OWN"] == "probe-only" and "OWN" not in other["environment"]
    assert probe["environment"]["SHARED"] == "from-globals"
    assert other["environment"]["SHARED"] == "overridden-by-the-function"
    assert probe["environment"]["GREETING"] == "hello-from-the-parameter"  # !Ref of a parameter: its default
    assert probe["environment"]["FROM_ENV_VARS"] == "override"
    for answer in (probe, other):
        assert "LEAKED_FROM_THE_HARNESS" not in answer["environment"]
        assert answer["environment"]["AWS_LAMBDA_FUNCTION_NAME"] == answer["function"]
    assert (probe["memory"], other["memory"]) == ("256", "1024")
    assert probe["environment"]["AWS_LAMBDA_FUNCTION_MEMORY_SIZE"] == "256"
    assert 0 < probe["remaining_ms"] <= 2000 and 2000 < other["remaining_ms"] <= 5000
    assert probe["pid"] != other["pid"] and os.getpid() not in (probe["pid"], other["pid"])


def test_module_state_lives_per_environment_and_a_retire_starts_a_new_one(probes):
    runtime, base = probes
    runtime.retire()
    first, second = call(base, "/probe/state").json(), call(base, "/probe/state").json()
    assert (first["invocations"], second["invocations"]) == (1, 2) and first["pid"] == second["pid"]  # warm
    assert call(base, "/other/state").json()["invocations"] == 1  # another function: another process
    runtime.retire(["ProbeFunction"])
    fresh = call(base, "/probe/state").json()
    assert fresh["invocations"] == 1 and fresh["pid"] != first["pid"]


def test_a_function_over_its_timeout_answers_500_and_its_environment_is_replaced(probes):
    _, base = probes
    before = call(base, "/probe/state").json()["pid"]
    started = time.monotonic()
    assert_gateway_error(call(base, "/probe/sleep", seconds=5), 500)
    assert time.monotonic() - started < 4.5  # killed at its 2 s Timeout, not after 5 s
    assert call(base, "/probe/state").json()["pid"] != before


def test_the_gateway_answers_503_when_the_integration_times_out_first(probes):
    _, base = probes  # OtherProbeFunction: Timeout 5 s; the gateway here waits 3 s (30 s in AWS)
    assert_gateway_error(call(base, "/other/sleep", seconds=4), 503)
    assert runtime_module.INTEGRATION_TIMEOUT_SECONDS == 30


def test_unhandled_errors_and_init_failures_answer_500(probes):
    _, base = probes
    assert_gateway_error(call(base, "/probe/raise"), 500)
    broken = requests.get(f"{base}/broken", timeout=60)
    assert_gateway_error(broken, 500)
    assert call(base, "/probe/state").status_code == 200  # the failure did not take the function down


def test_responses_over_lambdas_6_mb_limit_answer_500(probes):
    _, base = probes
    assert call(base, "/probe/big", bytes=5 * 1024 * 1024).status_code == 200
    assert_gateway_error(call(base, "/probe/big", bytes=runtime_module.MAX_RESPONSE_PAYLOAD), 500)


def test_requests_over_lambdas_6_mb_or_the_gateways_10_mb_answer_413(probes):
    _, base = probes
    five = "y" * (5 * 1024 * 1024)
    assert call(base, "/probe/echo-size", padding=five).text == str(len(five) + len('{"padding": ""}'))
    assert_gateway_error(call(base, "/probe/echo-size", padding="y" * (7 * 1024 * 1024)), 413)  # event > 6 MB
    assert_gateway_error(call(base, "/probe/echo-size", padding="y" * (11 * 1024 * 1024)), 413)  # body > 10 MB


def test_forked_environments_come_from_the_zygote_unless_a_preloaded_module_read_their_environment(probes):
    runtime, base = probes
    zygote = runtime.zygote
    expected_parent = zygote._process.pid if zygote else os.getpid()
    assert call(base, "/probe/state").json()["parent"] == expected_parent
    if zygote:
        assert "AWS_EXECUTION_ENV" in zygote.read  # Powertools reads it when imported: all functions agree
    # A variable that a preloaded module (Powertools) reads when it is imported, different for the
    # functions: a fork would carry the zygote's import-time view, so they start as new interpreters.
    with runtime.configured(POWERTOOLS_DEBUG="true"):
        answer = call(base, "/probe/state").json()
        assert answer["parent"] == os.getpid() and answer["environment"]["POWERTOOLS_DEBUG"] == "true"
        assert answer["invocations"] == 1


def test_the_zygote_sees_every_environment_read_of_an_import(tmp_path, monkeypatch):
    from localapi.worker import _RecordedReads

    monkeypatch.setenv("PROBE_READ", "1")
    with _RecordedReads() as reads:
        os.environ.get("PROBE_READ")
        _ = "PROBE_CONTAINS" in os.environ
    assert reads.names == {"PROBE_READ", "PROBE_CONTAINS"} and not reads.listed
    with _RecordedReads() as reads:
        dict(os.environ)
    assert reads.listed
    os.environ.get("AFTER")  # no longer recorded
    assert "AFTER" not in reads.names
