"""The layer's shape (issue 15): small modules with one job, none over MAX_LINES lines."""

from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
LAYERS = ROOT / "layers"
MAX_LINES = 300


def _lines(path: Path) -> int:
    return path.read_bytes().count(b"\n")  # as `wc -l` counts them


def test_every_layer_has_python_modules():
    modules = list(LAYERS.rglob("*.py"))
    assert len(modules) > 50, "the walk must find the layer's modules"
    assert LAYERS / "conduit" / "conduit" / "graphql" / "schema.py" in modules


def test_no_layer_module_is_over_300_lines():
    too_long = {
        str(path.relative_to(ROOT)): _lines(path) for path in sorted(LAYERS.rglob("*.py")) if _lines(path) > MAX_LINES
    }
    assert too_long == {}, f"split these modules (at most {MAX_LINES} lines each)"
