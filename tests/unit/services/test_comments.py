"""services.comments against the in-memory store: post, page (offset and cursor), batch, delete."""

from __future__ import annotations

import pytest

from conduit.errors import ArticleNotFound, CommentNotFound, NotAuthor
from conduit.services import comments
from conduit.services.comments import Wanted
from conduit.services.paging import Page
from tests.unit.fakes.content import Content
from tests.unit.services.helpers import article


@pytest.fixture
def people(content: Content) -> Content:
    content.add_user("ada", bio="writes")
    content.add_user("bob")
    article(content, "a1", "ada", slug="s")
    article(content, "a2", "ada", slug="t")
    return content


def bodies(listed: list[comments.CommentView]) -> list[str]:
    return [c["body"] for c in listed]


def test_a_posted_comment_with_its_author(people: Content) -> None:
    view = comments.add("s", "bob", "first!")
    assert view["id"] == 1 and view["body"] == "first!"
    assert view["author"] == {"username": "bob", "bio": None, "image": None, "following": False}
    assert comments.add("s", "ada", "thanks")["id"] == 2


def test_a_comment_on_a_missing_or_closing_article_is_not_found(people: Content) -> None:
    with pytest.raises(ArticleNotFound):
        comments.add("nothing", "bob", "x")
    del people.articles["a1"]  # deleted after its slug was read
    with pytest.raises(ArticleNotFound):
        comments.add("s", "bob", "x")


def test_oldest_first_paged_by_offset_and_by_cursor(people: Content) -> None:
    for n in range(1, 6):
        comments.add("s", "bob", f"c{n}")
    assert bodies(comments.list_for("s", None, Page(limit=2, offset=1))) == ["c2", "c3"]
    assert bodies(comments.list_for("s", None, Page(limit=2, offset=0), after=3)) == ["c4", "c5"]
    assert bodies(comments.list_for("s", None, Page(limit=10, offset=0), after=5)) == []


def test_the_viewer_sees_whom_they_follow_and_deleted_authors(people: Content) -> None:
    comments.add("s", "bob", "hello")
    comments.add("s", "ada", "hi")
    people.follows.add(("ada", "bob"))
    del people.users["ada"]
    listed = comments.list_for("s", "ada", Page(limit=20, offset=0))
    assert [(c["author"]["username"], c["author"]["following"]) for c in listed] == [
        ("bob", True),
        ("[deleted]", False),
    ]


def test_pages_of_several_articles_read_each_page_once_and_the_authors_once(people: Content) -> None:
    comments.add("s", "bob", "on s")
    comments.add("t", "ada", "on t")
    people.calls.clear()
    asked = [Wanted("a1", 10), Wanted("a2", 10), Wanted("a1", 10)]
    assert [bodies(page) for page in comments.pages(asked, None)] == [["on s"], ["on t"], ["on s"]]
    assert people.calls["comments.page"] == 2 and people.calls["relations.load"] == 1


def test_an_unknown_articles_comments_are_not_found(people: Content) -> None:
    with pytest.raises(ArticleNotFound):
        comments.list_for("nothing", None, Page(limit=20, offset=0))


def test_only_the_author_or_a_moderator_deletes(people: Content) -> None:
    first = comments.add("s", "bob", "mine")["id"]
    second = comments.add("s", "bob", "also mine")["id"]
    with pytest.raises(NotAuthor):
        comments.delete("s", first, "ada")
    comments.delete("s", first, "bob")
    comments.delete("s", second, "ada", "moderator")
    assert people.comments["a1"] == []
    with pytest.raises(CommentNotFound):
        comments.delete("s", first, "bob")


@pytest.mark.parametrize("raw", ["", "1a", "-1", "1" * 13, "\u0661", " 1"])
def test_an_id_that_is_not_a_comment_id_names_no_comment(raw: str) -> None:
    with pytest.raises(CommentNotFound):
        comments.parse_id(raw)


def test_a_comment_id_from_a_path() -> None:
    assert comments.parse_id("000000000042") == 42
