"""Articles: create, read, change, delete, favorite, and the lists and feed."""

from __future__ import annotations

from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import replace
from typing import TYPE_CHECKING

from conduit import observability
from conduit.authz import Role, may_moderate
from conduit.entities.articles import Article, ArticleSummary, Draft, Edit, SlugRef, UserTotal
from conduit.entities.relations import Relations
from conduit.errors import ArticleNotFound, InvalidInput, TokenInvalid, Unavailable, found
from conduit.ports import articles as article_port
from conduit.ports import favorites as favorite_port
from conduit.ports import feed as feed_port
from conduit.ports import follows as follow_port
from conduit.ports import listings as listing_port
from conduit.ports import relations as relation_port
from conduit.services import relations, slugs
from conduit.services.paging import Page
from conduit.services.views import ArticleSummaryView, ArticleView, MultipleArticles, article_summary_view, article_view
from conduit.settings import get_settings
from conduit.store.ids import iso_now, new_id

if TYPE_CHECKING:  # request models are pydantic: not imported by read-only handlers
    from conduit.validation import ArticleChanges, NewArticle

LIST_FILTERS = ("tag", "author", "favorited")
# One wave of parallel Queries for up to 31 followed authors (the client keeps as many connections).
FEED_THREADS = 32


def create(viewer: str, new: NewArticle) -> ArticleView:
    from conduit.services import email_verification

    email_verification.require_verified(viewer)  # only where the stage requires it (off by default)
    now = iso_now()
    draft = Draft(new_id(), "", new.title, new.description, new.body, tuple(new.tagList), viewer, now)
    for slug in slugs.candidates(new.title):
        try:
            stored = article_port.store().create(replace(draft, slug=slug))
        except article_port.SlugTaken:
            continue
        except article_port.AuthorMissing:
            raise TokenInvalid() from None  # the token outlived its user
        observability.count("ArticlePublished")
        return _single(stored, viewer)
    raise Unavailable()  # every candidate slug taken meanwhile: a retry draws new ones


def get(slug: str, viewer: str | None) -> ArticleView:
    return _read(_ref(slug), viewer)


def _read(ref: SlugRef, viewer: str | None) -> ArticleView:
    """The article with its author and the viewer's flags: one BatchGetItem."""
    aid = ref.article_id
    seen = relations.load(viewer, [ref.author_id], [aid], article_id=aid)
    return _render(found(seen.article, ArticleNotFound), seen)


def update(slug: str, viewer: str, changes: ArticleChanges) -> ArticleView:
    """The author changes their article; only the write's condition checks who (store.articles)."""
    if not changes.model_fields_set:
        return _single(article_port.store().confirm_author(_ref(slug).article_id, viewer), viewer)
    current = _current(slug)
    edit = Edit(
        iso_now(), current.slug, changes.title, changes.description, changes.body,
        tuple(changes.tagList) if changes.tagList is not None else None,
    )  # fmt: skip
    title = edit.title
    renamed = title is not None and slugs.slugify(title) != slugs.slugify(current.title)
    for candidate in slugs.candidates(title) if title is not None and renamed else [current.slug]:
        try:
            updated = article_port.store().update(current, replace(edit, slug=candidate), viewer)
        except article_port.SlugTaken:
            continue
        return _single(updated, viewer)
    raise Unavailable()


def delete(slug: str, viewer: str, role: Role | None = None) -> None:
    """The author deletes their article; moderators and admins may delete anyone's."""
    article_port.store().delete(_current(slug), viewer, may_moderate(role))


def favorite(slug: str, viewer: str) -> ArticleView:
    ref = _ref(slug)
    favorite_port.store().favorite(ref.article_id, viewer)
    return _read(ref, viewer)


def unfavorite(slug: str, viewer: str) -> ArticleView:
    ref = _ref(slug)
    favorite_port.store().unfavorite(ref.article_id, viewer)
    return _read(ref, viewer)


