"""Receipts: a create sent again under its Idempotency-Key finds what its first attempt made.

A create can commit and still fail: every attempt's answer lost, or the last attempt timing out. It
answers 503 without knowing whether it wrote, and Powertools forgets a failed request
(conduit.idempotency), so the same request sent again would run again: a second article or comment,
a 409 for the caller's own registration. A create that carries an Idempotency-Key therefore also
puts a receipt in its own transaction: the item `RECEIPT#<hash of route, caller and key>` naming
the item the create made and a fingerprint of the request, put only where no live receipt is.

The receipt exists exactly when the create committed. The request sent again builds a new
transaction (new ids, a new ClientRequestToken); its receipt put fails, and the store answers the
item the receipt names, as it is now (404 if it was deleted since), instead of writing another. If the
first attempt did not commit there is no receipt and the request sent again creates, once. The same
key with another request (another body, another article's comments) is a 422, as Powertools answers
it for a key whose first request succeeded.

Without a key nothing changes: no receipt, no extra call. With one: one more Put in the create's
transaction (no extra round trip); the rare request sent again after a committed failure reads the
receipt and the item (two strongly consistent GetItems) instead of writing.

Receipts live as long as the idempotency records (IDEMPOTENCY_TTL_SECONDS; TTL on `expiresAt`). An
expired one no longer counts, even before DynamoDB's TTL removes it: the put's condition allows
replacing it.
"""

from __future__ import annotations

import hashlib
import time
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass

from conduit.errors import ChangedConcurrently, IdempotencyKeyReused
from conduit.settings import get_settings
from conduit.store import keys, ops
from conduit.store.client import Item, to_ddb, values
from conduit.store.conditions import ABSENT
from conduit.store.transactions import Action


@dataclass(frozen=True)
class Claim:
    """A create's Idempotency-Key, scoped as its idempotency record: route, caller (user id, or
    `ip:<source ip>` when anonymous) and key; `fingerprint` is a hash of what the request asks for."""

    route: str
    caller: str
    key: str
    fingerprint: str


_current: ContextVar[Claim | None] = ContextVar("conduit_receipt_claim", default=None)


@contextmanager
def claiming(claim: Claim) -> Iterator[None]:
    """Creates inside the block write (or redeem) the receipt of `claim`."""
    reset = _current.set(claim)
    try:
        yield
    finally:
        _current.reset(reset)


def receipt_key(claim: Claim) -> keys.Key:
    scope = "\n".join((claim.route, claim.caller, claim.key))  # a key is visible ASCII: no newline
    return keys.receipt(hashlib.sha256(scope.encode("utf-8")).hexdigest())


def add(actions: list[Action], made: keys.Key) -> int:
    """Append the running create's receipt for the item `made` to its transaction `actions`.

    Returns the receipt's index in `actions`, or -1 outside a claim (nothing appended), so that
    `cancelled.failed(index)` says whether an earlier attempt of this request made it already."""
    claim = _current.get()
    if claim is None:
        return -1
    now = int(time.time())
    receipt = {
        **receipt_key(claim),
        "type": "receipt",
        "route": claim.route,
        "madePK": made["PK"],
        "madeSK": made["SK"],
        "fingerprint": claim.fingerprint,
        "expiresAt": now + get_settings().idempotency_ttl_seconds,
    }
    actions.append(
        {
            "Put": {
                "Item": to_ddb(receipt),
                "ConditionExpression": f"{ABSENT} OR expiresAt < :now",
                "ExpressionAttributeValues": values(now=now),
            }
        }
    )
    return len(actions) - 1


def made_before() -> Item | None:
    """What an earlier attempt of the running create made (its receipt is there): the item as it is
    now, or None if it was deleted since. 422 when the receipt is another request's under this key."""
    claim = _current.get()
    if claim is None:
        return None
    receipt = ops.get_item(receipt_key(claim), consistent=True)
    if receipt is None:  # removed by TTL between the failed put and this read: the retry creates anew
        raise ChangedConcurrently()
    if receipt.get("fingerprint") != claim.fingerprint:
        raise IdempotencyKeyReused()
    return ops.get_item({"PK": receipt["madePK"], "SK": receipt["madeSK"]}, consistent=True)
