"""The runners of conformance/: pinned tools, in-repository scripts, and the summaries' count lines
(the summarizers run under node on made-up reports; no npm, no API)."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from conformance import suites

HERE = suites.HERE
NODE = shutil.which("node")


def _node(*args: str | Path) -> subprocess.CompletedProcess[str]:
    if NODE is None:
        pytest.fail("node is not on PATH (the conformance runners need it)")
    return subprocess.run([NODE, *map(str, args)], capture_output=True, text=True, timeout=30, check=False)


def test_tools_are_pinned_to_exact_versions_and_locked():
    wanted = json.loads((HERE / "package.json").read_text(encoding="utf-8"))["dependencies"]
    assert set(wanted) == {"newman", "@usebruno/cli"}
    assert all(re.fullmatch(r"\d+\.\d+\.\d+", version) for version in wanted.values()), wanted
    lock = json.loads((HERE / "package-lock.json").read_text(encoding="utf-8"))
    assert lock["packages"][""]["dependencies"] == wanted, "package-lock.json is out of date: npm install"
    for name, version in wanted.items():
        assert lock["packages"][f"node_modules/{name}"]["version"] == version


def test_scripts_conformance_runs_this_repositorys_runners_only():
    script = (suites.ROOT / "scripts" / "conformance").read_text(encoding="utf-8")
    assert "bash conformance/run-classic.sh" in script
    assert "bash conformance/run-v2.sh" in script
    code = [line for line in script.splitlines() if not line.lstrip().startswith("#")]
    assert not [line for line in code if "shared" in line], "the suites come from conformance/suites.py"
    for runner in ("run-classic.sh", "run-v2.sh"):
        text = (HERE / runner).read_text(encoding="utf-8")
        assert "rw_tools" in text and "rw_suite" in text, runner


def _bruno_result(path: str, status: int | None, failing_test: str | None = None) -> dict:
    tests = [{"description": "status", "status": "pass"}]
    if failing_test:
        tests.append({"description": failing_test, "status": "fail", "error": "expected 1 to equal 2"})
    return {
        "test": {"filename": f"{path}.bru"},
        "path": path,
        "name": path.split("/")[-1],
        "response": {"status": status},
        "status": "pass" if failing_test is None else "fail",
        "assertionResults": [],
        "testResults": tests,
    }


@pytest.fixture
def bruno_run(tmp_path) -> Path:
    """A collection of two folders of two requests each; reports written by each test."""
    for folder in ("auth", "tags"):
        (tmp_path / "collection" / folder).mkdir(parents=True)
        for request in ("01-a", "02-b", "folder"):
            (tmp_path / "collection" / folder / f"{request}.bru").write_text("meta {}\n")
    (tmp_path / "out").mkdir()
    return tmp_path


def _summarize_bruno(run: Path) -> subprocess.CompletedProcess[str]:
    return _node(HERE / "summarize-bruno.js", run / "collection", run / "out", run / "report.json", "auth", "tags")


def test_bruno_summary_counts_requests_and_passes_only_when_all_pass(bruno_run):
    for folder in ("auth", "tags"):
        results = [_bruno_result(f"{folder}/01-a", 200), _bruno_result(f"{folder}/02-b", 201)]
        (bruno_run / "out" / f"{folder}.json").write_text(json.dumps([{"results": results}]))
    result = _summarize_bruno(bruno_run)
    assert result.returncode == 0, result.stdout
    assert result.stdout.splitlines() == ["realworld-v2: 4 passed, 0 failed"]


def test_bruno_summary_fails_a_failed_test_and_a_request_that_did_not_run(bruno_run):
    results = [_bruno_result("auth/01-a", 200), _bruno_result("auth/02-b", 422, failing_test="bio is null")]
    (bruno_run / "out" / "auth.json").write_text(json.dumps([{"results": results}]))
    (bruno_run / "out" / "tags.txt").write_text("bru crashed\n")  # no tags.json
    result = _summarize_bruno(bruno_run)
    assert result.returncode == 1
    lines = result.stdout.splitlines()
    assert lines[-1] == "realworld-v2: 1 passed, 3 failed"
    assert any(line.startswith("FAIL auth/02-b") and "HTTP 422" in line and "bio is null" in line for line in lines)
    assert any(line.startswith("FAIL tags: no report (bru crashed)") for line in lines)
    assert "FAIL tags/01-a not run" in lines
    assert json.loads((bruno_run / "report.json").read_text())["failed"] == 3


def _newman_execution(position: int, code: int | None, errors: list[str | None]) -> dict:
    return {
        "cursor": {"position": position},
        "item": {"name": f"request {position}"},
        "request": {"method": "GET"},
        "response": None if code is None else {"code": code},
        "assertions": [
            {"assertion": f"check {i}", **({"error": {"message": error}} if error else {})}
            for i, error in enumerate(errors)
        ],
    }


def _summarize_newman(tmp_path: Path, executions: list[dict]) -> subprocess.CompletedProcess[str]:
    collection = {"item": [{"name": "Auth", "item": [{"name": "Register"}, {"name": "Login"}]}]}
    (tmp_path / "collection.json").write_text(json.dumps(collection))
    stats = {"assertions": {"total": 0, "failed": 0}, "testScripts": {"failed": 0}, "prerequestScripts": {"failed": 0}}
    (tmp_path / "report.json").write_text(json.dumps({"run": {"executions": executions, "stats": stats}}))
    return _node(
        HERE / "summarize-newman.js",
        tmp_path / "collection.json",
        tmp_path / "report.json",
        tmp_path / "summary.json",
        tmp_path / "newman.txt",
    )


def test_newman_summary_counts_assertions(tmp_path):
    result = _summarize_newman(tmp_path, [_newman_execution(0, 201, [None, None]), _newman_execution(1, 200, [None])])
    assert result.returncode == 0, result.stdout
    assert result.stdout.splitlines()[-1] == "realworld: 3 passed, 0 failed"


def test_newman_summary_fails_failed_assertions_and_requests_not_run(tmp_path):
    result = _summarize_newman(tmp_path, [_newman_execution(0, 500, [None, "expected 500 to equal 201"])])
    assert result.returncode == 1
    lines = result.stdout.splitlines()
    assert lines[-1] == "realworld: 1 passed, 2 failed"
    assert "FAIL Auth / Register [HTTP 500] check 1: expected 500 to equal 201" in lines
    assert "FAIL Auth / Login not run" in lines


def test_newman_summary_without_a_report_fails(tmp_path):
    (tmp_path / "newman.txt").write_text("error: collection could not be loaded\n")
    result = _node(
        HERE / "summarize-newman.js",
        tmp_path / "c.json",
        tmp_path / "none.json",
        tmp_path / "s.json",
        tmp_path / "newman.txt",
    )
    assert result.returncode == 1
    assert "collection could not be loaded" in result.stdout
    assert result.stdout.splitlines()[-1] == "realworld: 0 passed, 1 failed"
