"""Follow edges: USER#<follower> / FOLLOWS#<followee>, with the inverse in the ByOwner index."""

from __future__ import annotations

from conduit.errors import ProfileNotFound
from conduit.store import keys, ops
from conduit.store import transactions as tx
from conduit.store.conditions import EXISTS
from conduit.store.ids import iso_now


def follow(follower: str, followee: str) -> None:
    """Idempotent: following twice leaves one edge and counts once."""
    edge = {
        **keys.follow(follower, followee),
        "type": "follow",
        "GSI1PK": keys.followers_partition(followee),
        "GSI1SK": follower,
        "createdAt": iso_now(),
    }
    try:
        ops.transact(
            [
                tx.put_new(edge),
                tx.check(keys.user(followee), EXISTS),
                tx.add_to_counter(keys.user(follower), "followingCount", 1, must_exist=True),
            ]
        )
    except ops.TransactionCancelled as cancelled:
        if cancelled.failed(1):
            raise ProfileNotFound() from None
        if not cancelled.failed(0):
            raise


def unfollow(follower: str, followee: str) -> None:
    """Idempotent: unfollowing someone not followed changes nothing."""
    try:
        ops.transact(
            [
                tx.delete(keys.follow(follower, followee), EXISTS),
                tx.add_to_counter(keys.user(follower), "followingCount", -1, must_exist=True),
            ]
        )
    except ops.TransactionCancelled as cancelled:
        if not cancelled.failed(0):
            raise


def followees(follower: str, limit: int) -> list[str]:
    edges = ops.query(keys.user_partition(follower), sk_prefix=keys.FOLLOWS_PREFIX, limit=limit, projection=("SK",))
    return [keys.suffix(edge["SK"]) for edge in edges]
