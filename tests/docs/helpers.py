"""What the docs tests read: the committed document, the generator, and the pinned RealWorld spec 2.0.0."""

from __future__ import annotations

import json
from functools import cache
from typing import Any

import pytest
import yaml

from apidocs import generate
from conformance import suites

ROOT = generate.ROOT
DOCUMENT = ROOT / "docs" / "openapi.json"
SERVED_COPY = ROOT / "functions" / "openapi_json" / "openapi.json"
METHODS = {"get", "put", "post", "delete", "patch", "head", "options", "trace"}


def committed() -> dict[str, Any]:
    return json.loads(DOCUMENT.read_text(encoding="utf-8"))


@cache
def realworld() -> dict[str, Any]:
    """The suite's openapi.yml, from ../shared/realworld or the pinned download (conformance/suites.py)."""
    try:
        spec = suites.locate("v2") / "openapi.yml"
    except suites.SuiteError as error:
        pytest.fail(f"RealWorld spec 2.0.0 unavailable: {error}")
    return yaml.safe_load(spec.read_text(encoding="utf-8"))


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
