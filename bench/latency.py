"""Warm latency per endpoint: the handler called in-process, over and over, for a bounded time.

Per request: wall time of `handler(event, context)` (the event is built before the clock starts;
p50/p99 come from it), the wall time during which a DynamoDB call was in flight (the "in DB calls"
share - mostly moto here), the process CPU time, the CPU time spent inside moto (the simulated
service) and the sequential round trips.

The handler overhead - what Lambda bills besides waiting for DynamoDB - is the process CPU time
minus moto's CPU time: the handler's own work plus botocore's client-side work (serialising,
signing, parsing). CPU time rather than wall time, so other load on the machine does not inflate it.
The modelled Lambda duration is that overhead plus an assumed DynamoDB latency per sequential
round trip.
"""

from __future__ import annotations

import statistics
import time
from typing import Any

from bench.harness import Harness
from bench.instrument import round_trips
from bench.scenarios import Context, Scenario, event_for

WARMUP = 2  # unmeasured requests per scenario first


def measure(
    harness: Harness, ctx: Context, scenarios: list[Scenario], plan: Any, rtt_ms: float
) -> dict[str, dict[str, Any]]:
    """Per scenario: at least `plan.latency_seconds`, then on until `plan.latency_target` requests or
    `plan.latency_max_seconds`, never more than `plan.latency_max` requests."""
    recorder = harness.attach_recorder()
    recorder.model_capacity = False
    results = {}
    for scenario in scenarios:
        rows: list[tuple[float, float, float, int, float]] = []
        statuses: set[int] = set()
        started = time.perf_counter()
        count = 0
        while count < WARMUP + 1 or _more(plan, count - WARMUP, time.perf_counter() - started):
            try:
                request = scenario.prepare(ctx)
            except Exception:  # reported by the DynamoDB-work phase
                break
            event = event_for(harness, request)
            with recorder.window() as window:
                cpu, begin = time.process_time(), time.perf_counter()
                response = harness.raw_invoke(request.function, event)
                elapsed, cpu = time.perf_counter() - begin, time.process_time() - cpu
            count += 1
            statuses.add(response["statusCode"])
            if count > WARMUP:
                _, sequential = round_trips(window.calls, window.thread)
                rows.append((elapsed, window.db_wall(), window.server_time(), sequential, cpu))
        if rows:
            results[scenario.name] = _stats(rows, rtt_ms, statuses)
    return results


def _more(plan: Any, count: int, elapsed: float) -> bool:
    if count >= plan.latency_max or elapsed >= plan.latency_max_seconds:
        return False
    return elapsed < plan.latency_seconds or count < plan.latency_target


def _stats(rows: list[tuple[float, float, float, int, float]], rtt_ms: float, statuses: set[int]) -> dict[str, Any]:
    n = len(rows)
    walls = sorted(row[0] * 1000 for row in rows)
    wall, in_db, server = (sum(row[i] for row in rows) for i in (0, 1, 2))
    overhead = [max(row[4] - row[2], 0.0) * 1000 for row in rows]  # process CPU minus moto's CPU
    modelled = [cpu_ms + row[3] * rtt_ms for cpu_ms, row in zip(overhead, rows, strict=True)]
    return {
        "requests": n,
        "statuses": sorted(statuses),
        "p50_ms": round(statistics.median(walls), 2),
        "p99_ms": round(walls[min(n - 1, int(n * 0.99))], 2),
        "mean_ms": round(wall * 1000 / n, 2),
        "in_db_calls_share": round(in_db / wall, 3),
        "outside_db_calls_ms": round((wall - in_db) * 1000 / n, 2),
        "moto_cpu_ms": round(server * 1000 / n, 2),
        "handler_overhead_ms": round(statistics.fmean(overhead), 2),
        "handler_overhead_p50_ms": round(statistics.median(overhead), 2),
        "sequential_trips": round(statistics.fmean(row[3] for row in rows), 2),
        "modelled_duration_ms": round(statistics.fmean(modelled), 2),
    }
