"""store.articles: items <-> entities (the only place that knows an article's item), and the edit's SET."""

from __future__ import annotations

from decimal import Decimal

from conduit.entities.articles import Article, ArticleSummary, Edit
from conduit.store import articles

ITEM = {
    "PK": "ARTICLE#a1", "SK": "ARTICLE", "id": "a1", "slug": "s", "title": "T", "description": "d", "body": "b",
    "tagList": ["x", "y"], "authorId": "ada", "createdAt": "c", "updatedAt": "u", "favoritesCount": Decimal(3),
    "version": Decimal(2), "counterShard": 7, "deleting": True,
}  # fmt: skip


def test_an_item_whole() -> None:
    assert articles.entity(ITEM) == Article(
        "a1", "s", "T", "d", ("x", "y"), "ada", "c", "u", 3, body="b", version=2, counter_shard=7, deleting=True
    )


def test_a_summary_without_optional_attributes() -> None:
    bare = {k: v for k, v in ITEM.items() if k not in ("tagList", "favoritesCount")}
    assert articles.summary(bare) == ArticleSummary("a1", "s", "T", "d", (), "ada", "c", "u", 0)
    assert not articles.entity({k: v for k, v in ITEM.items() if k != "deleting"}).deleting


def test_an_edit_sets_only_what_it_names_in_the_requests_order() -> None:
    edit = Edit("now", "s2", body="new", tag_list=("z",))
    assert articles._changes(edit) == {"body": "new", "tagList": ["z"], "updatedAt": "now", "slug": "s2"}
    assert list(articles._changes(Edit("now", "s", title="t", description="d"))) == [
        "title", "description", "updatedAt", "slug",
    ]  # fmt: skip
