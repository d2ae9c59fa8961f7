"""limit/offset query parameters: validated, defaulted and capped."""

from __future__ import annotations

import re
from dataclasses import dataclass

from conduit.errors import Unprocessable
from conduit.settings import get_settings

DIGITS = re.compile(r"[0-9]+")


@dataclass(frozen=True, slots=True)
class Page:
    limit: int
    offset: int


def page_from(query: dict[str, str]) -> Page:
    settings = get_settings()
    limit = _non_negative(query, "limit", settings.page_limit_default)
    offset = _non_negative(query, "offset", 0)
    if limit < 1:
        raise Unprocessable("limit", "must be at least 1")
    if offset > settings.page_offset_max:
        raise Unprocessable("offset", f"must be at most {settings.page_offset_max}")
    return Page(limit=min(limit, settings.page_limit_max), offset=offset)


def _non_negative(query: dict[str, str], name: str, default: int) -> int:
    raw = query.get(name)
    if raw is None or raw == "":
        return default
    if not DIGITS.fullmatch(raw) or len(raw) > 9:
        raise Unprocessable(name, "must be a non-negative integer")
    return int(raw)
