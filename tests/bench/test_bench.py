"""`python -m bench --quick` runs end to end and its results hold the data rules.

The quick mode seeds two small tables (600 and 2,400 articles) with the same fixture; every request
must read the same number of items at both sizes (reads are bounded by page size, never by table
size - docs/data-model.md), and every endpoint of template.yaml must be measured.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from localapi import template

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def results(tmp_path_factory: pytest.TempPathFactory) -> dict:
    out = tmp_path_factory.mktemp("bench") / "results.json"
    done = subprocess.run(
        [sys.executable, "-m", "bench", "--quick", "--out", str(out)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,  # ~120-170 s on a loaded 2-core machine
    )
    assert done.returncode == 0, done.stderr[-3000:]
    return json.loads(out.read_text())


def test_every_function_of_the_template_is_measured(results):
    functions = set(template.load().functions())
    assert set(results["functions"]) == functions
    assert all(results["functions"][name]["scenarios"] for name in functions), "a function without a scenario"
    cold = results["cold_import"]["functions"]
    assert cold and all("error" not in row for row in cold.values())  # quick mode samples a few functions


def test_the_first_response_is_measured_against_hello_world_and_the_typical_design(results):
    first = results["first_response"]
    assert first["hello_world"]["total_ms"] > 0
    assert first["functions"], "no function measured"
    for name, row in first["functions"].items():
        ours = row["ours"]
        assert "error" not in ours, f"{name}: {ours.get('error')}"  # a realistic request answered 2xx
        assert ours["total_ms"] >= ours["start_ms"] + ours["import_ms"] + ours["request_ms"] - 1, name
        assert ours["log_bytes"] > 0, f"{name}: the request logged nothing"
    typical = [row for row in first["functions"].values() if "typical" in row]
    assert typical and all("error" not in row["typical"] and row["ratio_to_typical"] > 0 for row in typical)


def test_db_backed_endpoints_make_round_trips_and_every_request_succeeds(results):
    sizes = [str(size) for size in results["meta"]["sizes"]]
    for name, row in results["endpoints"].items():
        for size in sizes:
            measured = row["db"][size]
            assert "error" not in measured, f"{name}: {measured.get('error')}"
            assert measured["status_ok"], f"{name}: status {measured['status']} at {size}"
            if row["db_backed"]:
                assert measured["calls"] > 0, f"{name}: no DynamoDB round trip at {size}"
                assert measured["sequential"] > 0, name


def test_items_read_do_not_grow_with_table_size(results):
    small, large = (str(size) for size in results["meta"]["sizes"])
    grown = {
        name: (row["db"][small]["items_read"], row["db"][large]["items_read"])
        for name, row in results["endpoints"].items()
        if row["db"][small]["items_read"] != row["db"][large]["items_read"]
    }
    assert not grown, f"items read differ between {small} and {large} articles: {grown}"
    assert results["checks"]["items_read_grows"] == []


def test_seeded_items_have_the_layout_the_api_writes(results):
    assert all(not problems for problems in results["checks"]["seed_layout_problems"].values())


def test_the_naive_scan_reads_the_whole_table(results):
    small, large = (str(size) for size in results["meta"]["sizes"])
    for name, row in results["naive"][large].items():
        assert row["naive"]["items_read"] > row["ours"]["items_read"], name
        assert row["naive"]["items_read"] > results["naive"][small][name]["naive"]["items_read"], name


def test_a_run_without_cold_measurements_can_reuse_an_earlier_runs(results, tmp_path):
    earlier = tmp_path / "earlier.json"
    earlier.write_text(json.dumps(results))
    out = tmp_path / "results.json"
    command = [sys.executable, "-m", "bench", "--quick", "--skip-cold", "--cold-from", str(earlier), "--out", str(out)]
    done = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=180)
    assert done.returncode == 0, done.stderr[-3000:]
    later = json.loads(out.read_text())
    assert later["meta"]["cold_from"]["started"] == results["meta"]["started"]
    assert later["first_response"]["functions"] == results["first_response"]["functions"]
    assert later["cold_import"]["functions"] == results["cold_import"]["functions"]
    measured = {name: row["ours"] for name, row in results["first_response"]["functions"].items()}
    costed = [row for row in later["endpoints"].values() if row["function"] in measured and "cost_inputs" in row]
    assert costed, "no endpoint of a function the earlier run measured"
    for row in costed:  # its cost uses the earlier run's first response, not the defaults
        ours = measured[row["function"]]
        assert row["cost_inputs"]["init_ms"] == ours["start_ms"] + ours["import_ms"]


def test_the_lists_read_from_their_indexes(results):
    """The bench's moto answers a Query on an index (ByKind, TagsByCount): a list reads the items it lists,
    then batch-reads them. bench/motofast.py's own Query patch answered none from an index (under moto
    5.2.5): GET /tags read 0 items and GET /articles stopped after its empty id query, 3 trips for 5."""
    for size in (str(size) for size in results["meta"]["sizes"]):
        for name in ("GET /articles", "GET /admin/users", "GET /tags"):
            measured = results["endpoints"][name]["db"][size]
            assert measured["items_read"] > 0, f"{name} at {size}: {measured['ops']}"
            if name != "GET /tags":
                assert measured["ops"].get("BatchGetItem"), f"{name} at {size}: {measured['ops']}"
