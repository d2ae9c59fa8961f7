"""Cost per million requests: Lambda (arm64) + API Gateway HTTP API + DynamoDB on-demand + CloudWatch
Logs + X-Ray + data transfer out, with each function's own memory size and its INIT billed; SnapStart and
provisioned concurrency priced as options.

List prices, us-east-1, as published in 2025 (not fetched at run time; check the pricing pages before
quoting them): Lambda $0.20 per million requests and $0.0000133334 per GB-second on arm64 (first tier),
INIT billed like the handler's duration (since August 2025); HTTP API $1.00 per million requests (first
300 million); DynamoDB on-demand $0.125 per million read request units and $0.625 per million write request
units (standard table class); CloudWatch Logs ingestion $0.50 per GB (standard class; the functions write
JSON lines to stdout, LoggingConfig keeps the platform's own lines at WARN); X-Ray $5.00 per million traces
recorded, with the default sampling rule (1 request a second, then 5 %) taken as 5 % of requests;
data transfer out to the internet $0.09 per GB (first 10 TB a month, after the free 100 GB).
SnapStart (Python): $0.0000015046 per GB-second of cached snapshot (per published version, at least
3 hours) and $0.0001397998 per GB restored; provisioned concurrency on arm64: $0.0000033334 per GB-second
provisioned, and $0.0000077778 per GB-second of duration on it (the x86 prices less 20 %, as for
on-demand). Lambda duration is billed per 1 ms; the modelled duration is the measured handler overhead
plus an assumed DynamoDB latency per sequential round trip.
"""

from __future__ import annotations

import math
from typing import Any

PRICES = {
    "source": "AWS list prices, us-east-1, as published in 2025 (not fetched at run time)",
    "lambda_requests_per_million": 0.20,
    "lambda_gb_second_arm64": 0.0000133334,
    "http_api_per_million": 1.00,
    "dynamodb_rru_per_million": 0.125,
    "dynamodb_wru_per_million": 0.625,
    "logs_ingestion_per_gb": 0.50,
    "xray_traces_recorded_per_million": 5.00,
    "xray_sampled_share": 0.05,
    "data_transfer_out_per_gb": 0.09,
    "snapstart_cache_gb_second": 0.0000015046,
    "snapstart_restore_per_gb": 0.0001397998,
    "provisioned_gb_second_arm64": 0.0000033334,
    "provisioned_duration_gb_second_arm64": 0.0000077778,
}
GB = 1_000_000_000
SECONDS_PER_MONTH = 30 * 24 * 3600
# Share of requests that start a container (on-demand INIT). Depends on traffic shape: 1 % is a steady
# low-volume API; a busy one is well under it. An assumption, reported with every figure that uses it.
COLD_START_SHARE = 0.01


def per_million(
    duration_ms: float,
    rru: float,
    wru: float,
    memory_mb: int,
    *,
    log_bytes: float = 0.0,
    response_bytes: float = 0.0,
    init_ms: float = 0.0,
    cold_start_share: float = COLD_START_SHARE,
    traced: bool = True,
) -> dict[str, float]:
    """Dollars per 1,000,000 requests of one kind."""
    gb = memory_mb / 1024
    gb_seconds = gb * math.ceil(duration_ms) / 1000 * 1_000_000
    parts = {
        "lambda_requests": PRICES["lambda_requests_per_million"],
        "lambda_duration": gb_seconds * PRICES["lambda_gb_second_arm64"],
        "lambda_init": cold_start_share * 1_000_000 * gb * math.ceil(init_ms) / 1000 * PRICES["lambda_gb_second_arm64"],
        "api_gateway": PRICES["http_api_per_million"],
        "dynamodb_reads": rru * PRICES["dynamodb_rru_per_million"],
        "dynamodb_writes": wru * PRICES["dynamodb_wru_per_million"],
        "logs": log_bytes * 1_000_000 / GB * PRICES["logs_ingestion_per_gb"],
        "xray": PRICES["xray_sampled_share"] * PRICES["xray_traces_recorded_per_million"] if traced else 0.0,
        "data_transfer_out": response_bytes * 1_000_000 / GB * PRICES["data_transfer_out_per_gb"],
    }
    parts["total"] = sum(parts.values())
    return {key: round(value, 4) for key, value in parts.items()}


def cpu_share_factor(memory_mb: int) -> float:
    """Lambda gives a function CPU in proportion to memory (one vCPU at 1,769 MB): at 512 MB, CPU-bound
    work measured on a whole core takes about 3.5 times as long (if the cores are equally fast)."""
    return max(1.0, 1769 / memory_mb)


def cold_start(init_ms: float, memory_mb: int) -> float:
    """Dollars per cold start for the billed init duration (Lambda bills INIT since August 2025)."""
    return memory_mb / 1024 * math.ceil(init_ms) / 1000 * PRICES["lambda_gb_second_arm64"]


def snapstart(memory_mb: dict[str, int], cold_start_share: float = COLD_START_SHARE) -> dict[str, Any]:
    """SnapStart on every function: the snapshots' cache per month (one published version each), and per
    1M requests the restores (instead of INIT; restore duration is billed like INIT and left to the
    first-response figures)."""
    cache = sum(mb / 1024 * SECONDS_PER_MONTH * PRICES["snapstart_cache_gb_second"] for mb in memory_mb.values())
    average_gb = sum(memory_mb.values()) / len(memory_mb) / 1024
    restores = cold_start_share * 1_000_000 * average_gb * PRICES["snapstart_restore_per_gb"]
    return {
        "cache_per_month": round(cache, 2),
        "restores_per_million_requests": round(restores, 4),
        "cold_start_share": cold_start_share,
        "functions": len(memory_mb),
    }


def provisioned(memory_mb: dict[str, int], executions: int) -> dict[str, Any]:
    """Provisioned concurrency of `executions` on each function of `memory_mb`, per month (kept all month)."""
    monthly = sum(
        executions * mb / 1024 * SECONDS_PER_MONTH * PRICES["provisioned_gb_second_arm64"] for mb in memory_mb.values()
    )
    return {
        "executions_per_function": executions,
        "functions": sorted(memory_mb),
        "per_month": round(monthly, 2),
        "duration_gb_second": PRICES["provisioned_duration_gb_second_arm64"],
    }


def mix(costs: dict[str, dict[str, float]], weights: dict[str, float]) -> dict[str, Any]:
    """Weighted cost of a traffic mix (weights in percent, normalised)."""
    total_weight = sum(weights.values())
    blended: dict[str, float] = {}
    for name, weight in weights.items():
        for part, dollars in costs[name].items():
            blended[part] = blended.get(part, 0.0) + dollars * weight / total_weight
    return {part: round(dollars, 4) for part, dollars in blended.items()}
