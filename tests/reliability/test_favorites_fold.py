"""The favorites' fold (store/favorites.py): pending markers folded into the article's count exactly
once, replays and re-sends counting nothing twice, and favorites that race an article's deletion
undone - the whole-table invariant check (folded + pending == edges, user counts == edges) after
each step. Store calls run in this process against the package's table (moto, or DynamoDB Local
with DYNAMODB_ENDPOINT); QUIET_PENDING = 0 turns the request's own fold off, so markers stay pending
as they do on a busy article until the stream's fold."""

from __future__ import annotations

from typing import Any

import pytest

from conduit.errors import NotFound
from conduit.store import articles, favorites, keys, ops, users


@pytest.fixture
def busy(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(favorites, "QUIET_PENDING", 0)


def ids(api: Any, author_prefix: str, fans: int) -> tuple[str, str, list[str], list[dict[str, str]]]:
    author = api.user(author_prefix)
    slug = api.article(author["token"])["slug"]
    people = [api.user(author_prefix + "f") for _ in range(fans)]
    uids = [users.id_for_username(p["username"]) for p in people]
    return slug, articles.find_by_slug(slug).article_id, uids, people


def counts(aid: str) -> tuple[int, int]:
    """(folded count, sum of the pending markers)."""
    article = ops.get_item(keys.article(aid), consistent=True) or {}
    return int(article.get("favoritesCount", 0)), sum(int(m["delta"]) for m in favorites.pending(aid))


def test_pending_favorites_fold_exactly_once(api, table, busy, assert_consistent):
    slug, aid, uids, people = ids(api, "fo", 3)
    for uid in uids:
        assert favorites.favorite(aid, uid) is True
    assert favorites.favorite(aid, uids[0]) is False  # a re-sent favorite counts nothing
    assert favorites.unfavorite(aid, uids[1]) is True
    assert counts(aid) == (0, 2)
    assert_consistent("with favorites pending")
    seen = api.ok("GET", f"/articles/{slug}", token=people[0]["token"])["article"]
    assert (seen["favorited"], seen["favoritesCount"]) == (True, 1)  # folded 0 + the viewer's own +1
    assert api.ok("GET", f"/articles/{slug}")["article"]["favoritesCount"] == 0  # others: once folded
    assert favorites.fold(aid) is True
    assert counts(aid) == (2, 0)
    assert favorites.fold(aid) is True  # a replayed stream record: nothing left to fold
    assert counts(aid) == (2, 0)
    assert api.ok("GET", f"/articles/{slug}")["article"]["favoritesCount"] == 2
    assert_consistent("after the fold")


def test_a_fold_of_markers_read_before_another_fold_counts_nothing(api, table, busy, assert_consistent):
    _, aid, uids, _ = ids(api, "fr", 2)
    for uid in uids:
        favorites.favorite(aid, uid)
    stale = favorites.pending(aid)
    assert favorites.fold(aid) is True
    with pytest.raises(ops.TransactionCancelled):  # its markers are gone: the transaction writes nothing
        favorites._fold_once(aid, stale)
    assert counts(aid) == (2, 0)
    favorites.unfavorite(aid, uids[0])
    changed = favorites.pending(aid)
    favorites.favorite(aid, uids[0])  # the marker moves between the read and the fold
    with pytest.raises(ops.TransactionCancelled):
        favorites._fold_once(aid, changed)
    assert favorites.fold(aid) is True
    assert counts(aid) == (2, 0)
    assert_consistent("after stale folds")


def test_a_favorite_that_raced_the_articles_deletion_is_undone(api, table, busy, assert_consistent):
    slug, aid, uids, people = ids(api, "fd", 2)
    favorites.favorite(aid, uids[0])  # pending when the deletion runs: the deletion takes it back
    assert api.ok("GET", f"/articles/{slug}", token=people[0]["token"])["article"]["favorited"] is True
    articles.delete(articles.get(aid, consistent=True), articles.find_by_slug(slug).author_id)
    assert favorites.pending(aid) == []
    assert_consistent("after deleting an article with a pending favorite")
    # a favorite whose request read the article before the deletion commits after it
    assert favorites.favorite(aid, uids[1]) is True  # QUIET_PENDING = 0: nothing folds it yet
    assert any("under missing article" in problem for problem in _violations(table))
    assert favorites.fold(aid) is False  # the stream's fold: the article is gone, the favorite undone
    assert favorites.pending(aid) == []
    assert ops.get_item(keys.favorite(aid, uids[1]), consistent=True) is None
    assert ops.get_item(keys.user(uids[1]), consistent=True).get("favoritesCount", 0) == 0
    assert_consistent("after the undo")


def test_the_requests_own_fold_answers_404_for_a_deleted_article_and_leaves_nothing(api, table, assert_consistent):
    slug, aid, uids, _ = ids(api, "fn", 1)
    marker = articles.find_by_slug(slug)
    articles.delete(articles.get(aid, consistent=True), marker.author_id)
    with pytest.raises(NotFound):
        favorites.favorite(aid, uids[0])
    assert ops.get_item(keys.favorite(aid, uids[0]), consistent=True) is None
    assert favorites.pending(aid) == []
    assert_consistent("after a favorite of a deleted article")


def test_purging_a_users_favorites_with_markers_pending(api, table, busy, assert_consistent):
    """The account purge's favorites phase unfavorites each edge (store.owned, ByOwner FAVBY#<uid>): with
    markers still pending the user's count and the articles' (folded + pending) stay exact."""
    from conduit.store import owned

    _, aid, uids, _ = ids(api, "fp", 2)
    for uid in uids:
        favorites.favorite(aid, uid)
    rows = owned.favorites(uids[0], None, 100)
    assert [owned.unfavorite(uids[0], row.article_id) for row in rows] == [True]
    assert counts(aid) == (0, 1)  # +1 and -1 of the purged user net to 0; the other's +1 waits
    assert_consistent("after the purge, markers pending")
    favorites.fold(aid)
    assert counts(aid) == (1, 0)
    assert_consistent("after the fold")


def _violations(table: tuple[str, str]) -> list[str]:
    from tests.reliability import invariants

    return invariants.check_table(*table)
