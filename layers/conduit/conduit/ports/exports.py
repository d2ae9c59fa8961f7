"""Data exports: the job (create, read, finish), and everything stored about a user that it copies."""

from __future__ import annotations

from typing import Protocol

from conduit.entities.lifecycle import Attributes, CommentRecord, ExportJob, FavoriteRecord
from conduit.ports import Accessor


class ExportStore(Protocol):
    def create(self, uid: str, export_id: str) -> ExportJob: ...

    def get(self, uid: str, export_id: str) -> ExportJob | None:
        """The job; None for an id no key can hold too."""
        ...

    def finish(self, uid: str, export_id: str, object_key: str) -> None: ...

    def profile(self, uid: str) -> Attributes | None:
        """The user item's attributes (a consistent read), secrets included: the service drops them."""
        ...

    def articles(self, uid: str) -> list[Attributes]: ...

    def comments(self, uid: str) -> list[CommentRecord]: ...

    def favorites(self, uid: str) -> list[FavoriteRecord]: ...

    def following(self, uid: str) -> list[str]:
        """Ids of whom the user follows."""
        ...

    def followers(self, uid: str) -> list[str]:
        """Ids of who follows the user."""
        ...

    def usernames(self, uids: list[str]) -> dict[str, str]:
        """id -> username of those of `uids` that exist (one batch read)."""
        ...


def _dynamodb() -> ExportStore:
    from conduit.store import exports

    return exports


store = Accessor[ExportStore](_dynamodb)
