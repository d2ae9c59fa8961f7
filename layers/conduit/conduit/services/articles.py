"""Articles: create, read, change, delete, favorite, and the lists and feed."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from typing import TYPE_CHECKING, Any

from conduit import observability
from conduit.authz import Role, may_moderate
from conduit.errors import ArticleNotFound, InvalidInput, TokenInvalid, Unavailable, found
from conduit.services import relations, slugs
from conduit.services.paging import Page
from conduit.services.views import (
    ArticleSummaryView,
    ArticleView,
    MultipleArticles,
    article_summary_view,
    article_view,
)
from conduit.settings import get_settings
from conduit.store import articles, counters, favorites, follows, keys, ops, users
from conduit.store import feed as feed_entries
from conduit.store.client import Item
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
    article: Item = {
        "id": new_id(),
        "title": new.title,
        "description": new.description,
        "body": new.body,
        "tagList": new.tagList,
        "authorId": viewer,
        "createdAt": now,
        "updatedAt": now,
    }
    for slug in slugs.candidates(new.title):
        try:
            stored = articles.create({**article, "slug": slug})
        except articles.SlugTaken:
            continue
        except articles.AuthorMissing:
            raise TokenInvalid() from None  # the token outlived its user
        observability.count("ArticlePublished")
        return _single(stored, viewer)
    raise Unavailable()  # every candidate slug taken meanwhile: a retry draws new ones


def get(slug: str, viewer: str | None) -> ArticleView:
    return _read(_marker(slug), viewer)


def _read(marker: Item, viewer: str | None) -> ArticleView:
    """The article with its author and the viewer's flags: one BatchGetItem."""
    aid = marker["articleId"]
    seen = relations.load(viewer, [marker["authorId"]], [aid], also=[keys.article(aid)])
    return _render(found(seen.extras.get(_key(keys.article(aid))), ArticleNotFound), seen)


def update(slug: str, viewer: str, changes: ArticleChanges) -> ArticleView:
    """The author changes their article; only the write's condition checks who (store.articles)."""
    requested: dict[str, Any] = changes.model_dump(exclude_unset=True)
    if not requested:
        return _single(articles.confirm_author(_marker(slug)["articleId"], viewer), viewer)
    current = _current(slug)
    requested["updatedAt"] = iso_now()
    new_title = requested.get("title")
    tries = (
        slugs.candidates(new_title)
        if new_title and slugs.slugify(new_title) != slugs.slugify(current["title"])
        else [current["slug"]]
    )
    for candidate in tries:
        try:
            updated = articles.update(current, {**requested, "slug": candidate}, viewer)
        except articles.SlugTaken:
            continue
        return _single(updated, viewer)
    raise Unavailable()


def delete(slug: str, viewer: str, role: Role | None = None) -> None:
    """The author deletes their article; moderators and admins may delete anyone's."""
    articles.delete(_current(slug), viewer, may_moderate(role))


def favorite(slug: str, viewer: str) -> ArticleView:
    marker = _marker(slug)
    favorites.favorite(marker["articleId"], viewer)
    return _read(marker, viewer)


def unfavorite(slug: str, viewer: str) -> ArticleView:
    marker = _marker(slug)
    favorites.unfavorite(marker["articleId"], viewer)
    return _read(marker, viewer)


def list_articles(filters: dict[str, str], page: Page, viewer: str | None) -> MultipleArticles:
    chosen = {name: value for name, value in filters.items() if name in LIST_FILTERS and value}
    if len(chosen) > 1:
        raise InvalidInput("query", "filter by at most one of tag, author, favorited")
    if "tag" in chosen:
        ids = articles.ids_with_tag(chosen["tag"], page.offset, page.limit)
        return _listing(ids, viewer, None, None, counters.tag_total(chosen["tag"]))
    for name, partition, counter in (
        ("author", keys.authored_partition, "articlesCount"),
        ("favorited", keys.favorited_partition, "favoritesCount"),
    ):
        if name in chosen:
            uid = users.id_for_username(chosen[name])
            if uid is None:
                return {"articles": [], "articlesCount": 0}
            ids = articles.page_ids(partition(uid), keys.BY_OWNER_INDEX, page.offset, page.limit)
            return _listing(ids, viewer, keys.user(uid), counter)
    ids = articles.page_ids(keys.ALL_ARTICLES_PARTITION, keys.BY_KIND_INDEX, page.offset, page.limit)
    return _listing(ids, viewer, None, None, counters.article_total())


