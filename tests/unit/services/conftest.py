"""The content services' store: every content port replaced by its in-memory fake over one state."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import ExitStack

import pytest

from conduit.ports import articles, comments, favorites, feed, follows, listings, relations
from conduit.store import ops
from tests.unit.fakes.articles import FakeArticles
from tests.unit.fakes.comments import FakeComments
from tests.unit.fakes.content import Content
from tests.unit.fakes.favorites import FakeFavorites
from tests.unit.fakes.feed import FakeFeed
from tests.unit.fakes.follows import FakeFollows
from tests.unit.fakes.listings import FakeListings
from tests.unit.fakes.people import People, people
from tests.unit.fakes.relations import FakeRelations


@pytest.fixture
def content(monkeypatch: pytest.MonkeyPatch) -> Iterator[Content]:
    state = Content()
    monkeypatch.setattr(ops, "dynamodb", _no_dynamodb)
    with ExitStack() as stack:
        stack.enter_context(articles.store.replaced(FakeArticles(state)))
        stack.enter_context(listings.store.replaced(FakeListings(state)))
        stack.enter_context(comments.store.replaced(FakeComments(state)))
        stack.enter_context(favorites.store.replaced(FakeFavorites(state)))
        stack.enter_context(follows.store.replaced(FakeFollows(state)))
        stack.enter_context(feed.store.replaced(FakeFeed(state)))
        stack.enter_context(relations.store.replaced(FakeRelations(state)))
        yield state


def _no_dynamodb() -> None:
    raise AssertionError("a service reached DynamoDB past its port")


@pytest.fixture
def world(monkeypatch: pytest.MonkeyPatch) -> Iterator[People]:
    """The people services' store: users, quotas, resets and verifications on their fakes, mail to an outbox."""
    with people(monkeypatch) as world:
        yield world
