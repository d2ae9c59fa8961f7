"""Follows: one user following another, added or removed once however often asked."""

from __future__ import annotations

from typing import Protocol

from conduit.ports import Accessor


class FollowStore(Protocol):
    def follow(self, follower: str, followee: str) -> None:
        """ProfileNotFound if the followee does not exist."""
        ...

    def unfollow(self, follower: str, followee: str) -> None: ...

    def followees(self, follower: str, limit: int) -> list[str]:
        """Whom `follower` follows: at most `limit` user ids."""
        ...


def _dynamodb() -> FollowStore:
    from conduit.store import follows

    return follows


store = Accessor[FollowStore](_dynamodb)
