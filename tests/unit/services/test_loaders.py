"""graphql.loaders over the in-memory store: a page's slugs, bodies and comments each read in one batch."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from typing import Any

import pytest

from conduit.errors import NotFound
from conduit.graphql.loaders import Loaders
from conduit.services import comments
from tests.unit.fakes.content import Content
from tests.unit.services.helpers import article


@pytest.fixture
def people(content: Content) -> Content:
    content.add_user("ada")
    article(content, "a1", "ada", slug="s")
    article(content, "a2", "ada", slug="t")
    return content


def run(loads: Callable[[Loaders], list[Awaitable[Any]]]) -> list[Any]:
    """The loads of one request (one Loaders, made in its event loop), awaited together; errors returned."""

    async def gather() -> list[Any]:
        return list(await asyncio.gather(*loads(Loaders()), return_exceptions=True))

    return asyncio.run(gather())


def test_bodies_of_a_page_in_one_batch_and_unknown_slugs_not_found(people: Content) -> None:
    s, t, missing = run(lambda loaders: [loaders.bodies.load(slug) for slug in ("s", "t", "nothing")])
    assert (s, t) == ("text", "text") and isinstance(missing, NotFound)
    assert (people.calls["listings.slug_refs"], people.calls["listings.bodies"]) == (1, 1)


def test_comments_of_a_page_share_the_slugs_batch(people: Content) -> None:
    comments.add("s", "ada", "on s")
    people.calls.clear()
    on_s, on_t, missing = run(
        lambda loaders: [loaders.comments(None).load((slug, 5, None)) for slug in ("s", "t", "nothing")]
    )
    assert [c["body"] for c in on_s] == ["on s"] and on_t == [] and isinstance(missing, NotFound)
    assert people.calls["listings.slug_refs"] == 1 and people.calls["relations.load"] == 1
