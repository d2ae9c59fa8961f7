"""`python -m bench [--quick]`: measure, print the tables, write bench/results.json.

Phases: first response and cold import (subprocesses) -> for each table size: seed, DynamoDB work per request, the
naive Scan listings, and (small size only) warm latency -> cost model -> report.
"""

from __future__ import annotations

import argparse
import datetime
import gc
import json
import os
import platform
import statistics
import sys
import time
from dataclasses import asdict, dataclass
from importlib.metadata import version
from pathlib import Path
from typing import Any

from bench import coldimport, coldstart, cost, report
from localapi.template import ROOT

RESULTS = ROOT / "bench" / "results.json"


@dataclass
class Config:
    mode: str
    sizes: tuple[int, int]
    cold_runs: int
    latency_seconds: float  # per scenario at least ...
    latency_target: int  # ... then on until this many requests ...
    latency_max_seconds: float  # ... or this long
    latency_max: int
    rtt_ms: float
    cold_workers: int = 1
    cold_functions: int | None = None  # all
    cold_budget_seconds: float | None = 200.0  # fewer runs (at least 3) when the machine is busy
    first_response_only: tuple[str, ...] | None = None  # function dirs; None: every function
    first_response_dynamodb: str = "local"  # AWS DynamoDB Local (moto if it cannot start), or "moto"
    first_response_budget_seconds: float | None = 420.0

    @classmethod
    def full(cls) -> Config:
        return cls("full", (1_000, 100_000), 7, 1.0, 200, 3.0, 3000, 4.0)

    @classmethod
    def quick(cls) -> Config:
        return cls(
            "quick",
            (600, 2_400),
            1,
            0.05,
            1,
            0.2,
            100,
            4.0,
            cold_workers=os.cpu_count() or 1,
            cold_functions=4,
            first_response_only=("article_get", "users_login"),
            first_response_dynamodb="moto",
        )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    parser.add_argument("--quick", action="store_true", help="small sizes, 1 cold run, short latency loops (~1 min)")
    parser.add_argument("--out", type=Path, default=RESULTS, help=f"results file (default {RESULTS})")
    parser.add_argument("--rtt-ms", type=float, help="assumed DynamoDB latency per sequential round trip (4)")
    parser.add_argument(
        "--skip-cold", action="store_true", help="leave out the first-response and cold-import measurements"
    )
    parser.add_argument(
        "--cold-from",
        type=Path,
        metavar="RESULTS",
        help="with --skip-cold: take first_response and cold_import from an earlier results file (costs use them)",
    )
    parser.add_argument("--render", type=Path, metavar="RESULTS", help="print the tables of a results file and exit")
    parser.add_argument(
        "--seed-via",
        choices=("backend", "client"),
        default="backend",
        help="write the seed through moto's backend (default, ~4x faster) or boto3's batch_write_item",
    )
    args = parser.parse_args(argv)
    if args.render:
        print(render(json.loads(args.render.read_text(encoding="utf-8"))))
        return 0
    config = Config.quick() if args.quick else Config.full()
    if args.rtt_ms is not None:
        config.rtt_ms = args.rtt_ms
    started = time.perf_counter()
    cold = json.loads(args.cold_from.read_text(encoding="utf-8")) if args.cold_from and args.skip_cold else None
    results = run(config, skip_cold=args.skip_cold, seed_via=args.seed_via, cold=cold)
    results["meta"]["seconds"] = round(time.perf_counter() - started, 1)
    results["meta"]["load_average_at_end"] = [round(load, 2) for load in os.getloadavg()]
    report.write(args.out, results)
    print(render(results))
    print(f"wrote {args.out} in {results['meta']['seconds']:.0f} s")
    return 0


