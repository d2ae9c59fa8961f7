"""The twin of `sam build` for this machine's architecture (x86_64 here; the stack itself is arm64).

Same requirements, same layout as `sam build`, wheels for the machine that runs the tests, so that the
local runtime can serve the RealWorld suites from the built directories only, with the SDK that the
Lambda python3.13 runtime provides instead of the dev virtualenv's:

    .aws-sam/build-x86_64/<FunctionLogicalId>/    the function's CodeUri + its own requirements.txt installed
    .aws-sam/build-x86_64/ConduitLayer/python/    the layer: layers/conduit/Makefile with WHEEL_ARCH=x86_64
    .aws-sam/build-x86_64/twin.json               per function: its handler and its sys.path
    .aws-sam/lambda-runtime-x86_64/               boto3/botocore as the runtime ships them (pinned by
                                                  tools/requirements-lambda-runtime.txt)

A function's sys.path, in Lambda's order: its directory, its layers' python/, the runtime directory, then
the standard library. The check step imports, for every function, in a fresh `python3.13 -I -S` with
exactly that path, the handler, every module of the layer's own packages, every import statement in them
(lazy ones included) and every requirement's top-level modules (tools/twin_check.py); any failure fails.

Incremental: an artifact is rebuilt only when its inputs change (its source files, requirements, the
interpreter and the wheel platform: hashed per artifact into .aws-sam/build-x86_64.state.json), and the
check reruns only when an artifact, template.yaml or the check's code changed. Run it as `scripts/build-twin`
(finds python3.13); `--force` rebuilds and rechecks everything.
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from localapi import template as cfn
from tools.twin_check import PROBE, Target, check, grouped, relative, targets
from tools.twin_files import NOT_INPUTS, fingerprint, mib, runtime_shadows, size, source_files

ROOT = cfn.ROOT
TOOLS = Path(__file__).resolve().parent
RUNTIME_REQUIREMENTS = TOOLS / "requirements-lambda-runtime.txt"
PYTHON_VERSION = "3.13"  # the template's Runtime, python3.13


class BuildError(Exception):
    """A step of the build failed; the message says which and why."""


@dataclass(frozen=True)
class Interpreter:
    """The python3.13 that builds (pip, compileall) and runs the check."""

    executable: str
    version: str  # e.g. 3.13.0
    arch: str  # platform.machine(): the wheels' architecture

    @classmethod
    def of(cls, executable: str) -> Interpreter:
        code = "import platform, sys; print(platform.machine()); print(sys.version.split()[0])"
        out = _run([executable, "-I", "-c", code]).split()
        if not out[1].startswith(PYTHON_VERSION + "."):
            raise BuildError(f"{executable} is Python {out[1]}, not {PYTHON_VERSION}")
        return cls(executable, out[1], out[0])

    def pip_install(self, target: Path) -> list[str]:
        """pip installing wheels for Lambda's CPython 3.13 on this architecture, as the layer's Makefile does."""
        return [
            *(self.executable, "-m", "pip", "install", "--quiet", "--no-compile", "--disable-pip-version-check"),
            *("--target", str(target), "--implementation", "cp", "--python-version", PYTHON_VERSION),
            *("--only-binary=:all:", "--platform", f"manylinux2014_{self.arch}"),
            *("--platform", f"manylinux_2_28_{self.arch}"),
        ]


@dataclass
class Artifact:
    name: str  # a logical id of template.yaml, or the runtime directory's name
    directory: Path
    inputs: list[Path]  # files whose bytes (and paths under `base`) decide the build
    base: Path
    recipe: tuple[str, ...]  # everything else that decides it: how it is built, for what
    build: Callable[[], None] = field(repr=False)

    def key(self) -> str:
        return fingerprint(self.inputs, self.base, *self.recipe)


def _run(command: Sequence[str], cwd: Path | None = None) -> str:
    done = subprocess.run(command, cwd=cwd, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        output = (done.stdout + done.stderr).strip().splitlines()
        raise BuildError(f"`{' '.join(command)}` failed ({done.returncode}):\n  " + "\n  ".join(output[-40:]))
    return done.stdout


def _fresh(directory: Path) -> None:
    if directory.exists():
        shutil.rmtree(directory)


def plan(tpl: cfn.Template, python: Interpreter, build_dir: Path, runtime_dir: Path) -> list[Artifact]:
    """Every artifact to build: the runtime's SDK, the layers, the functions (all from template.yaml)."""
    platform = (python.version, python.arch, PYTHON_VERSION)
    artifacts = [
        Artifact(
            runtime_dir.name,
            runtime_dir,
            [RUNTIME_REQUIREMENTS],
            RUNTIME_REQUIREMENTS.parent,
            ("runtime", *platform),
            lambda: _runtime(python, runtime_dir, RUNTIME_REQUIREMENTS),
        )
    ]
    for name, resource in tpl.resources.items():
        if resource.get("Type") != "AWS::Serverless::LayerVersion":
            continue
        method = (resource.get("Metadata") or {}).get("BuildMethod")
        if method != "makefile":
            raise BuildError(f"{name}: BuildMethod {method!r}; the twin builds makefile layers only")
        content = ROOT / resource["Properties"]["ContentUri"]
        target = build_dir / name
        recipe = ("layer", name, resource["Properties"]["ContentUri"], *platform)
        builder = _layer_builder(python, content, name, target)
        artifacts.append(Artifact(name, target, source_files(content), content, recipe, builder))
    for name, props in tpl.functions().items():
        code = ROOT / props["CodeUri"]
        target = build_dir / name
        recipe = ("function", name, props["CodeUri"], *platform)
        builder = _function_builder(python, code, target)
        artifacts.append(Artifact(name, target, source_files(code), code, recipe, builder))
    return artifacts


