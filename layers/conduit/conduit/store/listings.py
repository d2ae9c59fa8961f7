"""Lists of articles: pages of ids from the indexes built for each list, their totals, and a page's
articles (and the GraphQL lists' slugs and bodies) in one BatchGetItem each."""

from __future__ import annotations

from collections.abc import Sequence

from conduit.entities.articles import ArticleSummary, SlugRef, UserTotal
from conduit.store import counters, keys, ops
from conduit.store.articles import slug_ref, summary

SUMMARY_FIELDS = (
    "id", "slug", "title", "description", "tagList", "authorId",
    "createdAt", "updatedAt", "favoritesCount",
)  # fmt: skip
# The user item's counter each total reads (store.articles, store.favorites, store.feed keep them).
TOTALS = {"authored": "articlesCount", "favorited": "favoritesCount", "feed": "feedCount"}


def page_ids(partition: str, index: str, offset: int, limit: int) -> list[str]:
    """Article ids of one index partition, newest first, for one page (keys-only reads)."""
    rows = ops.query(partition, index=index, newest_first=True, limit=offset + limit)
    return [keys.suffix(row["PK"]) for row in rows[offset:]]


def recent_ids(offset: int, limit: int) -> list[str]:
    return page_ids(keys.ALL_ARTICLES_PARTITION, keys.BY_KIND_INDEX, offset, limit)


def authored_ids(uid: str, offset: int, limit: int) -> list[str]:
    return page_ids(keys.authored_partition(uid), keys.BY_OWNER_INDEX, offset, limit)


def favorited_ids(uid: str, offset: int, limit: int) -> list[str]:
    return page_ids(keys.favorited_partition(uid), keys.BY_OWNER_INDEX, offset, limit)


def tagged_ids(tag: str, offset: int, limit: int) -> list[str]:
    rows = ops.query(keys.tag_partition(tag), sk_prefix=keys.ARTICLE_PREFIX, newest_first=True, limit=offset + limit)
    return [keys.suffix(row["SK"]) for row in rows[offset:]]


def article_total() -> int:
    return counters.article_total()


def tag_total(tag: str) -> int:
    return counters.tag_total(tag)


def authored_total(authors: Sequence[str]) -> int:
    counts = ops.batch_get([keys.user(a) for a in authors], (TOTALS["authored"],))
    return sum(max(user.get(TOTALS["authored"], 0), 0) for user in counts.values())


def summaries(ids: Sequence[str], total: UserTotal | None = None) -> tuple[list[ArticleSummary], int | None]:
    counter_key = keys.user(total.user_id) if total else None
    counter = TOTALS[total.of] if total else "articleCount"
    wanted = [keys.article(aid) for aid in ids] + ([counter_key] if counter_key else [])
    if not wanted:
        return [], None
    found = ops.batch_get(wanted, projection=(*SUMMARY_FIELDS, counter))
    page = [summary(found[key]) for key in (keys.pair(keys.article(aid)) for aid in ids) if key in found]
    if counter_key is None:
        return page, None
    return page, max(found.get(keys.pair(counter_key), {}).get(counter, 0), 0)


def slug_refs(slugs: Sequence[str]) -> list[SlugRef | None]:
    found = ops.batch_get([keys.slug_marker(slug) for slug in slugs])
    markers = [found.get(keys.pair(keys.slug_marker(slug))) for slug in slugs]
    return [slug_ref(marker) if marker else None for marker in markers]


def bodies(article_ids: Sequence[str]) -> dict[str, str]:
    found = ops.batch_get([keys.article(aid) for aid in article_ids], projection=("body",)) if article_ids else {}
    return {keys.suffix(pk): item["body"] for (pk, _), item in found.items() if "body" in item}
