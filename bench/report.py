"""The printed tables (plain text, also pasted into docs/performance.md) and results.json."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any


def table(headers: list[str], rows: list[list[Any]], title: str) -> str:
    cells = [[str(cell) for cell in row] for row in rows]
    widths = [
        max(len(headers[i]), *(len(row[i]) for row in cells)) if cells else len(headers[i]) for i in range(len(headers))
    ]
    line = "| " + " | ".join(header.ljust(width) for header, width in zip(headers, widths, strict=True)) + " |"
    rule = "|" + "|".join("-" * (width + 2) for width in widths) + "|"
    body = [
        "| " + " | ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)) + " |" for row in cells
    ]
    return "\n".join([f"### {title}", "", line, rule, *body, ""])


def cold_table(cold: dict[str, Any]) -> str:
    rows = []
    for name, row in cold["functions"].items():
        if "error" in row:
            rows.append([name, "-", "-", "-", "-", row["error"][:60], "-"])
            continue
        as_is, pre = row["as_is"], row["precompiled"]
        first = pre.get("first_call_extra_ms")
        rows.append(
            [
                name,
                f"{as_is['median_ms']:.0f}",
                f"{as_is['delta_ms']:+.0f}",
                f"{pre['median_ms']:.0f}",
                f"{pre['delta_ms']:+.0f}",
                as_is["modules_loaded"],
                f"{first:.0f}" if first is not None else "-",
            ]
        )
    headers = ["function", "as-is ms", "vs hello", "precompiled ms", "vs hello", "modules", "1st call extra ms"]
    return table(headers, rows, f"Cold import of the handler module (median of {cold['runs']} fresh interpreters)")


ABBREVIATIONS = {  # longest first: BatchGetItem before GetItem
    "TransactWriteItems": "T",
    "BatchWriteItem": "W",
    "BatchGetItem": "B",
    "UpdateItem": "U",
    "DeleteItem": "D",
    "GetItem": "G",
    "PutItem": "P",
    "Query": "Q",
    "Scan": "S",
}


def work_table(endpoints: dict[str, Any], sizes: list[int]) -> str:
    small, large = (str(size) for size in sizes)
    rows = []
    for name, row in endpoints.items():
        db_small, db_large = row["db"][small], row["db"][large]
        if "error" in db_small or "error" in db_large:
            rows.append([name, "-", "-", "-", "-", "-", "-", "-", ", ".join(row["flags"])[:80]])
            continue
        doc = row["doc_trips"] if row["doc_trips"] is not None else "-"
        rows.append(
            [
                name,
                f"{db_large['sequential']} / {db_large['calls']}",
                doc,
                " ".join(_abbreviate(stage) for stage in db_large.get("stages", [])) or "-",
                f"{db_small['items_read']} / {db_large['items_read']}",
                db_large["items_written"],
                _num(db_large["rru"]),
                _num(db_large["wru"]),
                ", ".join(row["flags"]) or "ok",
            ]
        )
    headers = [
        "endpoint",
        "trips seq / total",
        "docs",
        "calls in order ((...) = in parallel)",
        f"items read {_size(small)} / {_size(large)}",
        "written",
        "RRU",
        "WRU",
        "flags",
    ]
    return table(headers, rows, "DynamoDB work per request")


def latency_table(endpoints: dict[str, Any]) -> str:
    rows = []
    for name, row in endpoints.items():
        latency, price = row.get("latency"), row.get("cost")
        if not latency:
            continue
        rows.append(
            [
                name,
                latency["requests"],
                _num(latency["p50_ms"]),
                _num(latency["p99_ms"]),
                f"{latency['in_db_calls_share'] * 100:.0f}%",
                _num(latency["handler_overhead_ms"]),
                _num(latency["modelled_duration_ms"]),
                f"{price['dynamodb_reads'] + price['dynamodb_writes']:.2f}" if price else "-",
                f"{price['total']:.2f}" if price else "-",
            ]
        )
    headers = [
        "endpoint",
        "requests",
        "p50 ms",
        "p99 ms",
        "in DB calls",
        "overhead ms (CPU)",
        "modelled ms",
        "$ DynamoDB / 1M",
        "$ total / 1M",
    ]
    return table(headers, rows, "Warm latency in-process (small table) and modelled cost")


def _abbreviate(stage: str) -> str:
    for name, letter in ABBREVIATIONS.items():
        stage = stage.replace(name, letter)
    return stage


def naive_table(naive: dict[str, Any]) -> str:
    rows = []
    for size, variants in naive.items():
        for name, row in variants.items():
            rows.append(
                [
                    name,
                    _size(size),
                    f"{row['ours']['items_read']} / {_num(row['ours']['rru'])}",
                    f"{row['naive']['items_read']} / {_num(row['naive']['rru'])}",
                    f"{row['ratio_items']:.0f}x / {row['ratio_rru']:.0f}x",
                ]
            )
    headers = ["listing", "articles", "ours: items / RRU", "Scan+filter: items / RRU", "naive / ours"]
    return table(headers, rows, "Listing with index Queries (ours) vs Scan + FilterExpression (naive)")


def mix_table(mix: dict[str, Any], rtt_ms: float) -> str:
    plain, slower = mix["per_million"], mix["per_million_cpu_share"]
    rows = [[part, f"{plain[part]:.4f}", f"{slower[part]:.4f}"] for part in plain]
    headers = ["part", "$ per 1M requests", "with CPU in proportion to each function's memory"]
    shares = ", ".join(f"{name} {weight:g}%" for name, weight in mix["weights_percent"].items())
    cold = mix.get("cold_start_share")
    title = f"Traffic mix: cost per 1M requests (DynamoDB {rtt_ms:g} ms per sequential round trip" + (
        f"; INIT billed on {cold:.0%} of requests)" if cold is not None else ")"
    )
    return table(headers, rows, title) + f"\nMix: {shares}\n"


def write(path: Path, results: dict[str, Any]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(results, indent=2, sort_keys=False) + "\n", encoding="utf-8")


def _num(value: Any) -> str:
    if value is None:
        return "-"
    return f"{value:.1f}" if isinstance(value, float) and value != int(value) else f"{value:g}"


def _size(size: str | int) -> str:
    size = int(size)
    return f"{size // 1000}k" if size >= 1000 and size % 1000 == 0 else str(size)


def options_table(options: dict[str, Any]) -> str:
    snap, held = options["snapstart"], options["provisioned_concurrency_1"]
    rows = [
        [
            "SnapStart (every function)",
            f"${snap['cache_per_month']:.2f} cache",
            f"${snap['restores_per_million_requests']:.4f} restores ({snap['cold_start_share']:.0%} cold)",
        ],
        [f"provisioned concurrency 1 x {len(held['functions'])} hot routes", f"${held['per_month']:.2f}", "-"],
    ]
    return table(["option", "per month", "per 1M requests"], rows, "Cold-start options (template parameters)")
