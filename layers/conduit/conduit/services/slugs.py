"""Slugs: readable, unique, derived from the title."""

from __future__ import annotations

import re
import secrets
import unicodedata

MAX_SLUG_BASE = 80


def slugify(title: str) -> str:
    text = unicodedata.normalize("NFKC", title).lower()
    base = re.sub(r"[^\w]+", "-", text).strip("-_")[:MAX_SLUG_BASE].strip("-_")
    return base or "article"


def candidates(title: str, attempts: int = 4) -> list[str]:
    """The plain slug first, then the slug with a random suffix for titles already taken."""
    base = slugify(title)
    return [base] + [f"{base}-{secrets.token_hex(3)}" for _ in range(attempts - 1)]
