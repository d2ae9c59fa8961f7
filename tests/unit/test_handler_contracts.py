"""Every REST handler's contract is a response type of conduit.services.views (or None for a 204),
never a bare `dict`: what a function answers is read from its signature, and mypy --strict checks it."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest
from typing_extensions import is_typeddict

from conduit.services import views

FUNCTIONS = Path(__file__).resolve().parents[2] / "functions"


def endpoint_handlers() -> list[tuple[str, ast.FunctionDef]]:
    found = []
    for app in sorted(FUNCTIONS.glob("*/app.py")):
        for node in ast.parse(app.read_text(encoding="utf-8")).body:
            if isinstance(node, ast.FunctionDef) and any(
                isinstance(d, ast.Call) and getattr(d.func, "id", None) == "endpoint" for d in node.decorator_list
            ):
                found.append((app.parent.name, node))
    return found


HANDLERS = endpoint_handlers()


def test_every_endpoint_function_is_checked():
    assert len(HANDLERS) >= 30


@pytest.mark.parametrize(("name", "handler"), HANDLERS, ids=[name for name, _ in HANDLERS])
def test_the_handler_returns_a_response_type_of_views(name, handler):
    returns = handler.returns
    if isinstance(returns, ast.Constant) and returns.value is None:
        return  # 204: no body
    assert isinstance(returns, ast.Name), f"{name}: {ast.unparse(returns) if returns else 'no annotation'}"
    assert is_typeddict(getattr(views, returns.id, None)), f"{name} returns {returns.id}, not a views envelope"
