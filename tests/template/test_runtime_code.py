"""The deployed code reads by key and index only: no Scan, no FilterExpression (IAM would refuse Scan anyway)."""

from __future__ import annotations

import re
from pathlib import Path

from tests.template.helpers import ROOT

SOURCE_DIRS = (ROOT / "functions", ROOT / "layers")
FORBIDDEN = {
    "Scan call": re.compile(r"\.scan\s*\("),
    "Scan operation name": re.compile(r"""["']Scan["']"""),
    "Scan paginator": re.compile(r"""get_paginator\(\s*["']scan["']"""),
    "FilterExpression": re.compile(r"FilterExpression"),
}


def _sources() -> list[Path]:
    return sorted(
        path
        for base in SOURCE_DIRS
        for path in base.rglob("*.py")
        if not {".aws-sam", "__pycache__", "site-packages"} & set(path.parts)
    )


def test_the_deployed_sources_are_found():
    names = {path.relative_to(ROOT).as_posix() for path in _sources()}
    assert "layers/conduit/conduit/store/ops.py" in names
    assert "functions/articles_list/app.py" in names
    assert len([n for n in names if n.startswith("functions/")]) >= 19


def test_the_patterns_catch_what_they_are_meant_to():
    samples = {
        "Scan call": 'dynamodb().scan(TableName="t")',
        "Scan operation name": 'client.meta.method_to_api_mapping["scan"] == "Scan"',
        "Scan paginator": 'client.get_paginator("scan")',
        "FilterExpression": 'request["FilterExpression"] = "a = :b"',
    }
    for name, pattern in FORBIDDEN.items():
        assert pattern.search(samples[name]), name
    assert not any(p.search('"ScanIndexForward": not newest_first') for p in FORBIDDEN.values())


def test_no_scan_or_filter_expression_in_functions_or_layers():
    found = []
    for path in _sources():
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
            for name, pattern in FORBIDDEN.items():
                if pattern.search(line):
                    found.append(f"{path.relative_to(ROOT)}:{number}: {name}: {line.strip()}")
    assert found == []
