"""What a viewer sees next to content, in one batch: authors, the viewer's edges, one article."""

from __future__ import annotations

from collections.abc import Collection
from typing import Protocol

from conduit.entities.relations import Relations
from conduit.ports import Accessor


class RelationStore(Protocol):
    def user_id(self, username: str) -> str | None:
        """Whose username this is (the username marker)."""
        ...

    def load(
        self, viewer: str | None, user_ids: Collection[str], article_ids: Collection[str], article_id: str | None = None
    ) -> Relations:
        """The users' profiles; for a viewer, their follow edges to them, their favorite edges on the
        articles and their pending favorite markers on them; the article `article_id` whole."""
        ...


def _dynamodb() -> RelationStore:
    from conduit.store import relations

    return relations


store = Accessor[RelationStore](_dynamodb)