def list_articles(filters: dict[str, str], page: Page, viewer: str | None) -> MultipleArticles:
    chosen = {name: value for name, value in filters.items() if name in LIST_FILTERS and value}
    if len(chosen) > 1:
        raise InvalidInput("query", "filter by at most one of tag, author, favorited")
    lists = listing_port.store()
    if "tag" in chosen:
        ids = lists.tagged_ids(chosen["tag"], page.offset, page.limit)
        return _listing(ids, viewer, total=lists.tag_total(chosen["tag"]))
    for name, ids_of in (("author", lists.authored_ids), ("favorited", lists.favorited_ids)):
        if name in chosen:
            uid = relation_port.store().user_id(chosen[name])
            if uid is None:
                return {"articles": [], "articlesCount": 0}
            counted = UserTotal(uid, "authored" if name == "author" else "favorited")
            return _listing(ids_of(uid, page.offset, page.limit), viewer, counted)
    return _listing(lists.recent_ids(page.offset, page.limit), viewer, total=lists.article_total())


def feed(viewer: str, page: Page) -> MultipleArticles:
    """Bounded read-merge: newest articles of at most FEED_MAX_FOLLOWS followed authors.

    One Query per followed author (run in parallel, keys only, offset+limit each), merged by id
    (ids are time-ordered). The total is the sum of those authors' article counters.
    With FEED_MODE=fan-out: one Query of the viewer's feed entries, the total from `feedCount`.
    """
    if get_settings().feed_mode == "fan-out":
        ids = feed_port.store().page_ids(viewer, page.offset, page.limit)
        return _listing(ids, viewer, UserTotal(viewer, "feed"))
    authors = follow_port.store().followees(viewer, get_settings().feed_max_follows)
    if not authors:
        return {"articles": [], "articlesCount": 0}
    wanted, lists = page.offset + page.limit, listing_port.store()
    with ThreadPoolExecutor(max_workers=min(FEED_THREADS, len(authors) + 1)) as pool:
        counts = pool.submit(lists.authored_total, authors)
        per_author = pool.map(lambda a: lists.authored_ids(a, 0, wanted), authors)
        merged = sorted((aid for ids in per_author for aid in ids), reverse=True)
        total = counts.result()
    return _listing(merged[page.offset : wanted], viewer, total=total)


def _listing(
    ids: Sequence[str], viewer: str | None, counted: UserTotal | None = None, total: int = 0
) -> MultipleArticles:
    """The page's articles, with `total` or, if `counted`, the total read with the page."""
    page, read_total = listing_port.store().summaries(ids, counted)
    seen = relations.load(viewer, {a.author_id for a in page}, [a.id for a in page])
    articles = [_summary(a, seen) for a in page]
    return {"articles": articles, "articlesCount": total if read_total is None else read_total}


def _single(article: Article, viewer: str) -> ArticleView:
    return _render(article, relations.load(viewer, [article.author_id], [article.id]))


def _render(article: Article, seen: Relations) -> ArticleView:
    return article_view(article, relations.author(seen, article.author_id), *_flags(article, seen))


def _summary(article: ArticleSummary, seen: Relations) -> ArticleSummaryView:
    return article_summary_view(article, relations.author(seen, article.author_id), *_flags(article, seen))


def _flags(article: ArticleSummary, seen: Relations) -> tuple[bool, int]:
    """Whether the viewer favorited it, and its favorites count as they see it."""
    return seen.has_favorited(article.id), seen.favorites_count(article)


def _ref(slug: str) -> SlugRef:
    return found(article_port.store().find_by_slug(slug), ArticleNotFound)


def _current(slug: str) -> Article:
    """The article as stored now, for a change. Who may change it is not asked here: the change's
    write carries the ownership condition (store.articles), and its refusal says 403 or 404."""
    return found(article_port.store().get(_ref(slug).article_id, consistent=True), ArticleNotFound)
