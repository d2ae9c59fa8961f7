"""One ownership rule: a change of an article is refused by its write's ConditionExpression alone.

The service asks nobody who wrote the article; the store's conditional write carries
`authorId = :me` (unless a moderator deletes), and when it fails, the article as it was only names
the refusal: 404 (gone or being deleted), 403 (someone else's), or a retry (changed meanwhile)."""

from __future__ import annotations

from collections.abc import Iterator
from types import SimpleNamespace
from typing import Any

import pytest

from conduit.entities.articles import Article, SlugRef
from conduit.errors import ArticleNotFound, ChangedConcurrently, NotAuthor
from conduit.ports import articles as article_port
from conduit.services import articles as service
from conduit.store import articles as store
from conduit.store import ops
from conduit.validation import UpdateArticleBody, parse

MARKER = SlugRef(article_id="a1", author_id="ada")
ARTICLE = Article("a1", "s", "T", "d", (), "ada", "2026-01-01", "2026-01-01", 0, body="b", version=3)


@pytest.fixture
def stored(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[tuple[str, Any]]]:
    """The store as the service sees it: ada's article; every call the service makes is recorded."""
    calls: list[tuple[str, Any]] = []

    def record(name: str, answer: Any = None, refuse: Exception | None = None) -> Any:
        def call(*args: Any, **kwargs: Any) -> Any:
            calls.append((name, args))
            if refuse is not None:
                raise refuse
            return answer

        return call

    recording = SimpleNamespace(
        find_by_slug=record("find_by_slug", MARKER),
        get=record("get", ARTICLE),
        update=record("update", refuse=NotAuthor("article")),
        delete=record("delete", refuse=NotAuthor("article")),
        confirm_author=record("confirm_author", refuse=NotAuthor("article")),
    )
    monkeypatch.setattr(service, "_single", lambda article, viewer: article)
    with article_port.store.replaced(recording):
        yield calls


def changes(**fields: Any) -> Any:
    return parse(UpdateArticleBody, {"article": fields}).article


def test_an_edit_is_refused_by_the_write_not_by_the_service(stored):
    with pytest.raises(NotAuthor):
        service.update("s", "bob", changes(body="mine now"))
    assert [name for name, _ in stored] == ["find_by_slug", "get", "update"]
    assert stored[-1][1][2] == "bob", "the write checks the editor"


def test_an_empty_edit_is_refused_by_its_conditional_write(stored):
    with pytest.raises(NotAuthor):
        service.update("s", "bob", changes())
    assert stored == [("find_by_slug", ("s",)), ("confirm_author", ("a1", "bob"))], "no read of the article first"


def test_a_delete_is_refused_by_the_write_not_by_the_service(stored):
    with pytest.raises(NotAuthor):
        service.delete("s", "bob")
    assert [name for name, _ in stored] == ["find_by_slug", "get", "delete"]
    assert stored[-1][1][1:] == ("bob", False)


@pytest.mark.parametrize(
    ("as_it_was", "actor", "moderating", "refusal"),
    [
        (None, "bob", False, ArticleNotFound),
        ({"authorId": "ada", "deleting": True}, "ada", False, ArticleNotFound),
        ({"authorId": "ada"}, "bob", False, NotAuthor),
        ({"authorId": "ada"}, "ada", False, ChangedConcurrently),
        ({"authorId": "ada"}, "mod", True, ChangedConcurrently),
    ],
)
def test_a_failed_condition_only_names_the_refusal(as_it_was, actor, moderating, refusal):
    assert type(store._refusal(as_it_was, actor, moderating)) is refusal


def test_a_refused_delete_is_named_from_the_failed_write_without_a_re_read(monkeypatch):
    def conditional_write(*args: Any, **kwargs: Any) -> Any:
        raise ops.ConditionFailed({"authorId": "ada", "version": 3})  # ALL_OLD: the article as it was

    def no_read(*args: Any, **kwargs: Any) -> Any:
        raise AssertionError("no re-read: the failed write returned the article")

    monkeypatch.setattr(ops, "update_item", conditional_write)
    monkeypatch.setattr(ops, "get_item", no_read)
    with pytest.raises(NotAuthor):
        store.delete(ARTICLE, "bob")
    with pytest.raises(NotAuthor):
        store.confirm_author("a1", "bob")