def run(
    config: Config, skip_cold: bool = False, seed_via: str = "backend", cold: dict[str, Any] | None = None
) -> dict[str, Any]:
    from localapi import template as template_module

    template = template_module.load()
    memory = int(template.raw["Globals"]["Function"].get("MemorySize", 128))
    phases: dict[str, float] = {}
    results: dict[str, Any] = {"meta": _meta(config, memory, seed_via)}

    if cold is not None:  # measured by an earlier run (--cold-from)
        for section in ("first_response", "cold_import"):
            if section in cold:
                results[section] = cold[section]
        results["meta"]["cold_from"] = {
            "started": cold["meta"]["started"],
            "command": cold["meta"]["command"],
            "note": "first_response and cold_import come from this earlier run",
        }
    if not skip_cold:
        _progress(f"first response: {config.cold_runs} interleaved runs (ours, typical design, hello world)")
        results["first_response"] = coldstart.measure(
            template,
            config.cold_runs,
            list(config.first_response_only) if config.first_response_only else None,
            config.first_response_budget_seconds,
            dynamodb=config.first_response_dynamodb,
        )
        phases["first_response"] = results["first_response"]["seconds"]
        count = min(len(template.functions()), config.cold_functions or len(template.functions()))
        _progress(f"cold import: {count + 1} modules x {config.cold_runs} runs x 2 modes")
        results["cold_import"] = coldimport.measure(
            template, config.cold_runs, config.cold_workers, config.cold_functions, config.cold_budget_seconds
        )
        phases["cold_import"] = results["cold_import"]["seconds"]

    from bench import dbwork, doctrips, latency, naive, seed
    from bench.harness import Harness
    from bench.scenarios import Context, for_template

    harness = Harness()
    try:
        routes = {name: (route.method, route.path) for name, route in harness.routes.items()}
        routes.update({name: ("STREAM", f"{table} stream") for name, table in template.stream_functions()})
        routes.update({name: ("QUEUE", f"{queue} messages") for name, queue in template.queue_functions()})
        scenarios = for_template(routes)
        from conduit.security.passwords import hash_password

        password_hash = hash_password(seed.PASSWORD)
        db: dict[str, dict[str, Any]] = {}
        naive_runs: dict[str, dict[str, Any]] = {}
        seeding: dict[str, Any] = {}
        layout: dict[str, list[str]] = {}
        warm: dict[str, Any] = {}
        table = "conduit-bench"  # one name for every size: the layer caches what it derives from TABLE_NAME
        for size in config.sizes:
            harness.create_table(table)
            harness.use_table(table)
            mark = time.perf_counter()
            _progress(f"seeding {size:,} articles")
            fixture = seed.seed(harness.admin, table, size, password_hash, via=seed_via)
            seeding[str(size)] = {"items": fixture.items, "seconds": round(fixture.seconds, 1)}
            gc.collect()
            gc.freeze()  # moto's table is a large heap: keep full collections of it out of the timings
            ctx = Context(harness, fixture)
            _progress(f"DynamoDB work per request at {size:,} articles ({fixture.items:,} items)")
            db[str(size)] = dbwork.measure(harness, ctx, scenarios)
            layout[str(size)] = dbwork.layout_check(harness, table, ctx)
            _progress("naive Scan listings")
            naive_runs[str(size)] = naive.measure(harness, ctx, table)
            phases[f"size_{size}"] = round(time.perf_counter() - mark, 1)
            if size == config.sizes[0]:
                mark = time.perf_counter()
                _progress(f"warm latency ({config.latency_seconds:g}-{config.latency_max_seconds:g} s per scenario)")
                warm = latency.measure(harness, ctx, scenarios, config, config.rtt_ms)
                phases["latency"] = round(time.perf_counter() - mark, 1)
            harness.delete_table(table)
            gc.unfreeze()
        if template.stream_functions():
            from bench import fanout

            _progress("feed: read-merge vs fan-out")
            mark = time.perf_counter()
            wide = (10, 1_000) if config.mode == "full" else (10, 200)
            results["fanout"] = fanout.measure(harness, followers=wide, followed=(10, 50))
            phases["fanout"] = round(time.perf_counter() - mark, 1)
        db_backed = {name: harness.db_backed(name) for name in template.functions()}
        from bench import motofast

        results["meta"]["moto_serializer"] = motofast.serializer_report()
    finally:
        harness.stop()

    small, large = (str(size) for size in config.sizes)
    documented = doctrips.documented(ROOT / "docs" / "data-model.md")
    memory_of = {name: int(template.function_setting(name, "MemorySize", memory)) for name in template.functions()}
    first = results.get("first_response", {}).get("functions", {})
    first_ours = {name: row["ours"] for name, row in first.items() if "total_ms" in row.get("ours", {})}
    typical_log = statistics.median(row["log_bytes"] for row in first_ours.values()) if first_ours else 460.0
    typical_init = max((row["start_ms"] + row["import_ms"] for row in first_ours.values()), default=0.0)

    def cost_inputs(function: str) -> dict[str, float]:
        """Measured per function where the first-response run measured it, else the median / the worst."""
        ours = first_ours.get(function)
        return {
            "log_bytes": ours["log_bytes"] if ours else typical_log,
            "init_ms": ours["start_ms"] + ours["import_ms"] if ours else typical_init,
        }

    endpoints: dict[str, Any] = {}
    for scenario in scenarios:
        method, path = routes[scenario.function]
        row: dict[str, Any] = {
            "function": scenario.function,
            "method": method,
            "path": path,
            "db_backed": db_backed[scenario.function],
            "group": scenario.group,
            "mix_weight": scenario.weight,
            "doc_row": scenario.doc_row,
            "doc_trips": doctrips.trips(documented, scenario.doc_row),
            "note": scenario.note,
            "db": {size: db[size][scenario.name] for size in (small, large)},
            "latency": warm.get(scenario.name),
        }
        measured = all("error" not in row["db"][size] for size in (small, large))
        row["items_read_grows"] = measured and row["db"][large]["items_read"] > row["db"][small]["items_read"]
        row["flags"] = _flags(row, small, large)
        if row["latency"] and measured:
            used, warm_row = row["db"][large], row["latency"]
            mb = memory_of[scenario.function]
            extra = {**cost_inputs(scenario.function), "response_bytes": used.get("response_bytes", 0)}
            row["cost_inputs"] = {"memory_mb": mb, **extra, "cold_start_share": cost.COLD_START_SHARE}
            row["cost"] = cost.per_million(warm_row["modelled_duration_ms"], used["rru"], used["wru"], mb, **extra)
            slower = warm_row["handler_overhead_ms"] * cost.cpu_share_factor(mb)
            row["cost_cpu_share"] = cost.per_million(
                slower + warm_row["sequential_trips"] * config.rtt_ms, used["rru"], used["wru"], mb, **extra
            )
        endpoints[scenario.name] = row
    results["endpoints"] = endpoints
    results["functions"] = {
        name: {
            "db_backed": db_backed[name],
            "scenarios": [s for s, row in endpoints.items() if row["function"] == name],
        }
        for name in sorted(template.functions())
    }
    weights = {name: row["mix_weight"] for name, row in endpoints.items() if row["mix_weight"] and "cost" in row}
    if weights:
        results["mix"] = {
            "weights_percent": weights,
            "per_million": cost.mix({name: endpoints[name]["cost"] for name in weights}, weights),
            "per_million_cpu_share": cost.mix({name: endpoints[name]["cost_cpu_share"] for name in weights}, weights),
            "cpu_share_factor": round(cost.cpu_share_factor(memory), 2),
            "cold_start_share": cost.COLD_START_SHARE,
        }
    results["options"] = {
        "snapstart": cost.snapstart(memory_of),
        "provisioned_concurrency_1": cost.provisioned(
            {name: memory_of[name] for name in ("ArticlesListFunction", "ArticleGetFunction") if name in memory_of}, 1
        ),
    }
    if "cold_import" in results:
        measured_ms = [
            row["precompiled"]["median_ms"]
            for row in results["cold_import"]["functions"].values()
            if "error" not in row
        ]
        results["cold_import"]["init_cost_per_cold_start_usd"] = cost.cold_start(max(measured_ms), memory)
    if first_ours:
        results["first_response"]["init_cost_per_cold_start_usd"] = {
            name: cost.cold_start(row["start_ms"] + row["import_ms"], memory_of[name])
            for name, row in first_ours.items()
        }
    results["naive"] = {
        size: {name: _compare(db[size][name], run) for name, run in naive_runs[size].items() if "error" not in run}
        for size in (small, large)
    }
    results["checks"] = {
        "seed_layout_problems": layout,
        "items_read_grows": [name for name, row in endpoints.items() if row["items_read_grows"]],
        "flagged": {name: row["flags"] for name, row in endpoints.items() if row["flags"]},
    }
    results["meta"]["seeding"] = seeding
    results["meta"]["phase_seconds"] = phases
    if "mix" in results:
        from bench import scale

        results["scale"] = scale.model(results)
    return results


