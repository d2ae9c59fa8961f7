"""In-memory RelationStore (conduit.ports.relations): the page's batch, from the shared state; each
load is one 'round trip' in `calls`."""

from __future__ import annotations

from collections.abc import Collection

from conduit.entities.relations import Relations
from tests.unit.fakes.content import Content


class FakeRelations:
    def __init__(self, content: Content) -> None:
        self.content = content
        self.loads: list[tuple[str | None, frozenset[str], frozenset[str], str | None]] = []

    def user_id(self, username: str) -> str | None:
        return self.content.usernames.get(username)

    def load(
        self, viewer: str | None, user_ids: Collection[str], article_ids: Collection[str], article_id: str | None = None
    ) -> Relations:
        self.content.calls["relations.load"] += 1
        self.loads.append((viewer, frozenset(user_ids), frozenset(article_ids), article_id))
        mine = viewer is not None
        return Relations(
            authors={uid: self.content.users[uid] for uid in user_ids if uid in self.content.users},
            followed=frozenset(uid for uid in user_ids if mine and (viewer, uid) in self.content.follows),
            favorited=frozenset(aid for aid in article_ids if mine and (aid, viewer) in self.content.favorites),
            pending={aid: self.content.pending[(aid, viewer)] for aid in article_ids if mine and viewer},
            article=self.content.articles.get(article_id) if article_id else None,
        )
