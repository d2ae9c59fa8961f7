"""Cold import: a fresh interpreter imports one function's handler module, as Lambda's init does.

Each sample is a new `python -P` subprocess with the function's directory and the layer on sys.path
(Lambda: /var/task and /opt/python); the child times `import app` alone (interpreter start-up is
the same for every function and is left out). A hello-world handler is measured the same way in the
same run, and the medians are reported with their difference to it.

Two modes, interleaved run by run so drift hits both alike:
* as-is: the working tree, PYTHONDONTWRITEBYTECODE=1 (nothing is cached between runs - like a
  deployment package without __pycache__, whose /var/task is read-only);
* precompiled: a copy of functions/ and the layer compiled with
  `compileall --invalidation-mode unchecked-hash` (what a build step can ship), PYTHONDONTWRITEBYTECODE unset.
The dependencies are the .venv's site-packages in both modes (already compiled by pip).

Because the layer defers imports to first use (botocore, PyJWT, argon2, pydantic models), each
child then also calls its handler twice with the same event - a request with a validly signed token
of a user that does not exist, `{}` as the body of writes, "x" for path parameters - against an
embedded moto server, and reports the first call minus the second: the lazy initialisation the
first request of a new container pays on top of the import (what the two calls share - the
DynamoDB round trips, the error answer - cancels out).
"""

from __future__ import annotations

import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from localapi.template import ROOT, Template

HELLO = '''"""Hello world: the import-time baseline."""


def handler(event, context):
    return {"statusCode": 200, "body": "hello"}
'''

CHILD = r"""
import sys, time
sys.path[:0] = [sys.argv[1], sys.argv[2]]
t0 = time.perf_counter()
import app
t1 = time.perf_counter()
modules = len(sys.modules)
import json, os
project = [sys.argv[1], sys.argv[2]]
missing_project = missing_deps = 0
for module in list(sys.modules.values()):
    cached, source = getattr(module, "__cached__", None), getattr(module, "__file__", None)
    if cached and source and source.endswith(".py") and not os.path.exists(cached):
        if any(source.startswith(root) for root in project):
            missing_project += 1
        else:
            missing_deps += 1
first = second = -1.0
if len(sys.argv) > 3:
    class Context:
        function_name = "cold"
        memory_limit_in_mb = 512
        aws_request_id = "cold"
        invoked_function_arn = "arn:aws:lambda:us-east-1:000000000000:function:cold"
        def get_remaining_time_in_millis(self):
            return 10000
    handler = getattr(app, "handler")
    t2 = time.perf_counter(); handler(json.loads(sys.argv[3]), Context()); t3 = time.perf_counter()
    handler(json.loads(sys.argv[3]), Context()); t4 = time.perf_counter()
    first, second = (t3 - t2) * 1000, (t4 - t3) * 1000
sys.stdout.flush()
sys.stderr.write(f"BENCH-RESULT {(t1 - t0) * 1000} {modules} {missing_project} {missing_deps} {first} {second}\n")
"""

BASELINE = "(hello world)"