def _runtime(python: Interpreter, target: Path, requirements: Path) -> None:
    """The SDK, compiled as the layer is (a managed runtime ships its bytecode; nothing is written at import)."""
    _fresh(target)
    _run([*python.pip_install(target), "-r", str(requirements)])
    _run([python.executable, "-m", "compileall", "-q", "-j", "0", "--invalidation-mode", "unchecked-hash", str(target)])


def _layer_builder(python: Interpreter, content: Path, name: str, target: Path) -> Callable[[], None]:
    def build() -> None:
        _fresh(target)
        make = [f"build-{name}", f"ARTIFACTS_DIR={target}", f"PYTHON={python.executable}", f"WHEEL_ARCH={python.arch}"]
        _run(["make", "--no-print-directory", "-C", str(content), *make])

    return build


def _function_builder(python: Interpreter, code: Path, target: Path) -> Callable[[], None]:
    def build() -> None:
        _fresh(target)
        shutil.copytree(code, target, ignore=shutil.ignore_patterns(*NOT_INPUTS, "*.pyc"))
        if (code / "requirements.txt").is_file():
            _run([*python.pip_install(target), "-r", str(code / "requirements.txt")])

    return build


def _load_state(path: Path) -> dict[str, Any]:
    try:
        state = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {"artifacts": {}}
    return state if isinstance(state.get("artifacts"), dict) else {"artifacts": {}}


