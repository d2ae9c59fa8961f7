"""The API tests' own helpers that decide whether a test passes: a scenario straddling two rate-limit windows."""

from __future__ import annotations

import time

import pytest

from tests.api.helpers import within_one_window


def _until_the_next_window(window_seconds: int) -> None:
    time.sleep(window_seconds - time.time() % window_seconds + 0.05)


def test_a_scenario_that_straddles_two_windows_runs_again_at_once():
    runs: list[float] = []

    def scenario() -> int:
        runs.append(time.time())
        if len(runs) == 1:
            _until_the_next_window(1)
        return len(runs)

    started = time.time()
    assert within_one_window(scenario, window_seconds=1) == 2
    assert len(runs) == 2 and runs[1] - started < 1.2  # no wait beyond the straddling run's own


def test_a_scenario_inside_one_window_runs_once():
    _until_the_next_window(1)
    assert within_one_window(lambda: "observed", window_seconds=1) == "observed"


def test_a_scenario_that_always_straddles_fails_the_test():
    with pytest.raises(AssertionError, match="straddled"):
        within_one_window(lambda: _until_the_next_window(1), window_seconds=1)
