"""What the viewer sees next to content: authors' profiles, `following` and `favorited` flags.

Everything for a page is fetched in one BatchGetItem: author users, the viewer's follow edges to
those authors, the viewer's favorite edges on those articles and the viewer's pending favorite
markers on them (store.favorites: a favorite not yet folded into the article's count is added to
it for its own user, so one's own favorite shows at once).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from conduit.services.views import ProfileView, deleted_author, profile_view
from conduit.store import keys, ops
from conduit.store.client import Item

USER_FIELDS = ("id", "username", "bio", "image")


@dataclass(frozen=True)
class Relations:
    users: dict[str, Item]
    followed: frozenset[str]
    favorited: frozenset[str]
    extras: dict[tuple[str, str], Item]
    pending: dict[str, int] | None = None  # article id -> the viewer's favorites not yet folded

    def favorites_count(self, article: Item) -> int:
        """The article's favoritesCount as this viewer sees it: folded + the viewer's own pending."""
        return int(article.get("favoritesCount", 0)) + (self.pending or {}).get(article["id"], 0)

    def author(self, uid: str) -> ProfileView:
        user = self.users.get(uid)
        return profile_view(user, uid in self.followed) if user else deleted_author()

    def has_favorited(self, aid: str) -> bool:
        return aid in self.favorited


def load(
    viewer: str | None,
    user_ids: Iterable[str],
    article_ids: Iterable[str] = (),
    also: Iterable[keys.Key] = (),
) -> Relations:
    """One BatchGetItem for the page; `also` adds whole items (e.g. the article itself) to it."""
    user_ids, article_ids, also = set(user_ids), set(article_ids), list(also)
    wanted = [*also, *_wanted(viewer, user_ids, article_ids)]
    found = ops.batch_get(wanted, projection=None if also else (*USER_FIELDS, "delta")) if wanted else {}
    extras = {
        (key["PK"], key["SK"]): found.pop((key["PK"], key["SK"])) for key in also if (key["PK"], key["SK"]) in found
    }
    return _relations(found, extras)


def _relations(found: dict[tuple[str, str], Item], extras: dict[tuple[str, str], Item]) -> Relations:
    """The batch's items sorted out: user items, follow edges, favorite edges, pending favorite markers."""
    return Relations(
        users={item["id"]: item for (_, sk), item in found.items() if sk == keys.USER_SORT},
        followed=frozenset(keys.suffix(sk) for _, sk in found if sk.startswith(keys.FOLLOWS_PREFIX)),
        favorited=frozenset(keys.suffix(pk) for pk, sk in found if sk.startswith(keys.FAVORITE_PREFIX)),
        extras=extras,
        pending={
            keys.suffix(pk): int(item.get("delta", 0))
            for (pk, sk), item in found.items()
            if sk.startswith(keys.PENDING_FAVORITE_PREFIX)
        },
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