def render(results: dict[str, Any]) -> str:
    sizes = results["meta"]["sizes"]
    parts = []
    if "first_response" in results:
        parts.append(coldstart.render(results["first_response"]))
    if "options" in results:
        parts.append(report.options_table(results["options"]))
    if "cold_import" in results:
        parts.append(report.cold_table(results["cold_import"]))
    parts.append(report.work_table(results["endpoints"], sizes))
    parts.append(report.latency_table(results["endpoints"]))
    parts.append(report.naive_table(results["naive"]))
    if "mix" in results:
        parts.append(report.mix_table(results["mix"], results["meta"]["rtt_ms_per_round_trip"]))
    if "fanout" in results:
        from bench import fanout

        parts.append(fanout.render(results["fanout"]))
    if "scale" in results:
        from bench import scale

        parts.append(scale.render(results["scale"]))
    grows = results["checks"]["items_read_grows"]
    parts.append("Items read grow with table size: " + (", ".join(grows) if grows else "none"))
    problems = {size: found for size, found in results["checks"]["seed_layout_problems"].items() if found}
    parts.append("Seed layout vs API-written items: " + (str(problems) if problems else "same attributes"))
    return "\n".join(parts)


def _flags(row: dict[str, Any], small: str, large: str) -> list[str]:
    flags = []
    for size in (small, large):
        if "error" in row["db"][size]:
            return [f"not measured: {row['db'][size]['error']}"]
    if row["items_read_grows"]:
        flags.append("ITEMS READ GROW WITH TABLE SIZE")
    for size in (small, large):
        if not row["db"][size]["status_ok"]:
            flags.append(f"status {row['db'][size]['status']} at {size}")
    if row["db_backed"] and not row["db"][large]["calls"]:
        flags.append("no DynamoDB call")
    if row["doc_trips"] is not None and row["db"][large]["sequential"] != row["doc_trips"]:
        flags.append(f"{row['db'][large]['sequential']} trips, docs say {row['doc_trips']}")
    return flags


