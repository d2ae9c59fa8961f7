"""GET /api/docs/{asset} — Swagger UI's script, stylesheet and icon, for the docs page.

They come from the swagger-ui-py package (Swagger UI 5, which renders OpenAPI 3.1), installed into
this function by its requirements.txt: the docs depend on no third-party CDN. Only the listed
files are served; anything else is a 404.
"""

import importlib.util
from pathlib import Path
from typing import Any

from conduit.static import StaticFile, not_found

PACKAGE = "swagger_ui"  # the import name of swagger-ui-py; its files are in swagger_ui/static/
ASSETS = {
    "swagger-ui-bundle.js": "text/javascript; charset=utf-8",
    "swagger-ui.css": "text/css; charset=utf-8",
    "favicon-32x32.png": "image/png",
}
# Unversioned names: cached for a week, then revalidated cheaply with the ETag (304).
CACHE_CONTROL = "public, max-age=604800, stale-while-revalidate=86400"
_loaded: dict[str, StaticFile] = {}


def static_dir() -> Path:
    """The package's static folder, found without importing the package (it imports jinja2 and yaml)."""
    spec = importlib.util.find_spec(PACKAGE)
    if spec is None or not spec.submodule_search_locations:
        raise RuntimeError(f"{PACKAGE} is not installed (functions/docs_assets/requirements.txt)")
    return Path(next(iter(spec.submodule_search_locations))) / "static"


def handler(event: dict[str, Any], context: Any = None) -> dict[str, Any]:
    name = (event.get("pathParameters") or {}).get("asset", "")
    if name not in ASSETS:
        return not_found("asset")
    if name not in _loaded:
        _loaded[name] = StaticFile((static_dir() / name).read_bytes(), ASSETS[name], CACHE_CONTROL)
    return _loaded[name].response(event)
