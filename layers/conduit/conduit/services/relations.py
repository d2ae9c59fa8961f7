"""What the viewer sees next to content: authors' profiles, `following` and `favorited` flags.

Everything for a page is fetched in one BatchGetItem (conduit.ports.relations): author users, the
viewer's follow edges to those authors, the viewer's favorite edges on those articles and the
viewer's pending favorite markers on them (store.favorites: a favorite not yet folded into the
article's count is added to it for its own user, so one's own favorite shows at once).
"""

from __future__ import annotations

from collections.abc import Iterable

from conduit.entities.relations import Relations
from conduit.ports import relations as relation_port
from conduit.services.views import ProfileView, deleted_author, profile_view


def load(
    viewer: str | None, user_ids: Iterable[str], article_ids: Iterable[str] = (), article_id: str | None = None
) -> Relations:
    """One batch for the page; `article_id` adds that article, whole, to it."""
    return relation_port.store().load(viewer, set(user_ids), set(article_ids), article_id)


def author(seen: Relations, uid: str) -> ProfileView:
    """The author's profile as the viewer sees it; an author whose account is gone shows as deleted."""
    found = seen.authors.get(uid)
    return profile_view(found, seen.following(uid)) if found else deleted_author()