def _compare(ours: dict[str, Any], naive_run: dict[str, Any]) -> dict[str, Any]:
    return {
        "ours": {key: ours[key] for key in ("calls", "sequential", "items_read", "rru")},
        "naive": {key: naive_run[key] for key in ("calls", "sequential", "items_read", "rru", "matches", "page")},
        "ratio_items": round(naive_run["items_read"] / max(ours["items_read"], 1), 1),
        "ratio_rru": round(naive_run["rru"] / max(ours["rru"], 0.5), 1),
    }


def _meta(config: Config, memory: int, seed_via: str) -> dict[str, Any]:
    return {
        "command": "python -m bench" + (" --quick" if config.mode == "quick" else ""),
        "seed_via": seed_via,
        "started": datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds"),
        "config": asdict(config),
        "sizes": list(config.sizes),
        "memory_mb": memory,
        "rtt_ms_per_round_trip": config.rtt_ms,
        "prices": cost.PRICES,
        "python": platform.python_version(),
        "machine": f"{platform.system()} {platform.machine()}, {_cpus()} CPUs",
        "load_average_at_start": [round(load, 2) for load in os.getloadavg()],
        "packages": {name: version(name) for name in ("boto3", "botocore", "moto", "pydantic")},
    }


def _cpus() -> int:
    return os.cpu_count() or 1


def _progress(message: str) -> None:
    print(f"[bench {time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


if __name__ == "__main__":
    sys.exit(main())
