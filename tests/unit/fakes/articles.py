"""In-memory ArticleStore (conduit.ports.articles): slugs unique, ownership and versions checked as
the DynamoDB writes' conditions check them."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from conduit.entities.articles import Article, Draft, Edit, SlugRef
from conduit.errors import ArticleNotFound, ChangedConcurrently, NotAuthor
from conduit.ports.articles import AuthorMissing, SlugTaken
from tests.unit.fakes.content import Content


class FakeArticles:
    def __init__(self, content: Content) -> None:
        self.content = content
        self.taken: set[str] = set()  # slugs another writer takes just before ours (SlugTaken)

    def create(self, draft: Draft) -> Article:
        self.content.calls["articles.create"] += 1
        if draft.slug in self.content.slugs or draft.slug in self.taken:
            raise SlugTaken()
        if draft.author_id not in self.content.users:
            raise AuthorMissing()
        article = Article(
            draft.id, draft.slug, draft.title, draft.description, draft.tag_list, draft.author_id,
            draft.created_at, draft.created_at, 0, body=draft.body, version=1,
        )  # fmt: skip
        self.content.articles[article.id] = article
        self.content.slugs[article.slug] = SlugRef(article.id, article.author_id)
        return article

    def find_by_slug(self, slug: str) -> SlugRef | None:
        self.content.calls["articles.find_by_slug"] += 1
        return self.content.slugs.get(slug)

    def get(self, aid: str, consistent: bool = False) -> Article | None:
        self.content.calls["articles.get"] += 1
        return self.content.articles.get(aid)

    def confirm_author(self, aid: str, editor: str) -> Article:
        self.content.calls["articles.confirm_author"] += 1
        return self._writable(aid, editor, None)

    def update(self, current: Article, edit: Edit, editor: str) -> Article:
        self.content.calls["articles.update"] += 1
        self._writable(current.id, editor, current.version)
        if edit.slug != current.slug and (edit.slug in self.content.slugs or edit.slug in self.taken):
            raise SlugTaken()
        given: dict[str, Any] = {
            "title": edit.title,
            "description": edit.description,
            "body": edit.body,
            "tag_list": edit.tag_list,
        }
        changed = {name: value for name, value in given.items() if value is not None}
        updated = replace(current, **changed, slug=edit.slug, updated_at=edit.updated_at, version=current.version + 1)
        del self.content.slugs[current.slug]
        self.content.slugs[updated.slug] = SlugRef(updated.id, updated.author_id)
        self.content.articles[updated.id] = updated
        return updated

    def delete(self, current: Article, deleter: str, moderating: bool = False) -> None:
        self.content.calls["articles.delete"] += 1
        self._writable(current.id, None if moderating else deleter, current.version)
        del self.content.articles[current.id]
        del self.content.slugs[current.slug]
        self.content.comments.pop(current.id, None)
        self.content.favorites = {(aid, uid) for aid, uid in self.content.favorites if aid != current.id}
        for key in [key for key in self.content.pending if key[0] == current.id]:
            del self.content.pending[key]
        for feed in self.content.feeds.values():
            feed[:] = [aid for aid in feed if aid != current.id]

    def _writable(self, aid: str, author: str | None, version: int | None) -> Article:
        """The write's condition: open, by `author` (None: anyone, a moderator), at `version` (None: any)."""
        article = self.content.open_article(aid)
        if article is None:
            raise ArticleNotFound()
        if author is not None and article.author_id != author:
            raise NotAuthor("article")
        if version is not None and article.version != version:
            raise ChangedConcurrently()
        return article
