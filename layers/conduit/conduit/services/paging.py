"""limit/offset query parameters: validated, defaulted and capped, and each list's cap in BYTES.

A Lambda function's synchronous answer is at most 6 MB (API Gateway gets nothing bigger: a 500),
so every list is capped in items such that a full page fits RESPONSE_BYTES_BUDGET (4,000,000 bytes,
two thirds of the limit) even when every field of every item is as long as validation allows and
written in the costliest characters. The cost of a character in the Lambda response payload: the
body is JSON (non-ASCII kept, 1-4 bytes; control characters escaped, 6 bytes), which the runtime
writes into its own JSON envelope again, where a character outside the BMP may become a 12-byte
surrogate pair escape: so WORST_BYTES_PER_CHARACTER = 12 (6 in the HTTP body the client gets).

| list           | worst item, payload bytes                                            | page max | default |
|----------------|----------------------------------------------------------------------|----------|---------|
| articles, feed | ~64,200: title 200, description 500, 20 tags x 64, slug, author (*) | 60       | 20      |
| comments       | ~157,800: body 10,000, author (*)                                    | 25       | 20      |
| admin users    | ~3,900: username 32, email 254, role, flags, date                    | 100      | 20      |
| tags           | ~154,700 for the whole list: 200 tags x 64                           | (200)    |         |

(*) an author is a profile: username 32, bio 1,000, image 2,048 characters. The article and user
caps are also bounded by PAGE_LIMIT_MAX (100); the tags list by store.tags (the 200 most used).

tests/unit/test_response_budget.py rebuilds the worst item of each list from the validation
limits (conduit.validation) and checks page max x worst item <= the budget, so raising a field
limit without lowering a cap fails there. GraphQL answers, whose size depends on the fields asked,
are measured as they are sent instead (conduit.graphql.asgi).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from conduit.errors import InvalidInput
from conduit.settings import get_settings

DIGITS = re.compile(r"[0-9]+")

RESPONSE_BYTES_BUDGET = 4_000_000
WORST_BYTES_PER_CHARACTER = 12
ARTICLES_PAGE_MAX = 60  # articles, feed
COMMENTS_PAGE_MAX = 25
COMMENTS_OFFSET_MAX = 500  # deeper: the key-based cursor (`after`), which reads only the page


@dataclass(frozen=True, slots=True)
class Page:
    limit: int
    offset: int


def page_from(query: dict[str, str], max_items: int | None = None, max_offset: int | None = None) -> Page:
    """`max_items`: the list's own cap (in items, from its byte budget); PAGE_LIMIT_MAX applies too.
    `max_offset`: the list's own offset cap, when lower than PAGE_OFFSET_MAX."""
    settings = get_settings()
    limit = _non_negative(query, "limit", settings.page_limit_default)
    offset = _non_negative(query, "offset", 0)
    offset_max = min(settings.page_offset_max, max_offset) if max_offset is not None else settings.page_offset_max
    if limit < 1:
        raise InvalidInput("limit", "must be at least 1")
    if offset > offset_max:
        raise InvalidInput("offset", f"must be at most {offset_max}")
    cap = min(settings.page_limit_max, max_items) if max_items is not None else settings.page_limit_max
    return Page(limit=min(limit, cap), offset=offset)


def non_negative(query: dict[str, str], name: str) -> int | None:
    """An optional non-negative integer parameter (e.g. a cursor), or None when absent or empty."""
    return _non_negative(query, name, None) if query.get(name) not in (None, "") else None


def _non_negative(query: dict[str, str], name: str, default: int | None) -> int:
    raw = query.get(name)
    if raw is None or raw == "":
        return default  # type: ignore[return-value]
    if not DIGITS.fullmatch(raw) or len(raw) > 9:
        raise InvalidInput(name, "must be a non-negative integer")
    return int(raw)
