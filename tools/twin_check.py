"""The import check of the twin build: every function, in a fresh `python3.13 -I -S` whose sys.path is
exactly [function dir, layers' python/, runtime dir] + the standard library, must import its handler, every
module of the layers' own packages, every import statement in them and in its own files (lazy ones too)
and its requirements' modules (tools/twin_probe.py runs inside that interpreter)."""

from __future__ import annotations

import json
import subprocess
from collections.abc import Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from localapi import template as cfn
from tools.twin_files import requirement_modules, source_files

ROOT = cfn.ROOT
PROBE = Path(__file__).resolve().parent / "twin_probe.py"
MARKER = "TWIN-PROBE "  # the probe's report line


@dataclass(frozen=True)
class Target:
    """What the check imports for one function, and with which sys.path."""

    name: str
    path: tuple[Path, ...]  # function dir, layers' python/, runtime dir
    handler: str
    files: tuple[str, ...] = ()  # the function's own .py files, relative to its directory
    packages: tuple[str, ...] = ()  # the layers' own packages (walked module by module)
    modules: tuple[str, ...] = ()  # top-level modules of the layers' and the function's requirements
    env: Mapping[str, str] = field(default_factory=dict)
    exclude: tuple[str, ...] = ()  # subpackages needing a layer this function does not have


# Code of the shared layer that runs only with another layer's packages: checked only in the functions
# that have that layer (conduit/graphql needs GraphqlLayer's Strawberry).
NEEDS_LAYER = {"conduit.graphql": "GraphqlLayer"}


def layer_ids(tpl: cfn.Template, function: str) -> list[str]:
    """The function's layers as SAM resolves them: Globals' then its own, each a !Ref to a LayerVersion."""
    props = tpl.functions()[function]
    globals_fn = tpl.raw.get("Globals", {}).get("Function", {})
    ids = []
    for layer in [*(globals_fn.get("Layers") or []), *(props.get("Layers") or [])]:
        ref = layer.get("Ref") if isinstance(layer, dict) else None
        if tpl.resources.get(ref, {}).get("Type") != "AWS::Serverless::LayerVersion":
            raise ValueError(f"{function}: layer {layer!r} is not a !Ref to a layer of this template")
        ids.append(ref)
    return ids


def targets(tpl: cfn.Template, build_dir: Path, runtime_dir: Path) -> tuple[list[Target], list[str]]:
    """What to import for every function, and the requirements missing from what was built."""
    globals_fn = tpl.raw.get("Globals", {}).get("Function", {})
    refs = {name: str(p.get("Default", name)) for name, p in (tpl.raw.get("Parameters") or {}).items()}
    refs.update({name: name for name in tpl.resources if name not in refs})
    found, missing = [], []
    for name, props in tpl.functions().items():
        code, built = ROOT / props["CodeUri"], build_dir / name
        path, packages, modules = [built], [], []
        for layer in layer_ids(tpl, name):
            content = ROOT / tpl.resources[layer]["Properties"]["ContentUri"]
            site = build_dir / layer / "python"
            path.append(site)
            packages += sorted(d.name for d in content.iterdir() if (d / "__init__.py").is_file())
            for file in ("requirements.txt", "requirements-no-deps.txt"):
                listed, absent = requirement_modules(content / file, site)
                modules += listed
                missing += [f"{layer}: {r} ({relative(content)}/{file}) is not in {site}" for r in absent]
        listed, absent = requirement_modules(code / "requirements.txt", built)
        modules += listed
        missing += [f"{name}: {r} ({relative(code)}/requirements.txt) is not in {built}" for r in absent]
        env = tpl.environment(name, refs) | {
            "AWS_REGION": "us-east-1",
            "AWS_DEFAULT_REGION": "us-east-1",
            "AWS_EXECUTION_ENV": "AWS_Lambda_python3.13",
            "AWS_LAMBDA_FUNCTION_NAME": name,
            "LAMBDA_TASK_ROOT": str(built),
            "PATH": "/usr/bin:/bin",
        }
        files = tuple(p.relative_to(code).as_posix() for p in source_files(code) if p.suffix == ".py")
        handler = props.get("Handler", globals_fn.get("Handler", "app.handler"))
        layers = set(layer_ids(tpl, name))
        exclude = tuple(
            package for package, layer in NEEDS_LAYER.items() if layer in tpl.resources and layer not in layers
        )
        found.append(
            Target(
                name, (*path, runtime_dir), handler, files, tuple(dict.fromkeys(packages)), tuple(modules), env, exclude
            )
        )
    return found, sorted(set(missing))


def probe(target: Target, python: str, timeout: float = 300) -> tuple[list[str], dict[str, str]]:
    """Runs tools/twin_probe.py for one function: (problems, where boto3/botocore came from)."""
    spec = {
        "path": [str(p) for p in target.path],
        "handler": target.handler,
        "files": list(target.files),
        "packages": list(target.packages),
        "modules": list(target.modules),
        "exclude": list(target.exclude),
    }
    # -B: nothing written next to the code, as on Lambda's read-only file system
    command = [python, "-I", "-S", "-B", "-c", PROBE.read_text(encoding="utf-8"), json.dumps(spec)]
    try:
        done = subprocess.run(command, env=dict(target.env), capture_output=True, text=True, timeout=timeout)
    except subprocess.TimeoutExpired:
        return [f"{target.name}: the import check did not finish in {timeout:.0f} s"], {}
    reports = [line[len(MARKER) :] for line in done.stdout.splitlines() if line.startswith(MARKER)]
    if done.returncode != 0 or not reports:
        tail = "\n    ".join((done.stdout + done.stderr).strip().splitlines()[-20:])
        return [f"{target.name}: the import check crashed ({done.returncode}):\n    {tail}"], {}
    report = json.loads(reports[-1])
    problems = [
        f"{target.name}: cannot import {p['module']!r} ({p['where']}): {p['error']}" for p in report["problems"]
    ]
    return problems, report["origins"]


def check(found: Sequence[Target], python: str, jobs: int = 2) -> tuple[list[str], dict[str, dict[str, str]]]:
    """Every function's import check (in parallel): (all problems, origins of boto3/botocore per function)."""
    with ThreadPoolExecutor(max_workers=max(1, jobs)) as pool:
        results = list(pool.map(lambda target: probe(target, python), found))
    problems = [problem for result, _ in results for problem in result]
    return problems, {target.name: origins for target, (_, origins) in zip(found, results, strict=True)}


def grouped(problems: Sequence[str]) -> list[str]:
    """One entry per problem with the functions that have it (a layer's fault is everyone's)."""
    functions: dict[str, list[str]] = {}
    for line in problems:
        name, _, problem = line.partition(": ")
        functions.setdefault(problem, []).append(name)
    return [f"{problem}\n    in {', '.join(names)} ({len(names)})" for problem, names in functions.items()]


def relative(path: Path) -> str:
    return path.relative_to(ROOT).as_posix() if path.is_relative_to(ROOT) else str(path)
