"""conduit.lifecycle: INIT builds what every request needs (in Lambda only); SnapStart hooks refresh
what a snapshot must not share."""

from __future__ import annotations

import os
import random
import subprocess
import sys
import types
from pathlib import Path
from typing import Any

import pytest

from conduit import lifecycle
from conduit.security import keyset
from conduit.store import client as store_client

ROOT = Path(__file__).resolve().parents[2]
LAYER = ROOT / "layers" / "conduit"

CHECK_INIT = """
import sys
sys.path[:0] = [sys.argv[1], sys.argv[2]]
import app
from conduit.store import client
from conduit.security import keyset
built = client.dynamodb.cache_info().currsize, keyset._ssm.cache_info().currsize, "jwt" in sys.modules
print("BUILT", *built)
"""


def _run_in_a_child(script: str, function: str, **env: str) -> str:
    """`script`'s output in a fresh interpreter with sys.argv = [function dir, layer dir]."""
    variables = {key: value for key, value in os.environ.items() if not key.startswith(("AWS_LAMBDA", "JWT_"))}
    variables.update(AWS_ACCESS_KEY_ID="x", AWS_SECRET_ACCESS_KEY="x", AWS_REGION="us-east-1", **env)
    done = subprocess.run(
        [sys.executable, "-P", "-c", script, str(ROOT / "functions" / function), str(LAYER)],
        env=variables,
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    return done.stdout


def _import_in_a_child(function: str, **env: str) -> str:
    output = _run_in_a_child(CHECK_INIT, function, **env)
    return [line for line in output.splitlines() if line.startswith("BUILT")][-1]


def test_in_lambda_the_import_builds_the_client_the_keyset_reader_and_pyjwt():
    assert _import_in_a_child("article_get", AWS_LAMBDA_FUNCTION_NAME="f", JWT_SECRET_PARAMETER="/p") == (
        "BUILT 1 1 True"
    )


def test_outside_lambda_the_import_builds_nothing():
    assert _import_in_a_child("article_get", JWT_SECRET_PARAMETER="/p") == "BUILT 0 0 False"


def test_without_the_runtime_module_no_snapstart_hook_is_registered(monkeypatch):
    monkeypatch.setitem(sys.modules, "snapshot_restore_py", None)  # import fails
    assert lifecycle.register_snapstart_hooks() is False


def test_snapstart_hooks_are_registered_with_the_runtime(monkeypatch):
    registered: dict[str, Any] = {}
    fake = types.ModuleType("snapshot_restore_py")
    fake.register_before_snapshot = lambda hook: registered.setdefault("before", hook)  # type: ignore[attr-defined]
    fake.register_after_restore = lambda hook: registered.setdefault("after", hook)  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "snapshot_restore_py", fake)
    assert lifecycle.register_snapstart_hooks() is True
    assert registered == {"before": lifecycle.before_snapshot, "after": lifecycle.after_restore}


def test_after_restore_rereads_the_keyset_reseeds_random_and_drops_connections(monkeypatch):
    closed: list[str] = []

    class Pool:
        def __init__(self, name: str) -> None:
            self.name = name

        def close(self) -> None:
            closed.append(self.name)

    fake_client = types.SimpleNamespace(_endpoint=types.SimpleNamespace(http_session=Pool("dynamodb")))
    monkeypatch.setattr(store_client, "dynamodb", lambda: fake_client)
    monkeypatch.setitem(keyset._loaded, "/p", (0.0, keyset.single("s" * 40)))
    random.seed(7)
    snapshot_state = random.getstate()
    lifecycle.after_restore()
    assert "/p" not in keyset._loaded  # read again on the next request: a rotation may have happened
    assert random.getstate() != snapshot_state
    assert closed == ["dynamodb"]


def test_before_snapshot_survives_an_unreachable_ssm(monkeypatch, caplog):
    def unreachable() -> Any:
        raise OSError("no network while snapshotting")

    monkeypatch.setattr(lifecycle, "prepare", lambda: None)
    monkeypatch.setattr(keyset, "current", unreachable)
    with caplog.at_level("WARNING"):
        lifecycle.before_snapshot()
    assert any("not primed" in record.getMessage() for record in caplog.records)


@pytest.mark.parametrize("function", ["graphql", "graphql_get"])
def test_the_graphql_functions_build_their_schema_in_init(function):
    script = (
        "import sys\nsys.path[:0] = [sys.argv[1], sys.argv[2]]\nimport app\n"
        "from conduit.graphql import asgi\nprint('ADAPTERS', asgi.adapter.cache_info().currsize)\n"
    )
    assert "ADAPTERS 1" in _run_in_a_child(script, function, AWS_LAMBDA_FUNCTION_NAME="f")


CHECK_BODY_MODELS = """
import sys
sys.path[:0] = [sys.argv[1], sys.argv[2]]
import app
from conduit import validation
built = sorted(name for name, value in vars(app).items() if isinstance(value, type)
               and issubclass(value, validation._Model) and value.__pydantic_complete__)
print("BODY", ",".join(built) or "-", "email_validator" in sys.modules)
"""


@pytest.mark.parametrize(
    ("function", "expected"),
    [
        ("article_create", "BODY NewArticleBody False"),  # no address to validate: no email-validator
        ("users_register", "BODY RegisterBody True"),
        ("users_login", "BODY LoginBody True"),
    ],
)
def test_in_lambda_init_builds_the_body_models_and_email_validator_only_where_an_address_is_validated(
    function, expected
):
    output = _run_in_a_child(CHECK_BODY_MODELS, function, AWS_LAMBDA_FUNCTION_NAME="f")
    assert [line for line in output.splitlines() if line.startswith("BODY")][-1] == expected


def test_outside_lambda_the_body_models_wait_for_their_first_use():
    output = _run_in_a_child(CHECK_BODY_MODELS, "users_register")
    assert [line for line in output.splitlines() if line.startswith("BODY")][-1] == "BODY - False"
