"""Services reach storage only through their ports (issue 15): the converted modules import nothing of
conduit.store but its id helpers, so an in-memory fake can stand in for all of their storage."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

LAYER = Path(__file__).resolve().parents[2] / "layers" / "conduit" / "conduit"
THROUGH_PORTS = [
    "services/articles.py",
    "services/comments.py",
    "services/profiles.py",
    "services/relations.py",
    "services/tags.py",
    "graphql/loaders.py",
]
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
def test_a_converted_module_imports_no_store_module(module: str) -> None:
    assert _store_imports(LAYER / module) - ALLOWED == set()


def test_the_check_sees_store_imports(tmp_path: Path) -> None:
    sample = tmp_path / "m.py"
    sample.write_text(
        "from conduit.store import ops, ids\nimport conduit.store.keys\nfrom conduit.store.ids import new_id\n"
    )
    assert _store_imports(sample) == {"conduit.store.ops", "conduit.store.ids", "conduit.store.keys"}
