"""The child cleanup of an article deletion (store.articles._delete_children) reads each child prefix
in pages of CHILDREN_PAGE and stops after a short page: nothing is added once the article is marked
`deleting` (a racing favorite goes with its pending marker, favorites.undo), so the old re-read of a
short page only cost a round trip."""

from __future__ import annotations

from typing import Any

import pytest

from conduit.store import articles, favorites, keys, ops

PAGE = articles.CHILDREN_PAGE


class Partition:
    """The article's comments and favorite edges in memory; every Query recorded as (prefix, answered)."""

    def __init__(self, comments: int, favorites: int) -> None:
        self.children = {keys.COMMENT_PREFIX: comments, keys.FAVORITE_PREFIX: favorites}
        self.reads: list[tuple[str, int]] = []

    def query(self, partition: str, *, sk_prefix: str, limit: int, consistent: bool, **_: Any) -> list[dict[str, Any]]:
        assert partition == keys.article_partition("a1") and consistent and limit == PAGE
        answered = min(limit, self.children[sk_prefix])
        self.reads.append((sk_prefix, answered))
        return [{"PK": partition, "SK": f"{sk_prefix}{i}"} for i in range(answered)]

    def remove(self, prefix: str) -> None:
        self.children[prefix] -= 1


@pytest.mark.parametrize(
    ("count", "pages"),
    [
        (0, [0]),
        (2, [2]),
        (PAGE - 1, [PAGE - 1]),
        (PAGE, [PAGE, 0]),
        (PAGE + 1, [PAGE, 1]),
        (2 * PAGE + 3, [PAGE, PAGE, 3]),
    ],
)
def test_each_prefix_is_read_until_a_short_page(monkeypatch: pytest.MonkeyPatch, count: int, pages: list[int]):
    partition = Partition(comments=count, favorites=count)
    monkeypatch.setattr(ops, "query", partition.query)
    monkeypatch.setattr(ops, "delete_item", lambda key: partition.remove(keys.COMMENT_PREFIX))
    monkeypatch.setattr(
        favorites, "remove_edge_of_deleted_article", lambda aid, uid: partition.remove(keys.FAVORITE_PREFIX)
    )
    undone: list[str] = []
    monkeypatch.setattr(favorites, "undo", undone.append)

    articles._delete_children("a1")

    assert partition.children == {keys.COMMENT_PREFIX: 0, keys.FAVORITE_PREFIX: 0}
    assert partition.reads == [(keys.COMMENT_PREFIX, n) for n in pages] + [(keys.FAVORITE_PREFIX, n) for n in pages]
    assert undone == ["a1"]
