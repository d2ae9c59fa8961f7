"""GET /api/openapi.json — this API's OpenAPI 3.1 document.

openapi.json beside this file is written by `python -m apidocs` together with docs/openapi.json
(byte-identical; tests/docs fails when either is stale), so it ships inside this function's package.
"""

from functools import cache
from pathlib import Path
from typing import Any

from conduit.static import StaticFile

DOCUMENT_PATH = Path(__file__).with_name("openapi.json")


@cache
def document() -> StaticFile:
    return StaticFile(DOCUMENT_PATH.read_bytes(), content_type="application/json", cache_control="public, max-age=300")


def handler(event: dict[str, Any], context: Any = None) -> dict[str, Any]:
    return document().response(event)
