"""The sequential round trips docs/data-model.md promises, read from its table at run time."""

from __future__ import annotations

import re
from pathlib import Path

SECTION = "## Round trips per endpoint"


def documented(path: Path) -> dict[str, str]:
    """First cell -> trips cell of every row of the round-trip table (empty if the doc moved on)."""
    try:
        text = path.read_text(encoding="utf-8")
    except OSError:
        return {}
    if SECTION not in text:
        return {}
    rows = {}
    for line in text.split(SECTION, 1)[1].splitlines()[1:]:
        if line.startswith("## "):
            break
        cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
        if len(cells) >= 2 and line.startswith("|") and not set(cells[0]) <= {"-"}:
            rows[cells[0]] = cells[1]
    return rows


def trips(table: dict[str, str], row: str | None) -> int | None:
    """The documented sequential trips, or None (no row, or a count like "3 + cleanup")."""
    cell = table.get(row or "")
    if not cell:
        return None
    match = re.match(r"\s*(\d+)(\s*sequential)?\s*(,|$)", cell)
    return int(match[1]) if match else None