def _save_state(path: Path, state: dict[str, Any]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_suffix(".tmp")
    partial.write_text(json.dumps(state, indent=1, sort_keys=True), encoding="utf-8")
    partial.replace(path)


def _prune(build_dir: Path, keep: set[str]) -> list[str]:
    """Removes directories of functions or layers no longer in the template."""
    if not build_dir.is_dir():
        return []
    stale = sorted(d.name for d in build_dir.iterdir() if d.is_dir() and d.name not in keep)
    for name in stale:
        shutil.rmtree(build_dir / name)
    return stale


def _manifest(found: Sequence[Target], python: Interpreter, runtime_dir: Path) -> dict[str, Any]:
    return {
        "architecture": python.arch,
        "python": python.version,
        "runtime": relative(runtime_dir),
        "functions": {t.name: {"handler": t.handler, "sys_path": [relative(p) for p in t.path]} for t in found},
    }


def build(artifacts: Sequence[Artifact], build_dir: Path, state_file: Path, force: bool = False) -> dict[str, Any]:
    """Builds the artifacts whose key changed (or whose directory is gone); returns the state kept in `state_file`."""
    state = {"artifacts": {}} if force else _load_state(state_file)
    built, unchanged = [], []
    for artifact in artifacts:
        key = artifact.key()
        if state["artifacts"].get(artifact.name) == key and artifact.directory.is_dir():
            unchanged.append(artifact.name)
            continue
        started = time.monotonic()
        state["artifacts"].pop(artifact.name, None)
        state.pop("check", None)
        _save_state(state_file, state)  # a build interrupted from here on leaves no stamp: it is redone
        artifact.build()
        state["artifacts"][artifact.name] = key
        _save_state(state_file, state)
        built.append(artifact.name)
        print(f"   built {relative(artifact.directory)} ({time.monotonic() - started:.0f}s)", flush=True)
    stale = _prune(build_dir, {a.directory.name for a in artifacts if a.directory.parent == build_dir})
    state["artifacts"] = {a.name: state["artifacts"][a.name] for a in artifacts}
    _save_state(state_file, state)
    print(f"   {len(built)} built, {len(unchanged)} unchanged" + (f", removed {', '.join(stale)}" if stale else ""))
    return state


def report_sizes(tpl: cfn.Template, build_dir: Path, runtime_dir: Path) -> None:
    layers = [name for name, r in tpl.resources.items() if r.get("Type") == "AWS::Serverless::LayerVersion"]
    functions = {name: size(build_dir / name) for name in tpl.functions()}
    largest = max(functions, key=functions.__getitem__)
    for layer in layers:
        print(f"   layer {layer}: {mib(size(build_dir / layer))}")
        for line in runtime_shadows(build_dir / layer / "python", runtime_dir):
            print(f"     ships {line}")
    print(f"   {len(functions)} functions, largest {largest} {mib(functions[largest])}")
    print(f"   runtime SDK {relative(runtime_dir)}: {mib(size(runtime_dir))}")


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="scripts/build-twin", description=__doc__.split("\n\n")[0])
    parser.add_argument("--python", required=True, help="a python3.13 with pip (scripts/build-twin finds one)")
    parser.add_argument("--force", action="store_true", help="rebuild and recheck everything")
    parser.add_argument("--no-check", action="store_true", help="build only")
    parser.add_argument("--jobs", type=int, default=2, help="functions checked at once (default 2)")
    args = parser.parse_args(argv)
    started = time.monotonic()
    try:
        python = Interpreter.of(args.python)
        build_dir = ROOT / ".aws-sam" / f"build-{python.arch}"
        runtime_dir = ROOT / ".aws-sam" / f"lambda-runtime-{python.arch}"
        state_file = build_dir.with_name(build_dir.name + ".state.json")
        print(f"-- build-twin: {python.executable} (Python {python.version}), wheels for {python.arch}", flush=True)
        tpl = cfn.load()
        state = build(plan(tpl, python, build_dir, runtime_dir), build_dir, state_file, args.force)
        found, missing = targets(tpl, build_dir, runtime_dir)
        (build_dir / "twin.json").write_text(json.dumps(_manifest(found, python, runtime_dir), indent=1) + "\n")
        report_sizes(tpl, build_dir, runtime_dir)
    except (BuildError, ValueError) as error:  # ValueError: a template the twin cannot build
        print(f"build-twin: {error}", file=sys.stderr)
        return 1
    if args.no_check:
        return 0
    if missing:
        print("build-twin: requirements missing from the build:\n  " + "\n  ".join(missing), file=sys.stderr)
        return 1
    keys = sorted(f"{name}={key}" for name, key in state["artifacts"].items())
    code = [ROOT / "template.yaml", PROBE, TOOLS / "twin_check.py", TOOLS / "twin_files.py"]
    checked = fingerprint(code, ROOT, python.version, *keys)
    if state.get("check") == checked:
        print(f"-- import check: unchanged since it last passed ({time.monotonic() - started:.0f}s in all)")
        return 0
    t = time.monotonic()
    print(f"-- import check: {len(found)} functions, each in `python -I -S` on [function, layer, runtime]", flush=True)
    problems, origins = check(found, python.executable, args.jobs)
    if problems:
        print("build-twin: the built functions do not import:\n  " + "\n  ".join(grouped(problems)), file=sys.stderr)
        return 1
    state["check"] = checked
    _save_state(state_file, state)
    sources = sorted({f"{name} from {relative(Path(root))}" for o in origins.values() for name, root in o.items()})
    print(f"   passed ({time.monotonic() - t:.0f}s); {'; '.join(sources) or 'no boto3/botocore imported'}")
    print(f"-- build-twin done in {time.monotonic() - started:.0f}s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
