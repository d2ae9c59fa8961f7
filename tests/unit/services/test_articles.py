"""services.articles against the in-memory store: publish (slug candidates), read, edit, delete, lists."""

from __future__ import annotations

from typing import Any

import pytest

from conduit.entities.articles import Article, SlugRef
from conduit.errors import ArticleNotFound, ChangedConcurrently, InvalidInput, NotAuthor, TokenInvalid, Unavailable
from conduit.ports import articles as article_port
from conduit.services import articles
from conduit.services.paging import Page
from conduit.validation import NewArticle, UpdateArticleBody, parse
from tests.unit.fakes.content import Content
from tests.unit.services.helpers import WHEN, article

PAGE = Page(limit=20, offset=0)


class Everything:
    def __contains__(self, slug: object) -> bool:
        return True


def fake_articles() -> Any:
    return article_port.store()


def new(title: str = "Hello World", **fields: Any) -> NewArticle:
    return NewArticle(title=title, description=fields.get("description", "d"), body="b", tagList=["b", "a"])


def changes(**fields: Any) -> Any:
    return parse(UpdateArticleBody, {"article": fields}).article


@pytest.fixture
def people(content: Content) -> Content:
    content.add_user("ada", "ada", bio="writes")
    content.add_user("bob", "bob")
    return content


# --- publish ---------------------------------------------------------------------------------


def test_published_under_the_titles_slug_with_its_author(people: Content) -> None:
    view = articles.create("ada", new())
    assert view["slug"] == "hello-world"
    assert view["tagList"] == ["a", "b"]
    assert view["author"] == {"username": "ada", "bio": "writes", "image": None, "following": False}
    assert (view["favorited"], view["favoritesCount"], view["body"]) == (False, 0, "b")
    assert view["createdAt"] == view["updatedAt"]
    assert people.slugs["hello-world"].article_id in people.articles


def test_a_taken_slug_is_retried_with_a_suffix(people: Content) -> None:
    article(people, "a0", "bob", slug="hello-world")
    view = articles.create("ada", new())
    assert view["slug"].startswith("hello-world-") and len(view["slug"]) == len("hello-world-") + 6
    assert people.calls["articles.create"] == 2


def test_every_candidate_taken_is_unavailable_and_writes_nothing(people: Content) -> None:
    fake_articles().taken = Everything()
    with pytest.raises(Unavailable):
        articles.create("ada", new())
    assert people.calls["articles.create"] == 4 and people.articles == {}


def test_an_author_whose_account_is_gone_has_an_invalid_token(people: Content) -> None:
    with pytest.raises(TokenInvalid):
        articles.create("ghost", new())


# --- read --------------------------------------------------------------------------------------


def test_an_article_with_its_viewers_flags_in_one_batch(people: Content) -> None:
    article(people, "a1", "ada", slug="s", favorites=2)
    people.follows.add(("bob", "ada"))
    people.favorites.add(("a1", "bob"))
    view = articles.get("s", "bob")
    assert view["author"]["following"] is True and view["favorited"] is True
    assert view["favoritesCount"] == 2 and view["body"] == "text"
    assert people.calls["relations.load"] == 1 and people.calls["articles.get"] == 0


def test_anonymous_readers_follow_and_favorite_nothing(people: Content) -> None:
    article(people, "a1", "ada", slug="s")
    people.follows.add(("bob", "ada"))
    view = articles.get("s", None)
    assert view["author"]["following"] is False and view["favorited"] is False


def test_an_unknown_slug_is_not_found(people: Content) -> None:
    with pytest.raises(ArticleNotFound):
        articles.get("nothing", "ada")


def test_an_article_whose_slug_outlived_it_is_not_found(people: Content) -> None:
    people.slugs["orphan"] = SlugRef("gone", "ada")
    with pytest.raises(ArticleNotFound):
        articles.get("orphan", "ada")


def test_a_deleted_authors_article_shows_the_deleted_author(people: Content) -> None:
    article(people, "a1", "carol", slug="s")
    assert articles.get("s", "ada")["author"] == {
        "username": "[deleted]",
        "bio": None,
        "image": None,
        "following": False,
    }


# --- edit --------------------------------------------------------------------------------------


def test_a_new_title_gets_a_new_slug(people: Content) -> None:
    article(people, "a1", "ada", slug="title-a1")
    view = articles.update("title-a1", "ada", changes(title="Fresh Start"))
    assert (view["slug"], view["title"], view["body"]) == ("fresh-start", "Fresh Start", "text")
    assert view["updatedAt"] != WHEN
    assert "title-a1" not in people.slugs and people.articles["a1"].version == 2


def test_a_title_with_the_same_slug_keeps_it(people: Content) -> None:
    article(people, "a1", "ada", slug="title-a1")
    assert articles.update("title-a1", "ada", changes(title="TITLE  a1!"))["slug"] == "title-a1"


def test_an_edit_without_a_title_keeps_the_slug(people: Content) -> None:
    article(people, "a1", "ada", slug="keep")
    view = articles.update("keep", "ada", changes(body="new body", tagList=["z"]))
    assert (view["slug"], view["body"], view["tagList"], view["title"]) == ("keep", "new body", ["z"], "Title a1")


def test_a_new_title_whose_slug_is_taken_gets_a_suffix(people: Content) -> None:
    article(people, "a1", "ada", slug="mine")
    article(people, "a2", "bob", slug="fresh")
    view = articles.update("mine", "ada", changes(title="Fresh"))
    assert view["slug"].startswith("fresh-") and people.slugs["fresh"].article_id == "a2"


