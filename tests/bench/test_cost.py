"""bench/cost.py: the cost per 1M requests counts memory per function, INIT, logs, traces and transfer."""

from __future__ import annotations

import pytest

from bench import cost


def test_every_part_is_priced_and_the_total_is_their_sum():
    priced = cost.per_million(20, 2, 1, 512, log_bytes=500, response_bytes=2_000, init_ms=300, cold_start_share=0.01)
    assert priced["logs"] == pytest.approx(500 * 1e6 / 1e9 * 0.50, abs=1e-4)  # $0.25
    assert priced["data_transfer_out"] == pytest.approx(2_000 * 1e6 / 1e9 * 0.09, abs=1e-4)  # $0.18
    assert priced["xray"] == pytest.approx(0.05 * 5.00)
    assert priced["lambda_init"] == pytest.approx(0.01 * 1e6 * 0.5 * 0.3 * 0.0000133334, abs=1e-4)
    parts = {key: value for key, value in priced.items() if key != "total"}
    assert priced["total"] == pytest.approx(sum(parts.values()), abs=1e-3)


def test_a_1024_mb_function_pays_twice_the_duration_of_a_512_mb_one():
    small, large = cost.per_million(40, 0, 0, 512), cost.per_million(40, 0, 0, 1024)
    assert large["lambda_duration"] == pytest.approx(2 * small["lambda_duration"], rel=1e-3)


def test_untraced_requests_record_no_trace():
    assert cost.per_million(10, 0, 0, 512, traced=False)["xray"] == 0


def test_snapstart_and_provisioned_concurrency_are_priced_per_month():
    snap = cost.snapstart({"A": 512, "B": 1024})
    assert snap["cache_per_month"] == pytest.approx(1.5 * 30 * 24 * 3600 * 0.0000015046, abs=0.01)
    assert snap["restores_per_million_requests"] > 0
    held = cost.provisioned({"A": 512, "B": 512}, 2)
    assert held["per_month"] == pytest.approx(2 * 2 * 0.5 * 30 * 24 * 3600 * 0.0000033334, abs=0.01)
