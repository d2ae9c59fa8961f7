"""The bounded load test (tests/reliability/load.py) for ~10 s against the local API: no errors,
no 5xx, every part of the mix exercised, and the table consistent afterwards."""

from __future__ import annotations

import pytest

from tests.reliability import load


def test_mixed_load_without_a_single_error(local_api, api, assert_consistent):
    # A count of requests, not a rate: throughput is the bench's business (bench/), not a test's.
    result = load.run(f"{local_api.url}/api", seconds=180, workers=8, max_requests=150)
    print("\n" + result.report())
    assert result.errors == [], result.report()
    assert result.server_errors == 0
    assert result.requests >= 150, result.report()
    assert {"list", "list by tag", "article", "feed", "profile", "tags", "comments", "login", "favorite"} <= set(
        result.latencies
    ), result.report()
    writes = {"comment post", "favorite", "follow", "article create", "article edit", "article delete"}
    assert sum(len(result.latencies[kind]) for kind in writes) >= result.requests * 0.05
    assert_consistent("after the load test")


def test_the_load_test_only_targets_loopback():
    with pytest.raises(ValueError, match="only loopback"):
        load.run("http://example.com/api", seconds=1)
    with pytest.raises(SystemExit):
        load.main(["--url", "http://10.0.0.1:3000/api", "--seconds", "1"])
