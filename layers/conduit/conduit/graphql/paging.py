"""Relay-style cursors over the services' limit/offset pages, and key-based ones for comments.

A list cursor is the item's position in the list, opaque to clients: urlsafe base64 of
`offset:<n>` without padding. `after: c` starts the page at position n + 1; `first` is the page
size. Both go through services.paging.page_from, so the defaults and limits are REST's (first:
default 20, at most 60 articles or 100 users; positions at most PAGE_OFFSET_MAX). Like REST
offsets, a cursor points at a position, not at an item: articles published meanwhile shift the pages.

A comment cursor is the comment's id (`comment:<id>`, encoded the same way): `after: c` reads the
comments that follow that one, straight from its key, at any depth (no offset cap, nothing skipped
is read); `first` defaults to 20, at most 25 (services.paging.COMMENTS_PAGE_MAX).
"""

from __future__ import annotations

import base64
import binascii
import re

from conduit.errors import InvalidInput
from conduit.services.paging import COMMENTS_PAGE_MAX, Page, page_from

PREFIX = "offset:"
COMMENT_PREFIX = "comment:"
POSITION = re.compile(r"[0-9]{1,9}")
RENAMED = {"limit": "first", "offset": "after", "query": "filter"}  # REST parameter -> GraphQL argument


def encode_cursor(position: int, prefix: str = PREFIX) -> str:
    return base64.urlsafe_b64encode(f"{prefix}{position}".encode()).decode().rstrip("=")


def decode_cursor(cursor: str, prefix: str = PREFIX) -> int:
    try:
        text = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode("ascii")
    except (binascii.Error, ValueError):
        text = ""
    position = text.removeprefix(prefix)
    if not text.startswith(prefix) or not POSITION.fullmatch(position):
        raise InvalidInput("after", "is not a valid cursor")
    return int(position)


def page_for(first: int | None, after: str | None, max_items: int | None = None) -> Page:
    """The services' Page for `first`/`after`, validated by the same rules as REST's limit/offset
    (`max_items`: the list's cap, as the REST handler gives it)."""
    query = {"offset": str(decode_cursor(after) + 1 if after is not None else 0)}
    if first is not None:
        query["limit"] = str(first)
    try:
        return page_from(query, max_items=max_items)
    except InvalidInput as error:
        raise renamed(error) from None


def comment_page_for(first: int | None, after: str | None) -> tuple[int, int | None]:
    """(page size, id of the comment to start after) for `Article.comments(first, after)`."""
    start = decode_cursor(after, COMMENT_PREFIX) if after is not None else None
    return page_for(first, None, max_items=COMMENTS_PAGE_MAX).limit, start


def renamed(error: InvalidInput) -> InvalidInput:
    """The same messages under the GraphQL argument names (limit -> first, offset -> after)."""
    result: InvalidInput | None = None
    for field, messages in error.errors.items():
        for message in messages:
            name = RENAMED.get(field, field)
            if result is None:
                result = InvalidInput(name, message)
            else:
                result.add(name, message)
    return result or error
