"""Slugs: readable, unique, ASCII, derived from the title.

Titles are transliterated to ASCII with the anyascii library (ISC licence; tables per Unicode block,
read on first use; import ~0.3 ms) after symbols (emoji, dingbats: category So) are dropped, then
lowercased, and every run of characters other than a-z, 0-9 and _ becomes one `-`: "Privet, mir"
written in Cyrillic gives "privet-mir", "Cafe" with an accent "cafe". So two titles that look alike
(a Cyrillic a, U+0430, for a Latin a) get the same base slug, and the second one the random suffix
every taken slug gets: two articles cannot have look-alike slugs, and a slug is safe in any URL, log
or terminal.
"""

from __future__ import annotations

import re
import secrets
import unicodedata

from anyascii import anyascii

MAX_SLUG_BASE = 80
NOT_SLUG = re.compile(r"[^a-z0-9_]+")


def slugify(title: str) -> str:
    text = "".join(" " if unicodedata.category(c) == "So" else c for c in unicodedata.normalize("NFKC", title))
    base = NOT_SLUG.sub("-", anyascii(text).lower()).strip("-_")[:MAX_SLUG_BASE].strip("-_")
    return base or "article"


def candidates(title: str, attempts: int = 4) -> list[str]:
    """The plain slug first, then the slug with a random suffix for titles already taken."""
    base = slugify(title)
    return [base] + [f"{base}-{secrets.token_hex(3)}" for _ in range(attempts - 1)]
