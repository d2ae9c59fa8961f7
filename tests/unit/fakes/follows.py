"""In-memory FollowStore (conduit.ports.follows): an edge once, to an existing user."""

from __future__ import annotations

from conduit.errors import ProfileNotFound
from tests.unit.fakes.content import Content


class FakeFollows:
    def __init__(self, content: Content) -> None:
        self.content = content

    def follow(self, follower: str, followee: str) -> None:
        if followee not in self.content.users:
            raise ProfileNotFound()
        self.content.follows.add((follower, followee))

    def unfollow(self, follower: str, followee: str) -> None:
        self.content.follows.discard((follower, followee))

    def followees(self, follower: str, limit: int) -> list[str]:
        return sorted(followee for fan, followee in self.content.follows if fan == follower)[:limit]
