"""The people services (and the guard) reach storage through conduit.ports only: nothing of conduit.store
but its ids, so their unit tests run against the in-memory fakes and never touch DynamoDB."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

LAYER = Path(__file__).resolve().parents[3] / "layers" / "conduit" / "conduit"
MODULES = ["services/users.py", "services/admin.py", "services/password_reset.py", "services/email_verification.py"]
ALLOWED = {"conduit.store.ids"}


def store_imports(path: Path) -> set[str]:
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.ImportFrom) and node.module == "conduit.store":  # from conduit.store import ops
            found.update(f"conduit.store.{alias.name}" for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and (node.module or "").startswith("conduit.store."):
            found.add(str(node.module))
        elif isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names if alias.name.startswith("conduit.store"))
    return found


@pytest.mark.parametrize("module", [*MODULES, "security/guard.py"])
def test_storage_only_through_the_ports(module: str) -> None:
    assert store_imports(LAYER / module) - ALLOWED == set()


def test_the_check_sees_every_form_of_store_import() -> None:
    assert store_imports(LAYER / "store" / "resets.py") == {
        "conduit.store.keys",
        "conduit.store.users",
        "conduit.store.pending_tokens",
    }