def feed(viewer: str, page: Page) -> MultipleArticles:
    """Bounded read-merge: newest articles of at most FEED_MAX_FOLLOWS followed authors.

    One Query per followed author (run in parallel, keys only, offset+limit each), merged by id
    (ids are time-ordered). The total is the sum of those authors' article counters.
    With FEED_MODE=fan-out: one Query of the viewer's feed entries, the total from `feedCount`.
    """
    if get_settings().feed_mode == "fan-out":
        ids = feed_entries.page_ids(viewer, page.offset, page.limit)
        return _listing(ids, viewer, keys.user(viewer), feed_entries.FEED_COUNTER)
    authors = follows.followees(viewer, get_settings().feed_max_follows)
    if not authors:
        return {"articles": [], "articlesCount": 0}
    wanted = page.offset + page.limit
    with ThreadPoolExecutor(max_workers=min(FEED_THREADS, len(authors) + 1)) as pool:
        counts = pool.submit(ops.batch_get, [keys.user(a) for a in authors], ("articlesCount",))
        per_author = pool.map(
            lambda a: articles.page_ids(keys.authored_partition(a), keys.BY_OWNER_INDEX, 0, wanted), authors
        )
        merged = sorted((aid for ids in per_author for aid in ids), reverse=True)
        total = sum(max(user.get("articlesCount", 0), 0) for user in counts.result().values())
    return _listing(merged[page.offset : wanted], viewer, None, None, total=total)


def _listing(
    ids: list[str], viewer: str | None, counter_key: keys.Key | None, counter: str | None, total: int = 0
) -> MultipleArticles:
    """The page's articles, with `total` or, if `counter_key`, the total read from that item's `counter`."""
    page, counted = _read_page(ids, counter_key, counter or "articleCount")
    seen = relations.load(viewer, {a["authorId"] for a in page}, [a["id"] for a in page])
    return {"articles": [_summary(a, seen) for a in page], "articlesCount": total if counted is None else counted}


def _read_page(ids: list[str], counter_key: keys.Key | None, counter: str) -> tuple[list[Item], int | None]:
    """The articles that exist of `ids`, in order, and the counter (None without `counter_key`): one batch."""
    wanted = [keys.article(aid) for aid in ids] + ([counter_key] if counter_key else [])
    if not wanted:
        return [], None
    found = ops.batch_get(wanted, projection=(*articles.SUMMARY_FIELDS, counter))
    page = [found[key] for key in (_key(keys.article(aid)) for aid in ids) if key in found]
    if counter_key is None:
        return page, None
    return page, max(found.get(_key(counter_key), {}).get(counter, 0), 0)


def _single(article: Item, viewer: str) -> ArticleView:
    return _render(article, relations.load(viewer, [article["authorId"]], [article["id"]]))


def _render(article: Item, seen: relations.Relations) -> ArticleView:
    shown = {**article, "favoritesCount": seen.favorites_count(article)}
    return article_view(shown, seen.author(article["authorId"]), seen.has_favorited(article["id"]))


def _summary(article: Item, seen: relations.Relations) -> ArticleSummaryView:
    shown = {**article, "favoritesCount": seen.favorites_count(article)}
    return article_summary_view(shown, seen.author(article["authorId"]), seen.has_favorited(article["id"]))


def _marker(slug: str) -> Item:
    return found(articles.find_by_slug(slug), ArticleNotFound)


def _current(slug: str) -> Item:
    """The article as stored now, for a change. Who may change it is not asked here: the change's
    write carries the ownership condition (store.articles), and its refusal says 403 or 404."""
    return found(articles.get(_marker(slug)["articleId"], consistent=True), ArticleNotFound)


def _key(key: keys.Key) -> tuple[str, str]:
    return key["PK"], key["SK"]
