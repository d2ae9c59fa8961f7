"""`make api` reloads: a changed handler or layer file takes effect on the next request of the functions that
use it, in a new environment; the others stay warm (localapi/reload.py)."""

from __future__ import annotations

import logging
import os
import time
from pathlib import Path

import requests

from localapi.runtime import Runtime
from localapi.server import LocalApi
from localapi.template import Template

HANDLER = """
import os
from shared_text import TEXT

def handler(event, context):
    return {"statusCode": 200, "body": f"{VERSION} {TEXT} {os.getpid()}"}

VERSION = "{version}"
"""


def _write(path: Path, text: str) -> None:
    path.write_text(text, encoding="utf-8")
    later = time.time() + 2  # a new mtime even on file systems with coarse timestamps
    os.utime(path, (later, later))


def _stack(tmp: Path) -> Template:
    functions = {}
    for name in ("Edited", "Untouched"):
        code = tmp / name
        code.mkdir()
        _write(code / "app.py", HANDLER.replace("{version}", "v1"))
        functions[f"{name}Function"] = {
            "Type": "AWS::Serverless::Function",
            "Properties": {
                "CodeUri": str(code),
                "Handler": "app.handler",
                "Timeout": 5,
                "Layers": [{"Ref": "SharedLayer"}],
                "Events": {"Api": {"Type": "HttpApi", "Properties": {"Method": "GET", "Path": f"/{name.lower()}"}}},
            },
        }
    (tmp / "layer").mkdir()
    _write(tmp / "layer" / "shared_text.py", 'TEXT = "layer-v1"\n')
    layer = {"Type": "AWS::Serverless::LayerVersion", "Properties": {"ContentUri": str(tmp / "layer")}}
    return Template({"Resources": {**functions, "SharedLayer": layer}})


def _answer(base: str, path: str) -> list[str]:
    return requests.get(f"{base}{path}", timeout=30).text.split()


def _until(condition, seconds: float = 10.0) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.1)
    return False


def test_an_edited_handler_answers_the_next_request_and_the_others_stay_warm(tmp_path, caplog):
    caplog.set_level(logging.INFO, logger="localapi")
    runtime = Runtime(_stack(tmp_path)).start().watch_code(interval=0.1)
    api = LocalApi(runtime, port=0).start_in_thread()
    try:
        base = api.url
        assert _answer(base, "/edited")[:2] == ["v1", "layer-v1"]
        untouched_pid = _answer(base, "/untouched")[2]
        _write(tmp_path / "Edited" / "app.py", HANDLER.replace("{version}", "v2"))
        assert _until(lambda: _answer(base, "/edited")[0] == "v2"), "the edit never took effect"
        assert _answer(base, "/untouched")[2] == untouched_pid  # not reloaded: same warm environment
        assert "reloaded EditedFunction" in caplog.text
        # A layer file changes both functions that use it.
        _write(tmp_path / "layer" / "shared_text.py", 'TEXT = "layer-v2"\n')
        assert _until(lambda: _answer(base, "/untouched")[1] == "layer-v2")
        assert _answer(base, "/edited")[:2] == ["v2", "layer-v2"]
    finally:
        api.stop()
        runtime.stop()
