"""limit/offset query parameters: defaults, caps and rejections."""

from __future__ import annotations

import pytest

from conduit.errors import InvalidInput
from conduit.http.error_map import status_of
from conduit.services.paging import Page, page_from

NOT_AN_INTEGER = "must be a non-negative integer"


def errors_of(query: dict[str, str], **caps: int) -> dict[str, list[str]]:
    with pytest.raises(InvalidInput) as caught:
        page_from(query, **caps)
    assert status_of(caught.value) == 422
    return caught.value.errors


def test_defaults():
    assert page_from({}) == Page(limit=20, offset=0)


def test_empty_values_mean_defaults():
    assert page_from({"limit": "", "offset": ""}) == Page(limit=20, offset=0)


def test_explicit_values():
    assert page_from({"limit": "5", "offset": "10"}) == Page(limit=5, offset=10)


def test_other_parameters_are_ignored():
    assert page_from({"tag": "dragons", "author": "jake"}) == Page(limit=20, offset=0)


@pytest.mark.parametrize(("limit", "expected"), [("100", 100), ("101", 100), ("500", 100), ("999999999", 100)])
def test_limit_is_capped_at_100(limit, expected):
    assert page_from({"limit": limit}).limit == expected


@pytest.mark.parametrize(("max_items", "expected"), [(60, 60), (25, 25), (500, 100)])
def test_a_list_may_cap_its_pages_lower(max_items, expected):
    assert page_from({"limit": "1000"}, max_items=max_items).limit == expected
    assert page_from({}, max_items=max_items).limit == 20


def test_a_list_may_cap_its_offsets_lower():
    assert page_from({"offset": "500"}, max_offset=500).offset == 500
    assert errors_of({"offset": "501"}, max_offset=500) == {"offset": ["must be at most 500"]}


def test_limit_of_one_is_the_minimum():
    assert page_from({"limit": "1"}).limit == 1
    assert errors_of({"limit": "0"}) == {"limit": ["must be at least 1"]}


def test_offset_maximum():
    assert page_from({"offset": "5000"}).offset == 5000
    assert errors_of({"offset": "5001"}) == {"offset": ["must be at most 5000"]}


def test_offset_zero():
    assert page_from({"offset": "0"}).offset == 0


@pytest.mark.parametrize("name", ["limit", "offset"])
@pytest.mark.parametrize("raw", ["abc", "-1", "1.5", "1e3", " 5", "5 ", "+5", "0x10", "1_000", "10000000000"])
def test_non_integers_are_rejected(name, raw):
    assert errors_of({name: raw}) == {name: [NOT_AN_INTEGER]}


def test_leading_zeros_are_accepted():
    assert page_from({"limit": "007"}).limit == 7


def test_limits_come_from_settings(set_env):
    set_env(PAGE_LIMIT_DEFAULT="10", PAGE_LIMIT_MAX="50", PAGE_OFFSET_MAX="100")
    assert page_from({}) == Page(limit=10, offset=0)
    assert page_from({"limit": "80"}).limit == 50
    assert errors_of({"offset": "101"}) == {"offset": ["must be at most 100"]}


@pytest.mark.parametrize("raw", ["²", "³", "①", "1²", "\u0661"])
def test_non_ascii_digits_are_rejected(raw):
    with pytest.raises(InvalidInput) as caught:
        page_from({"limit": raw})
    assert caught.value.errors == {"limit": ["must be a non-negative integer"]}
