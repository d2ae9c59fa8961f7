"""Comment ids in paths (services.comments.parse_id): what is not one names no comment (404)."""

from __future__ import annotations

import pytest

from conduit.errors import CommentNotFound
from conduit.services import comments


@pytest.mark.parametrize(("raw", "parsed"), [("1", 1), ("000000000042", 42), ("9" * 12, 10**12 - 1)])
def test_ascii_digits_up_to_twelve_are_an_id(raw, parsed):
    assert comments.parse_id(raw) == parsed


@pytest.mark.parametrize("raw", ["", "abc", "-1", "1.0", " 1", "1" * 13, "١٢", "²", "0x1"])
def test_anything_else_is_no_comment(raw):
    with pytest.raises(CommentNotFound) as caught:
        comments.parse_id(raw)
    assert caught.value.errors == {"comment": ["not found"]}
