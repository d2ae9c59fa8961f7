"""The x86_64 twin of `sam build` (scripts/build-twin, tools/twin_*.py): its import check, its
incremental rebuild and its layout, on tiny fake layers and functions made here (no pip, no network).
The real build is run by scripts/build-twin itself."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from localapi import template as cfn
from tools import twin_build, twin_check, twin_files
from tools.twin_build import Artifact
from tools.twin_check import Target

ROOT = twin_build.ROOT


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


@pytest.fixture
def dirs(tmp_path: Path) -> dict[str, Path]:
    """A function dir, a layer's python/ with a `conduit` package, and a runtime dir with a fake botocore."""
    function, layer, runtime = tmp_path / "Fn", tmp_path / "Layer" / "python", tmp_path / "runtime"
    write(function / "app.py", "from conduit import tokens\n\n\ndef handler(event, context=None):\n    return tokens\n")
    write(layer / "conduit" / "__init__.py", "")
    write(layer / "conduit" / "tokens.py", "def decode():\n    import botocore\n    return botocore\n")
    write(runtime / "botocore" / "__init__.py", "")
    return {"function": function, "layer": layer, "runtime": runtime}


def target(dirs: dict[str, Path], handler: str = "app.handler") -> Target:
    path = (dirs["function"], dirs["layer"], dirs["runtime"])
    return Target("FakeFunction", path, handler, files=("app.py",), packages=("conduit",))


def run_check(dirs: dict[str, Path], handler: str = "app.handler") -> tuple[list[str], dict]:
    # Any interpreter will do: the check runs it with -I -S, so only its standard library is seen.
    return twin_check.check([target(dirs, handler)], sys.executable)


def test_a_function_whose_layer_has_everything_passes_and_botocore_comes_from_the_runtime(dirs):
    problems, origins = run_check(dirs)
    assert problems == []
    assert origins == {"FakeFunction": {"botocore": str(dirs["runtime"].resolve())}}


def test_a_package_missing_from_the_layer_fails_naming_the_function_and_the_module(dirs):
    write(dirs["layer"] / "conduit" / "tokens.py", "def decode():\n    import jwt_not_in_the_layer\n")
    problems, _ = run_check(dirs)
    assert len(problems) == 1
    assert problems[0].startswith("FakeFunction: cannot import 'jwt_not_in_the_layer'")
    assert "conduit/tokens.py:2" in problems[0] and "ModuleNotFoundError" in problems[0]


def test_what_the_dev_virtualenv_has_does_not_count(dirs):
    """PyYAML is installed in the venv running this test, but not in the fake layer: the check must fail."""
    write(dirs["layer"] / "conduit" / "tokens.py", "def decode():\n    import yaml\n")
    problems, _ = run_check(dirs)
    assert [p.split(" (")[0] for p in problems] == ["FakeFunction: cannot import 'yaml'"]


def test_a_module_no_handler_imports_is_checked_too(dirs):
    write(dirs["layer"] / "conduit" / "admin" / "__init__.py", "")
    write(dirs["layer"] / "conduit" / "admin" / "roles.py", "import missing_at_top_level\n")
    problems, _ = run_check(dirs)
    assert len(problems) == 1
    assert "'missing_at_top_level' (module conduit.admin.roles)" in problems[0]


def test_optional_and_type_checking_imports_are_not_required(dirs):
    write(
        dirs["layer"] / "conduit" / "tokens.py",
        "from typing import TYPE_CHECKING\n"
        "if TYPE_CHECKING:\n    import stubs_only\n"
        "try:\n    import optional_speedup\nexcept ImportError:\n    optional_speedup = None\n",
    )
    assert run_check(dirs)[0] == []


def test_a_handler_that_is_not_there_fails(dirs):
    problems, _ = run_check(dirs, handler="app.no_such_handler")
    assert len(problems) == 1 and "handler app.no_such_handler" in problems[0] and "AttributeError" in problems[0]


def test_the_layer_comes_before_the_runtime_on_the_path(dirs):
    write(dirs["layer"] / "botocore" / "__init__.py", "")
    assert run_check(dirs)[1] == {"FakeFunction": {"botocore": str(dirs["layer"].resolve())}}


def test_requirements_map_to_the_modules_they_install(tmp_path):
    site = tmp_path / "site"
    write(site / "Foo_Bar-1.0.dist-info" / "METADATA", "Metadata-Version: 2.1\nName: Foo_Bar\nVersion: 1.0\n")
    write(site / "Foo_Bar-1.0.dist-info" / "top_level.txt", "foo\n")
    write(site / "baz-2.0.dist-info" / "METADATA", "Name: baz\nVersion: 2.0\n")
    write(site / "baz-2.0.dist-info" / "RECORD", "baz/__init__.py,,\n_baz_ext.so,,\nbaz-2.0.dist-info/RECORD,,\n")
    requirements = write(tmp_path / "requirements.txt", "# deps\nfoo-bar==1.0\nbaz[fast]>=2  # why\nabsent==3\n")
    assert twin_files.requirement_modules(requirements, site) == (["foo", "_baz_ext", "baz"], ["absent"])


