"""GET /api/docs in a real browser: headless Chromium renders Swagger UI from the local API, offline.

Chromium is Debian's (scripts/ensure-chromium installs it; scripts/test-all runs that first). Every
host name but 127.0.0.1 resolves to nothing, so a page that needed a CDN would render empty.
"""

from __future__ import annotations

import html
import re
import shutil
import subprocess
import tempfile

import pytest

from localapi import template

CHROMIUM_NAMES = ("chromium", "chromium-browser", "google-chrome")


def _chromium() -> str:
    for name in CHROMIUM_NAMES:
        found = shutil.which(name)
        if found:
            return found
    pytest.fail("no Chromium: run `bash scripts/ensure-chromium` (make test does)")


def _rendered_dom(url: str) -> str:
    with tempfile.TemporaryDirectory(prefix="conduit-chromium-") as profile:
        result = subprocess.run(
            [
                _chromium(),
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-dev-shm-usage",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1",
                f"--user-data-dir={profile}",
                "--virtual-time-budget=10000",
                "--dump-dom",
                url,
            ],
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )
    assert result.returncode == 0, result.stderr[-2000:]
    return result.stdout


@pytest.fixture(scope="module")
def dom(local_api) -> str:
    return _rendered_dom(f"{local_api.url}/api/docs")


def test_swagger_ui_renders_the_document(dom):
    assert 'id="swagger-ui"' in dom
    assert "Conduit API" in dom
    assert "Unable to render this definition" not in dom
    assert "Failed to load API definition" not in dom


def test_every_route_is_listed_with_its_method(dom):
    blocks = re.findall(r'class="opblock opblock-(get|post|put|delete)\b', dom)
    paths = {html.unescape(path) for path in re.findall(r'data-path="([^"]+)"', dom)}
    routes = template.load().routes()
    assert len(blocks) == len(routes)
    assert paths == {route.path for route in routes}
    assert "/api/articles/{slug}" in paths
    assert blocks.count("post") == sum(route.method == "POST" for route in routes)


def test_the_post_operation_blocks_show_their_summaries(dom):
    post_blocks = re.findall(r'<div class="opblock opblock-post[^"]*".*?</div>', dom, flags=re.S)
    assert post_blocks
    assert "Register a new user" in dom
    assert "Publish an article" in dom
