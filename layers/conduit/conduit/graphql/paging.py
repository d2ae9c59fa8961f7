"""Relay-style cursors over the services' limit/offset pages.

A cursor is the item's position in the list, opaque to clients: urlsafe base64 of
`offset:<n>` without padding. `after: c` starts the page at position n + 1; `first` is the page
size. Both go through services.paging.page_from, so the defaults and limits are REST's (first:
default 20, at most 100; positions at most PAGE_OFFSET_MAX). Like REST offsets, a cursor points
at a position, not at an item: articles published meanwhile shift the pages.
"""

from __future__ import annotations

import base64
import binascii
import re

from conduit.errors import Unprocessable
from conduit.services.paging import Page, page_from

PREFIX = "offset:"
POSITION = re.compile(r"[0-9]{1,9}")
RENAMED = {"limit": "first", "offset": "after", "query": "filter"}  # REST parameter -> GraphQL argument


def encode_cursor(position: int) -> str:
    return base64.urlsafe_b64encode(f"{PREFIX}{position}".encode()).decode().rstrip("=")


def decode_cursor(cursor: str) -> int:
    try:
        text = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode("ascii")
    except (binascii.Error, ValueError):
        text = ""
    position = text.removeprefix(PREFIX)
    if not text.startswith(PREFIX) or not POSITION.fullmatch(position):
        raise Unprocessable("after", "is not a valid cursor")
    return int(position)


def page_for(first: int | None, after: str | None) -> Page:
    """The services' Page for `first`/`after`, validated by the same rules as REST's limit/offset."""
    query = {"offset": str(decode_cursor(after) + 1 if after is not None else 0)}
    if first is not None:
        query["limit"] = str(first)
    try:
        return page_from(query)
    except Unprocessable as error:
        raise renamed(error) from None


def renamed(error: Unprocessable) -> Unprocessable:
    """The same messages under the GraphQL argument names (limit -> first, offset -> after)."""
    result: Unprocessable | None = None
    for field, messages in error.errors.items():
        for message in messages:
            name = RENAMED.get(field, field)
            result = Unprocessable(name, message) if result is None else result.add(name, message)
    return result or error