def measure(
    template: Template,
    runs: int,
    workers: int = 1,
    sample_functions: int | None = None,
    budget_seconds: float | None = None,
) -> dict[str, Any]:
    """`workers` > 1 runs samples concurrently and `sample_functions` measures only that many functions
    (spread over the sorted names): the quick smoke run, whose timings are indicative only.
    `budget_seconds` stops after the last whole run that fits (at least 3), on a busy machine."""
    started = time.perf_counter()
    functions = {name: Path(props["CodeUri"]).name for name, props in sorted(template.functions().items())}
    if sample_functions is not None and sample_functions < len(functions):
        names = list(functions)
        step = len(names) / sample_functions
        functions = {names[int(i * step)]: functions[names[int(i * step)]] for i in range(sample_functions)}
    layer = template.layer_dirs()[0]  # the shared layer; other layers' packages come from the dev venv
    with tempfile.TemporaryDirectory(prefix="bench-cold-") as tmp, _database(template) as database_env:
        work = Path(tmp)
        trees = _prepare(work, layer, database_env)
        targets = {BASELINE: "hello", **functions}
        events = _events(template, database_env["JWT_SECRET"])
        one_run = [(name, mode) for name in targets for mode in trees]

        def sample(job: tuple[str, str]) -> tuple[float, ...] | str:
            name, mode = job
            functions_root, layer_root, env = trees[mode]
            root = work / "src" if targets[name] == "hello" and mode == "as_is" else functions_root
            try:
                return _sample(root / targets[name], layer_root, env, work / "cwd", events.get(name))
            except subprocess.CalledProcessError as failed:
                lines = (failed.stderr or "failed").strip().splitlines()
                return lines[-1] if lines else "failed"

        jobs: list[tuple[str, str]] = []
        outcomes: list[tuple[float, ...] | str] = []
        done = 0
        with ThreadPoolExecutor(max_workers=workers) as pool:
            while done < runs:
                outcomes += pool.map(sample, one_run)
                jobs += one_run
                done += 1
                elapsed = time.perf_counter() - started
                if budget_seconds and done >= 3 and elapsed * (done + 1) / done > budget_seconds:
                    break
        samples: dict[tuple[str, str], list[float]] = defaultdict(list)
        first_calls: dict[tuple[str, str], list[float]] = defaultdict(list)
        details: dict[tuple[str, str], tuple[float, ...]] = {}
        errors: dict[str, str] = {}
        for (name, mode), outcome in zip(jobs, outcomes, strict=True):
            if isinstance(outcome, str):
                errors[name] = outcome
                continue
            samples[(name, mode)].append(outcome[0])
            first_calls[(name, mode)].append(outcome[4] - outcome[5])
            details[(name, mode)] = outcome[1:4]
        measured = [name for name in functions if name not in errors]
        slowest = max(measured, key=lambda name: statistics.median(samples[(name, "as_is")]), default=None)
        profile = _import_profile(slowest, functions, trees["as_is"], work) if slowest else {}
    result: dict[str, Any] = {
        "runs": done,
        "runs_planned": runs,
        "concurrent_samples": workers,
        "modes": list(trees),
        "functions": {},
    }
    for name in targets:
        row: dict[str, Any] = {"dir": targets[name]}
        if name in errors:
            result["functions"][name] = {**row, "error": errors[name]}
            continue
        for mode in trees:
            median = statistics.median(samples[(name, mode)])
            base = statistics.median(samples[(BASELINE, mode)])
            modules, missing_project, missing_deps = details[(name, mode)]
            row[mode] = {
                "median_ms": round(median, 1),
                "delta_ms": round(median - base, 1),
                "samples_ms": [round(s, 1) for s in samples[(name, mode)]],
                "modules_loaded": int(modules),
                "without_bytecode": {"project": int(missing_project), "dependencies": int(missing_deps)},
            }
            if name in events:
                row[mode]["first_call_extra_ms"] = round(statistics.median(first_calls[(name, mode)]), 1)
        result["functions"][name] = row
    result["import_profile"] = profile
    result["seconds"] = round(time.perf_counter() - started, 1)
    return result


def _prepare(work: Path, layer: Path, extra_env: dict[str, str]) -> dict[str, tuple[Path, Path, dict[str, str]]]:
    (work / "cwd").mkdir()
    for root in ("src", "pre"):
        (work / root / "hello").mkdir(parents=True)
        (work / root / "hello" / "app.py").write_text(HELLO)
    ignore = shutil.ignore_patterns("__pycache__", "*.pyc")
    shutil.copytree(ROOT / "functions", work / "pre", dirs_exist_ok=True, ignore=ignore)
    shutil.copytree(layer, work / "pre" / "layer", ignore=ignore)
    subprocess.run(
        [sys.executable, "-m", "compileall", "-q", "--invalidation-mode", "unchecked-hash", str(work / "pre")],
        check=True,
    )
    base = {key: value for key, value in os.environ.items() if not key.startswith("PYTHON")}
    base.update(extra_env, PYTHONUNBUFFERED="1")
    return {
        "as_is": (ROOT / "functions", layer, {**base, "PYTHONDONTWRITEBYTECODE": "1"}),
        "precompiled": (work / "pre", work / "pre" / "layer", base),
    }


