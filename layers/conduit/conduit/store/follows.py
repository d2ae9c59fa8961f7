"""Follow edges: USER#<follower> / FOLLOWS#<followee>, with the inverse in the ByOwner index."""

from __future__ import annotations

from conduit.errors import ProfileNotFound
from conduit.store import edges, keys, ops
from conduit.store import transactions as tx
from conduit.store.conditions import EXISTS


def follow(follower: str, followee: str) -> None:
    """Idempotent: following twice leaves one edge and counts once."""
    edge = edges.edge(keys.follow(follower, followee), "follow", keys.followers_partition(followee), follower)
    edges.change(
        [
            tx.put_new(edge),
            tx.check(keys.user(followee), EXISTS),
            tx.add_to_counter(keys.user(follower), "followingCount", 1, must_exist=True),
        ],
        refusals={1: ProfileNotFound},
    )


def unfollow(follower: str, followee: str) -> None:
    """Idempotent: unfollowing someone not followed changes nothing."""
    edges.change(
        [
            tx.delete(keys.follow(follower, followee), EXISTS),
            tx.add_to_counter(keys.user(follower), "followingCount", -1, must_exist=True),
        ]
    )


def followees(follower: str, limit: int) -> list[str]:
    edges = ops.query(keys.user_partition(follower), sk_prefix=keys.FOLLOWS_PREFIX, limit=limit, projection=("SK",))
    return [keys.suffix(edge["SK"]) for edge in edges]
