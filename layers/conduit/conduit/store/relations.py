"""What a viewer sees next to content, in one BatchGetItem: the authors' user items, the viewer's
follow edges to them, favorite edges on the page's articles and pending favorite markers on them
(store.favorites), and, asked for with them, one article whole."""

from __future__ import annotations

from collections.abc import Collection

from conduit.entities.articles import Article
from conduit.entities.profiles import Author
from conduit.entities.relations import Relations
from conduit.store import keys, ops, users
from conduit.store.articles import entity
from conduit.store.client import Item

USER_FIELDS = ("id", "username", "bio", "image")


def user_id(username: str) -> str | None:
    return users.id_for_username(username)


def author(user: Item) -> Author:
    return Author(id=user["id"], username=user["username"], bio=user.get("bio"), image=user.get("image"))


def load(
    viewer: str | None, user_ids: Collection[str], article_ids: Collection[str], article_id: str | None = None
) -> Relations:
    """One BatchGetItem (none for an empty page); with `article_id`, whole items (the article's)."""
    also = [keys.article(article_id)] if article_id else []
    wanted = [*also, *_wanted(viewer, set(user_ids), set(article_ids))]
    found = ops.batch_get(wanted, projection=None if also else (*USER_FIELDS, "delta")) if wanted else {}
    article = found.pop(keys.pair(also[0]), None) if also else None
    return _sorted_out(found, entity(article) if article else None)


def _sorted_out(found: dict[tuple[str, str], Item], article: Article | None) -> Relations:
    """The batch's items sorted out: user items, follow edges, favorite edges, pending favorite markers."""
    return Relations(
        authors={item["id"]: author(item) for (_, sk), item in found.items() if sk == keys.USER_SORT},
        followed=frozenset(keys.suffix(sk) for _, sk in found if sk.startswith(keys.FOLLOWS_PREFIX)),
        favorited=frozenset(keys.suffix(pk) for pk, sk in found if sk.startswith(keys.FAVORITE_PREFIX)),
        pending={
            keys.suffix(pk): int(item.get("delta", 0))
            for (pk, sk), item in found.items()
            if sk.startswith(keys.PENDING_FAVORITE_PREFIX)
        },
        article=article,
    )


def _wanted(viewer: str | None, user_ids: set[str], article_ids: set[str]) -> list[keys.Key]:
    """The authors' user items, and the viewer's follow edges to them, favorite edges on the articles
    and pending favorite markers on them."""
    wanted = [keys.user(uid) for uid in user_ids]
    if viewer:
        wanted += [keys.follow(viewer, uid) for uid in user_ids if uid != viewer]
        wanted += [keys.favorite(aid, viewer) for aid in article_ids]
        wanted += [keys.pending_favorite(aid, viewer) for aid in article_ids]
    return wanted