def _sample(code_dir: Path, layer: Path, env: dict[str, str], cwd: Path, event: str | None) -> tuple[float, ...]:
    done = subprocess.run(
        [sys.executable, "-P", "-c", CHILD, str(code_dir), str(layer), *([event] if event else [])],
        env=env,
        cwd=cwd,
        capture_output=True,
        text=True,
        check=True,
    )
    (line,) = [line for line in done.stderr.splitlines() if line.startswith("BENCH-RESULT ")][-1:]
    return tuple(float(value) for value in line.split()[1:])


@contextmanager
def _database(template: Template) -> Iterator[dict[str, str]]:
    """An embedded moto server with the template's table, for the children's first calls."""
    from localapi import database

    server = database.EmbeddedDynamoDB()
    endpoint = server.start()
    try:
        env = {
            "AWS_ACCESS_KEY_ID": "bench",
            "AWS_SECRET_ACCESS_KEY": "bench",
            "AWS_REGION": "us-east-1",
            "AWS_DEFAULT_REGION": "us-east-1",
            "DYNAMODB_ENDPOINT": endpoint,
            "TABLE_NAME": "conduit-cold",
            "JWT_SECRET": "bench-cold-secret-bench-cold-secret-bench-cold",
        }
        for key in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_REGION", "AWS_DEFAULT_REGION"):
            os.environ.setdefault(key, env[key])  # for this process's client that creates the table
        database.create_tables(template, endpoint, dict.fromkeys(template.tables(), "conduit-cold"))
        yield env
    finally:
        server.stop()


def _events(template: Template, secret: str) -> dict[str, str]:
    """One request per function: a token of a user that does not exist, `{}` for writes, "x" for path parameters."""
    import jwt

    from localapi.events import build_event

    now = int(time.time())
    token = jwt.encode({"sub": "nobody", "role": "user", "iat": now, "exp": now + 3600}, secret, algorithm="HS256")
    events = {}
    for route in template.routes():
        path = re.sub(r"\{(\w+)\}", "x", route.path)
        body = b"{}" if route.method in ("POST", "PUT") else b""
        headers = [("authorization", f"Token {token}"), ("content-type", "application/json"), ("host", "cold.local")]
        event = build_event(
            route,
            method=route.method,
            raw_path=path,
            raw_query="",
            headers=headers,
            body=body,
            source_ip="127.0.0.1",
            path_params=dict.fromkeys(re.findall(r"\{(\w+)\}", route.path), "x"),
        )
        events.setdefault(route.function, json.dumps(event))
    return events


def _import_profile(name: str, functions: dict[str, str], as_is: tuple[Path, Path, dict[str, str]], work: Path) -> dict:
    """`-X importtime` of the slowest function: self time summed per top-level package."""
    functions_root, layer, env = as_is
    done = subprocess.run(
        [sys.executable, "-P", "-X", "importtime", "-c", CHILD, str(functions_root / functions[name]), str(layer)],
        env=env,
        cwd=work / "cwd",
        capture_output=True,
        text=True,
        check=False,
    )
    per_package: dict[str, float] = defaultdict(float)
    for line in done.stderr.splitlines():
        if not line.startswith("import time:") or "self [us]" in line:
            continue
        self_us, _, module = line.removeprefix("import time:").split("|")
        per_package[module.strip().split(".")[0]] += int(self_us) / 1000
    top = sorted(per_package.items(), key=lambda kv: kv[1], reverse=True)[:12]
    return {"function": name, "self_ms_by_package": {package: round(ms, 1) for package, ms in top}}
