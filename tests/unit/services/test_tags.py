"""services.tags against the in-memory tag store: most used first, cached per container."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from conduit.ports import tags as tag_port
from conduit.services import tags
from tests.unit.fakes.tags import FakeTags


@pytest.fixture
def store(monkeypatch: pytest.MonkeyPatch) -> Iterator[FakeTags]:
    monkeypatch.setattr(tags, "_cached", None)
    with tag_port.store.replaced(FakeTags()) as fake:
        yield fake


def test_most_used_first(store: FakeTags) -> None:
    store.counts.update({"rust": 1, "python": 3, "go": 2})
    assert tags.popular() == ["python", "go", "rust"]


def test_cached_for_the_configured_seconds(store: FakeTags, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TAGS_CACHE_SECONDS", "10")
    tags.get_settings.cache_clear()
    store.counts["a"] = 1
    assert tags.popular() == ["a"]
    store.counts["b"] = 2
    assert tags.popular() == ["a"]  # served from the container's cache
    assert store.reads == 1


def test_no_cache_when_disabled(store: FakeTags, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TAGS_CACHE_SECONDS", "0")
    tags.get_settings.cache_clear()
    store.counts["a"] = 1
    assert tags.popular() == ["a"]
    store.counts["b"] = 2
    assert tags.popular() == ["b", "a"]
    assert store.reads == 2


def test_a_caller_cannot_change_the_cached_list(store: FakeTags) -> None:
    store.counts["a"] = 1
    tags.popular().append("mutated")
    assert tags.popular() == ["a"]
