"""Services reach storage only through their ports (issue 15): every service module imports nothing of
conduit.store but its id helpers, so an in-memory fake can stand in for all of their storage."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

LAYER = Path(__file__).resolve().parents[2] / "layers" / "conduit" / "conduit"
# Every service, the GraphQL layer and the authorization guard: the whole of what a request's logic is.
THROUGH_PORTS = sorted(
    str(path.relative_to(LAYER))
    for pattern in ("services/*.py", "graphql/*.py", "security/guard.py")
    for path in LAYER.glob(pattern)
)
ALLOWED = {"conduit.store.ids"}


def _store_imports(path: Path) -> set[str]:
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.ImportFrom) and node.module:
            names = [node.module] if node.module != "conduit.store" else [f"conduit.store.{a.name}" for a in node.names]
            found |= {name for name in names if name.startswith("conduit.store")}
        elif isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names if alias.name.startswith("conduit.store")}
    return found


@pytest.mark.parametrize("module", THROUGH_PORTS)
def test_a_service_imports_no_store_module(module: str) -> None:
    assert _store_imports(LAYER / module) - ALLOWED == set()


def test_every_service_module_is_checked() -> None:
    assert {"services/articles.py", "services/accounts.py", "services/users.py", "security/guard.py"} <= set(
        THROUGH_PORTS
    )
    assert len([m for m in THROUGH_PORTS if m.startswith("services/")]) >= 15


def test_the_check_sees_store_imports(tmp_path: Path) -> None:
    sample = tmp_path / "m.py"
    sample.write_text(
        "from conduit.store import ops, ids\nimport conduit.store.keys\nfrom conduit.store.ids import new_id\n"
    )
    assert _store_imports(sample) == {"conduit.store.ops", "conduit.store.ids", "conduit.store.keys"}


# Pure modules with no storage, unit-tested beside the layer's other pure code; views are built in every
# service test above (their shapes are the API's contract, checked over HTTP and by the apidocs drift test).
PURE = {"paging": "tests/unit/test_paging.py", "slugs": "tests/unit/test_slugs.py", "views": None}


def test_every_service_module_has_unit_tests_on_the_fakes() -> None:
    root = LAYER.parents[2]
    for path in sorted((LAYER / "services").glob("*.py")):
        name = path.stem
        if name == "__init__":
            continue
        if name in PURE:
            assert PURE[name] is None or (root / str(PURE[name])).exists(), name
            continue
        assert (root / "tests" / "unit" / "services" / f"test_{name}.py").exists(), (
            f"services/{name}.py has no unit tests"
        )


def test_every_port_has_a_fake_that_mypy_checks_against_its_protocol() -> None:
    from tests.unit.fakes.conformance import fakes

    ports = {path.stem for path in (LAYER / "ports").glob("*.py")} - {"__init__"}
    assert set(fakes()) == ports
