"""Cost per million requests: Lambda (arm64) + API Gateway HTTP API + DynamoDB on-demand.

List prices, us-east-1, as published in 2025 (not fetched at run time; check the pricing pages
before quoting them): Lambda $0.20 per million requests and $0.0000133334 per GB-second on arm64
(first tier), HTTP API $1.00 per million requests (first 300 million), DynamoDB on-demand $0.125 per
million read request units and $0.625 per million write request units (standard table class).
Lambda duration is billed per 1 ms; the modelled duration is the measured handler overhead plus an
assumed DynamoDB latency per sequential round trip.
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
}


def per_million(duration_ms: float, rru: float, wru: float, memory_mb: int) -> dict[str, float]:
    """Dollars per 1,000,000 requests of one kind."""
    gb_seconds = memory_mb / 1024 * math.ceil(duration_ms) / 1000 * 1_000_000
    parts = {
        "lambda_requests": PRICES["lambda_requests_per_million"],
        "lambda_duration": gb_seconds * PRICES["lambda_gb_second_arm64"],
        "api_gateway": PRICES["http_api_per_million"],
        "dynamodb_reads": rru * PRICES["dynamodb_rru_per_million"],
        "dynamodb_writes": wru * PRICES["dynamodb_wru_per_million"],
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


def mix(costs: dict[str, dict[str, float]], weights: dict[str, float]) -> dict[str, Any]:
    """Weighted cost of a traffic mix (weights in percent, normalised)."""
    total_weight = sum(weights.values())
    blended: dict[str, float] = {}
    for name, weight in weights.items():
        for part, dollars in costs[name].items():
            blended[part] = blended.get(part, 0.0) + dollars * weight / total_weight
    return {part: round(dollars, 4) for part, dollars in blended.items()}