def test_a_new_title_whose_every_candidate_is_taken_is_unavailable(people: Content) -> None:
    article(people, "a1", "ada", slug="mine")
    fake_articles().taken = Everything()
    with pytest.raises(Unavailable):
        articles.update("mine", "ada", changes(title="Elsewhere"))
    assert people.articles["a1"].slug == "mine"


def test_someone_elses_article_is_forbidden_not_missing(people: Content) -> None:
    article(people, "a1", "ada", slug="s")
    with pytest.raises(NotAuthor):
        articles.update("s", "bob", changes(body="mine now"))
    with pytest.raises(NotAuthor):
        articles.update("s", "bob", changes())
    assert people.articles["a1"].body == "text"


def test_an_empty_edit_answers_the_article_without_reading_it_first(people: Content) -> None:
    article(people, "a1", "ada", slug="s")
    assert articles.update("s", "ada", changes())["slug"] == "s"
    assert people.calls["articles.get"] == 0 and people.calls["articles.confirm_author"] == 1


def test_an_edit_of_a_missing_or_closing_article_is_not_found(people: Content) -> None:
    with pytest.raises(ArticleNotFound):
        articles.update("nothing", "ada", changes(body="x"))
    stored = article(people, "a1", "ada", slug="s")
    people.articles["a1"] = Article(**{**_fields(stored), "deleting": True})
    with pytest.raises(ArticleNotFound):
        articles.update("s", "ada", changes(body="x"))


def test_a_concurrent_change_is_not_overwritten(people: Content, monkeypatch: pytest.MonkeyPatch) -> None:
    stored = article(people, "a1", "ada", slug="s")
    moved_on = Article(**{**_fields(stored), "version": 5})
    monkeypatch.setattr(articles, "_current", lambda slug: stored)
    people.articles["a1"] = moved_on
    with pytest.raises(ChangedConcurrently):
        articles.update("s", "ada", changes(body="x"))
    assert people.articles["a1"] is moved_on


def _fields(stored: Article) -> dict[str, Any]:
    return {name: getattr(stored, name) for name in Article.__dataclass_fields__}


# --- delete ------------------------------------------------------------------------------------


def test_the_author_deletes_their_article(people: Content) -> None:
    article(people, "a1", "ada", slug="s")
    articles.delete("s", "ada")
    assert people.articles == {} and "s" not in people.slugs


def test_only_the_author_or_a_moderator_deletes(people: Content) -> None:
    article(people, "a1", "ada", slug="s")
    with pytest.raises(NotAuthor):
        articles.delete("s", "bob")
    with pytest.raises(NotAuthor):
        articles.delete("s", "bob", "user")
    articles.delete("s", "bob", "moderator")
    assert people.articles == {}
    with pytest.raises(ArticleNotFound):
        articles.delete("s", "ada")


# --- lists ---------------------------------------------------------------------------------------


def test_at_most_one_filter(people: Content) -> None:
    with pytest.raises(InvalidInput) as refused:
        articles.list_articles({"tag": "a", "author": "ada"}, PAGE, None)
    assert refused.value.errors == {"query": ["filter by at most one of tag, author, favorited"]}


def test_empty_and_unknown_filters_are_ignored(people: Content) -> None:
    article(people, "a1", "ada")
    listed = articles.list_articles({"tag": "", "author": "", "sort": "x"}, PAGE, None)
    assert [a["slug"] for a in listed["articles"]] == ["slug-a1"] and listed["articlesCount"] == 1


def test_all_articles_newest_first_paged_with_the_total(people: Content) -> None:
    for n in range(1, 6):
        article(people, f"a{n}", "ada")
    listed = articles.list_articles({}, Page(limit=2, offset=1), None)
    assert [a["slug"] for a in listed["articles"]] == ["slug-a4", "slug-a3"]
    assert listed["articlesCount"] == 5
    assert all("body" not in a for a in listed["articles"])


def test_by_tag(people: Content) -> None:
    article(people, "a1", "ada", tags=("go",))
    article(people, "a2", "bob", tags=("go", "rust"))
    article(people, "a3", "bob", tags=("rust",))
    listed = articles.list_articles({"tag": "go"}, PAGE, None)
    assert [a["slug"] for a in listed["articles"]] == ["slug-a2", "slug-a1"] and listed["articlesCount"] == 2


def test_by_author_with_their_count(people: Content) -> None:
    article(people, "a1", "ada")
    article(people, "a2", "bob")
    listed = articles.list_articles({"author": "bob"}, PAGE, "ada")
    assert [a["author"]["username"] for a in listed["articles"]] == ["bob"] and listed["articlesCount"] == 1


def test_by_an_unknown_user_is_empty(people: Content) -> None:
    article(people, "a1", "ada")
    for name in ("author", "favorited"):
        assert articles.list_articles({name: "nobody"}, PAGE, None) == {"articles": [], "articlesCount": 0}


def test_a_page_is_one_batch_of_articles_and_one_of_relations(people: Content) -> None:
    for n in range(1, 4):
        article(people, f"a{n}", "ada" if n % 2 else "bob")
    articles.list_articles({}, PAGE, "ada")
    assert people.calls["listings.summaries"] == 1 and people.calls["relations.load"] == 1
    assert fake_relations_last_load(people) == ("ada", frozenset({"ada", "bob"}), frozenset({"a1", "a2", "a3"}), None)


def fake_relations_last_load(content: Content) -> Any:
    from conduit.ports import relations

    return relations.store().loads[-1]  # type: ignore[attr-defined]