def test_every_function_gets_its_dir_then_its_layers_then_the_runtime(tmp_path):
    tpl = cfn.load()
    found, missing = twin_check.targets(tpl, tmp_path / "build", tmp_path / "runtime")
    assert {t.name for t in found} == set(tpl.functions())
    graphql = {"GraphqlFunction", "GraphqlGetFunction"}
    for t in found:
        layers = ("ConduitLayer", "GraphqlLayer") if t.name in graphql else ("ConduitLayer",)
        assert t.path == (
            tmp_path / "build" / t.name,
            *(tmp_path / "build" / layer / "python" for layer in layers),
            tmp_path / "runtime",
        )
        assert t.handler == "app.handler" and "app.py" in t.files and t.packages == ("conduit",)
        assert t.env["AWS_LAMBDA_FUNCTION_NAME"] == t.name and t.env["TABLE_NAME"]
        # conduit/graphql needs the GraphQL layer: checked only where the function has it
        assert t.exclude == (() if t.name in graphql else ("conduit.graphql",))
    # Nothing was built into tmp_path: every requirement of the layers and of docs_assets is reported missing.
    layer = [
        *twin_files.requirement_names(ROOT / "layers" / "conduit" / "requirements.txt"),
        *twin_files.requirement_names(ROOT / "layers" / "conduit" / "requirements-no-deps.txt"),
    ]
    assert sum("ConduitLayer:" in line for line in missing) == len(layer)
    graphql_layer = twin_files.requirement_names(ROOT / "layers" / "graphql" / "requirements.txt")
    assert sum("GraphqlLayer:" in line for line in missing) == len(graphql_layer)
    assert any(line.startswith("DocsAssetsFunction: swagger-ui-py") for line in missing)


def test_an_artifact_is_rebuilt_only_when_its_inputs_change(tmp_path):
    source, build_dir = tmp_path / "src", tmp_path / "build"
    write(source / "a.py", "A = 1\n")
    builds: list[str] = []

    def artifact(name: str) -> Artifact:
        def make() -> None:
            builds.append(name)
            (build_dir / name).mkdir(parents=True, exist_ok=True)

        return Artifact(name, build_dir / name, twin_files.source_files(source), source, ("x86_64",), make)

    state_file = tmp_path / "state.json"
    twin_build.build([artifact("One"), artifact("Two")], build_dir, state_file)
    assert builds == ["One", "Two"]
    write(source / "__pycache__" / "a.cpython-313.pyc", "bytecode")  # running the code is no change
    twin_build.build([artifact("One"), artifact("Two")], build_dir, state_file)
    assert builds == ["One", "Two"]
    write(source / "a.py", "A = 2\n")
    twin_build.build([artifact("One")], build_dir, state_file)  # Two left the template: its dir goes too
    assert builds == ["One", "Two", "One"] and not (build_dir / "Two").exists()
    (build_dir / "One").rmdir()
    twin_build.build([artifact("One")], build_dir, state_file)
    assert builds == ["One", "Two", "One", "One"]
    twin_build.build([artifact("One")], build_dir, state_file, force=True)
    assert builds[-1] == "One" and len(builds) == 5


@pytest.mark.parametrize(("override", "arch"), [([], "aarch64"), (["WHEEL_ARCH=x86_64"], "x86_64")])
def test_the_layer_makefile_builds_for_the_architecture_asked(override, arch):
    """`sam build` runs the Makefile as is (arm64); the twin passes WHEEL_ARCH: one recipe, two platforms."""
    layer = ROOT / "layers" / "conduit"
    dry = subprocess.run(
        ["make", "-n", "-C", str(layer), "build-ConduitLayer", "ARTIFACTS_DIR=/nowhere", *override],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert f"--platform manylinux_2_28_{arch} --platform manylinux2014_{arch}" in dry
    assert ({"aarch64", "x86_64"} - {arch}).pop() not in dry
    assert "--invalidation-mode unchecked-hash" in dry


def test_a_fault_shared_by_many_functions_is_reported_once_with_their_names():
    problems = ["A: cannot import 'jwt' (x)", "B: cannot import 'jwt' (x)", "B: cannot import 'argon2' (y)"]
    assert twin_check.grouped(problems) == [
        "cannot import 'jwt' (x)\n    in A, B (2)",
        "cannot import 'argon2' (y)\n    in B (1)",
    ]
