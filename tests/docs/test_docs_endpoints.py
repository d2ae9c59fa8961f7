"""GET /api/openapi.json, GET /api/docs and GET /api/docs/{asset} through the local API, and conduit.static."""

from __future__ import annotations

import base64
import gzip
import importlib.util
import json
import re

import pytest

from conduit import static
from tests.docs.helpers import DOCUMENT, ROOT


def _docs_assets():
    spec = importlib.util.spec_from_file_location("docs_assets_test", ROOT / "functions" / "docs_assets" / "app.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


ASSETS = _docs_assets()


def test_the_document_is_served_as_committed(client):
    response = client.get("/openapi.json")
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/json"
    assert response.headers["cache-control"] == "public, max-age=300"
    assert response.content == DOCUMENT.read_bytes()
    assert json.loads(response.content)["info"]["title"] == "Conduit API"


def test_the_document_is_gzipped_when_accepted_and_revalidated_with_its_etag(client):
    raw = client.get("/openapi.json", headers={"accept-encoding": "gzip"}, stream=True).raw
    assert raw.headers["content-encoding"] == "gzip"
    assert gzip.decompress(raw.read()) == DOCUMENT.read_bytes()
    plain = client.get("/openapi.json", headers={"accept-encoding": "identity"})
    assert "content-encoding" not in plain.headers
    etag = plain.headers["etag"]
    again = client.get("/openapi.json", headers={"if-none-match": etag})
    assert again.status_code == 304 and again.content == b""
    assert again.headers["etag"] == etag
    assert client.get("/openapi.json", headers={"if-none-match": 'W/"other"'}).status_code == 200


def test_the_docs_page_loads_the_spec_and_swagger_ui_by_relative_url(client):
    response = client.get("/docs")
    assert response.status_code == 200
    assert response.headers["content-type"] == "text/html; charset=utf-8"
    html = response.text
    assert 'url: "./openapi.json"' in html
    sources = re.findall(r'(?:src|href)="([^"]+)"', html)
    assert sorted(sources) == ["./docs/favicon-32x32.png", "./docs/swagger-ui-bundle.js", "./docs/swagger-ui.css"]
    assert "//" not in "".join(sources), "no CDN"
    assert "validatorUrl: null" in html, "Swagger UI would load a badge from validator.swagger.io"


def test_the_docs_page_allows_only_same_origin_scripts(client):
    policy = client.get("/docs").headers["content-security-policy"]
    directives = dict(item.strip().split(" ", 1) for item in policy.split(";"))
    assert directives["default-src"] == "'none'"
    assert directives["script-src"].startswith("'self' 'sha256-")
    assert "unsafe-inline" not in directives["script-src"] and "unsafe-eval" not in directives["script-src"]
    assert directives["connect-src"] == "'self'"
    assert directives["frame-ancestors"] == "'none'"


@pytest.mark.parametrize("name", sorted(ASSETS.ASSETS))
def test_every_listed_asset_is_served_from_the_package(client, name):
    response = client.get(f"/docs/{name}", headers={"accept-encoding": "identity"})
    assert response.status_code == 200
    assert response.headers["content-type"] == ASSETS.ASSETS[name]
    assert "max-age=604800" in response.headers["cache-control"]
    assert response.headers["cache-control"].startswith("public")
    assert response.headers["x-content-type-options"] == "nosniff"
    assert response.content == (ASSETS.static_dir() / name).read_bytes()


def test_the_bundle_is_swagger_ui_5_which_renders_openapi_31():
    bundle = (ASSETS.static_dir() / "swagger-ui-bundle.js").read_bytes()
    assert b"SwaggerUIBundle" in bundle
    assert b"isOAS31" in bundle, "Swagger UI 4 (e.g. swagger-ui-bundle 1.1.0's 4.15.5) cannot render OpenAPI 3.1"
    css = (ASSETS.static_dir() / "swagger-ui.css").read_text(encoding="utf-8")
    assert css.strip(), "the stylesheet"


def test_the_script_is_sent_gzipped(client):
    raw = client.get("/docs/swagger-ui-bundle.js", headers={"accept-encoding": "gzip, br"}, stream=True).raw
    assert raw.headers["content-encoding"] == "gzip"
    assert raw.headers["vary"] == "accept-encoding"
    packed = raw.read()
    assert len(packed) < 600_000
    assert gzip.decompress(packed) == (ASSETS.static_dir() / "swagger-ui-bundle.js").read_bytes()


@pytest.mark.parametrize(
    "path", ["/docs/index.html", "/docs/swagger-ui.js", "/docs/..%2Fapp.py", "/docs/%2e%2e%2fapp.py", "/docs/LICENSE"]
)
def test_anything_else_under_docs_is_not_found(client, path):
    response = client.get(path)
    assert response.status_code == 404
    assert response.json() == {"errors": {"asset": ["not found"]}}


def test_the_docs_functions_answer_their_sample_events(runtime):
    for function in ("OpenapiJsonFunction", "DocsPageFunction", "DocsAssetsFunction"):
        event = json.loads((ROOT / "events" / f"{runtime.route_for(function).code_dir.name}.json").read_text())
        response = runtime.invoke(function, event)
        assert response["statusCode"] == 200, function
        body = base64.b64decode(response["body"]) if response["isBase64Encoded"] else response["body"].encode()
        assert body, function


# conduit.static
@pytest.mark.parametrize(
    ("header", "accepted"),
    [
        ("gzip", True),
        ("gzip, deflate, br", True),
        ("br;q=1.0, gzip;q=0.8", True),
        ("*", True),
        ("gzip;q=0", False),
        ("gzip;q=0.0, br", False),
        ("identity", False),
        ("", False),
        ("gzip;q=bogus", False),
    ],
)
def test_accepts_gzip(header, accepted):
    assert static.accepts_gzip(header) is accepted


@pytest.mark.parametrize(
    ("header", "matches"),
    [('W/"abc"', True), ('"abc"', True), ('"x", W/"abc"', True), ("*", True), ('"abd"', False), ("", False)],
)
def test_etag_matches_weakly(header, matches):
    assert static.etag_matches(header, 'W/"abc"') is matches


def test_small_and_binary_files():
    tiny = static.StaticFile(b"{}", "application/json", "no-cache")
    assert tiny.gzipped is None
    answer = tiny.response({"headers": {"Accept-Encoding": "gzip"}})
    assert answer["body"] == "{}" and answer["isBase64Encoded"] is False
    assert "vary" not in answer["headers"]
    png = static.StaticFile(b"\x89PNG\r\n\x1a\n\x00", "image/png", "public")
    answer = png.response({})
    assert answer["isBase64Encoded"] is True
    assert base64.b64decode(answer["body"]) == b"\x89PNG\r\n\x1a\n\x00"
