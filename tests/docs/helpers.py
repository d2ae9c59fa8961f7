"""What the docs tests read: the committed document, the generator, and the RealWorld spec beside the repo."""

from __future__ import annotations

import json
from functools import cache
from typing import Any

import pytest
import yaml

from apidocs import generate

ROOT = generate.ROOT
DOCUMENT = ROOT / "docs" / "openapi.json"
SERVED_COPY = ROOT / "functions" / "openapi_json" / "openapi.json"
REALWORLD_SPEC = ROOT.parent / "shared" / "realworld" / "v2" / "openapi.yml"
METHODS = {"get", "put", "post", "delete", "patch", "head", "options", "trace"}


def committed() -> dict[str, Any]:
    return json.loads(DOCUMENT.read_text(encoding="utf-8"))


@cache
def realworld() -> dict[str, Any]:
    if not REALWORLD_SPEC.is_file():
        pytest.fail(f"RealWorld spec not found at {REALWORLD_SPEC} (the shared/ folder beside the repo)")
    return yaml.safe_load(REALWORLD_SPEC.read_text(encoding="utf-8"))


def operations(document: dict[str, Any]) -> dict[tuple[str, str], dict[str, Any]]:
    """(METHOD, path) -> operation object."""
    return {
        (method.upper(), path): operation
        for path, item in document["paths"].items()
        for method, operation in item.items()
        if method in METHODS
    }


def resolve(document: dict[str, Any], node: dict[str, Any]) -> dict[str, Any]:
    """Follow local `$ref`s (#/a/b/c) until a node without one."""
    seen = 0
    while "$ref" in node:
        target: Any = document
        for part in node["$ref"].removeprefix("#/").split("/"):
            target = target[part.replace("~1", "/").replace("~0", "~")]
        node = target
        seen += 1
        assert seen < 20, "reference loop"
    return node
