"""The layer ships nothing twice: no botocore/boto3 of its own (Lambda's python3.13 runtime has them, and a
layer copy would shadow the runtime's), and the packages installed without their dependencies get them
from the runtime, at versions they accept."""

from __future__ import annotations

import re
import subprocess
from importlib.metadata import PackageNotFoundError, distribution
from pathlib import Path

from packaging.requirements import Requirement
from packaging.version import Version

ROOT = Path(__file__).resolve().parents[2]
LAYER = ROOT / "layers" / "conduit"
RUNTIME_SDK = {"boto3", "botocore", "s3transfer"}


def pinned(path: Path) -> dict[str, str]:
    found = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        line = line.split("#", 1)[0].strip()
        if line:
            requirement = Requirement(line)
            (spec,) = requirement.specifier
            found[_norm(requirement.name)] = spec.version
    return found


def _norm(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def closure(names: list[str]) -> set[str]:
    """Every distribution `names` bring in, by the installed metadata (the dev venv pins the same versions)."""
    seen: set[str] = set()
    todo = [(name, frozenset()) for name in names]
    while todo:
        name, extras = todo.pop()
        if name in seen:
            continue
        seen.add(name)
        try:
            requires = distribution(name).requires or []
        except PackageNotFoundError:
            continue
        for line in requires:
            requirement = Requirement(line)
            env = [{"extra": extra} for extra in extras] or [{"extra": ""}]
            if requirement.marker is None or any(requirement.marker.evaluate(e) for e in env):
                todo.append((_norm(requirement.name), frozenset(requirement.extras)))
    return seen


def test_the_layer_requirements_bring_no_botocore():
    listed = [_norm(Requirement(r).name) for r in _lines(LAYER / "requirements.txt")]
    assert not closure(listed) & RUNTIME_SDK


def test_packages_installed_without_dependencies_find_them_in_the_runtime_at_a_version_they_accept():
    runtime = pinned(ROOT / "tools" / "requirements-lambda-runtime.txt")
    no_deps = pinned(LAYER / "requirements-no-deps.txt")
    layer = closure([_norm(Requirement(r).name) for r in _lines(LAYER / "requirements.txt")])
    assert "aws-xray-sdk" in no_deps
    for name in no_deps:
        for line in distribution(name).requires or []:
            requirement = Requirement(line)
            if requirement.marker is not None and not requirement.marker.evaluate({"extra": ""}):
                continue
            dep = _norm(requirement.name)
            if dep in runtime:
                assert requirement.specifier.contains(Version(runtime[dep])), f"{name} needs {requirement}"
            else:
                assert dep in no_deps or dep in layer, f"{name} needs {dep}: list it in requirements-no-deps.txt"


def test_the_graphql_layer_lists_its_whole_closure_and_nothing_the_shared_layer_or_runtime_has():
    runtime = pinned(ROOT / "tools" / "requirements-lambda-runtime.txt")
    graphql = pinned(ROOT / "layers" / "graphql" / "requirements.txt")
    shared = closure([_norm(Requirement(r).name) for r in _lines(LAYER / "requirements.txt")])
    assert not graphql.keys() & (shared | runtime.keys()), "shipped twice"
    assert not closure(list(graphql)) & RUNTIME_SDK
    wanted = {"strawberry-graphql", "mangum", "starlette", "python-multipart"}  # the [asgi] extra
    for name in closure(sorted(wanted)):
        assert name in graphql or name in shared or name in runtime, f"{name} is in no layer"
    for name, version in graphql.items():
        assert distribution(name).version == version, f"{name}: the dev venv tests another version"
    assert "strawberry-graphql" not in shared


def test_the_makefile_installs_them_without_dependencies():
    dry = subprocess.run(
        ["make", "-n", "-C", str(LAYER), "build-ConduitLayer", "ARTIFACTS_DIR=/nowhere"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    (line,) = [line for line in dry.replace("\\\n", " ").splitlines() if "requirements-no-deps.txt" in line]
    assert "--no-deps" in line
    graphql = subprocess.run(
        ["make", "-n", "-C", str(ROOT / "layers" / "graphql"), "build-GraphqlLayer", "ARTIFACTS_DIR=/nowhere"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert "--no-deps" in graphql and "--invalidation-mode unchecked-hash" in graphql


def _lines(path: Path) -> list[str]:
    return [line.split("#", 1)[0].strip() for line in path.read_text().splitlines() if line.split("#", 1)[0].strip()]
