"""Account deletion jobs: DELETION#<uid> / JOB holds the state of the cascade that removes what a
deleted account owned (services.accounts): its phase, the cursor within it, what was removed, and a
`step` number every batch moves on under a condition, so two deliveries of one queue message never
both advance the job. The job outlives the user item (admins read its progress) and expires by TTL
JOB_RETENTION_SECONDS after it finished.
"""

from __future__ import annotations

import time
from typing import Any

from conduit.errors import UserNotFound
from conduit.security import credentials
from conduit.store import keys, ops
from conduit.store import transactions as tx
from conduit.store.client import Item
from conduit.store.conditions import BEING_DELETED, DELETING, EXISTS, NOT_DELETING, all_of
from conduit.store.ids import iso_now

JOB_RETENTION_SECONDS = 30 * 24 * 3600


class AlreadyDeleting(Exception):
    """The account's deletion began before: its job stands."""


def start(user: Item, job: Item) -> None:
    """One transaction: the job, the user marked deleting with its credentials version moved on (every
    token refused: conduit.security.credentials) and out of the admins' user list, and both
    uniqueness markers gone (the profile is 404, the email and username free again)."""
    uid = user["id"]
    names = {f"#{n}": n for n in (DELETING, *credentials.FIELDS)}
    user_update = tx.update(
        keys.user(uid),
        f"SET #{DELETING} = :now, #{credentials.VERSION} = :version "
        f"REMOVE #{credentials.CHANGED_BY}, #{credentials.CHANGED_AT}, GSI2PK, GSI2SK",
        all_of(EXISTS, NOT_DELETING),
        now=iso_now(),
        version=credentials.version(user) + 1,
    )
    user_update["Update"]["ExpressionAttributeNames"] = names
    actions = [
        tx.put_new({**keys.deletion_job(uid), **job}),
        user_update,
        tx.delete(keys.email_marker(user["email"]), "userId = :me", me=uid),
        tx.delete(keys.username_marker(user["username"]), "userId = :me", me=uid),
    ]
    try:
        ops.transact(actions)
    except ops.TransactionCancelled as cancelled:
        if cancelled.failed(0) or cancelled.failed(1):
            raise AlreadyDeleting() from None
        raise  # a concurrent email or username change: nothing was written, the caller answers 503


def get(uid: str) -> Item | None:
    return ops.get_item(keys.deletion_job(uid), consistent=True)


def advance(uid: str, seen_step: int, changes: dict[str, Any]) -> bool:
    """Record a batch's progress if nobody advanced the job since `seen_step`; False otherwise."""
    sets = {**changes, "step": seen_step + 1, "updatedAt": iso_now()}
    expression = "SET " + ", ".join(f"#{name} = :{name}" for name in sets)
    names = {f"#{name}": name for name in sets}
    try:
        ops.update_item(keys.deletion_job(uid), expression, "#step = :seen", names, **sets, seen=seen_step)
    except ops.ConditionFailed:
        return False
    return True


def finish(uid: str, seen_step: int, removed: dict[str, int]) -> bool:
    """The last step: the user item goes (it must be the one being deleted) and the job is done."""
    done = {"state": "done", "phase": "done", "removed": removed, "step": seen_step + 1, "updatedAt": iso_now()}
    job_update = tx.update(
        keys.deletion_job(uid),
        "SET " + ", ".join(f"#{name} = :{name}" for name in done) + ", #expiresAt = :expiresAt",
        "#step = :seen",
        **done,
        seen=seen_step,
        expiresAt=int(time.time()) + JOB_RETENTION_SECONDS,
    )
    job_update["Update"]["ExpressionAttributeNames"] = {f"#{n}": n for n in [*done, "expiresAt"]}
    try:
        ops.transact([job_update, tx.delete(keys.user(uid), BEING_DELETED)])
    except ops.TransactionCancelled as cancelled:
        if cancelled.failed(0):
            return False  # another delivery finished it
        raise UserNotFound() from None  # the user item is not one being deleted: never delete it
    return True
