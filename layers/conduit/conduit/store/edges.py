"""Edges between a user and what they follow or favorite: the edge item, and the one transaction that
adds or removes it together with its counters.

An edge's key is its owner's side (USER#<follower> / FOLLOWS#<followee>, ARTICLE#<aid> / FAVBY#<uid>);
the other side finds it in the ByOwner index. The transaction's first action is the edge's own put
(on the condition it is not there) or delete (on the condition it is): when that condition fails the
request is a repeat, nothing was written, and the caller may answer as if it had just done it.
"""

from __future__ import annotations

from collections.abc import Mapping

from conduit.errors import DomainError
from conduit.store import ops
from conduit.store.client import Item
from conduit.store.ids import iso_now
from conduit.store.keys import Key
from conduit.store.transactions import Action


def edge(key: Key, kind: str, owner_partition: str, owner_sort: str) -> Item:
    """The edge item: its key, its `type`, its place in the ByOwner index, when it was made."""
    return {**key, "type": kind, "GSI1PK": owner_partition, "GSI1SK": owner_sort, "createdAt": iso_now()}


def change(actions: list[Action], refusals: Mapping[int, type[DomainError]] | None = None) -> bool:
    """Run `actions` (the edge's own first) in one transaction; False when only the edge's condition
    failed (a repeat: nothing written). A failed action listed in `refusals` raises its error first;
    any other cancellation propagates."""
    try:
        ops.transact(actions)
    except ops.TransactionCancelled as cancelled:
        for index, refusal in (refusals or {}).items():
            if cancelled.failed(index):
                raise refusal() from None
        if cancelled.failed(0):
            return False
        raise
    return True
