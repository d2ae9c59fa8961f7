"""Account deletion jobs: DELETION#<uid> / JOB holds the state of the cascade that removes what a
deleted account owned (services.accounts): its phase, the cursor within it, what was removed, and a
`step` number every batch moves on under a condition, so two deliveries of one queue message never
both advance the job. The job outlives the user item (admins read its progress) and expires by TTL
JOB_RETENTION_SECONDS after it finished. Implements conduit.ports.deletions.DeletionStore.
"""

from __future__ import annotations

import time

from conduit.entities.lifecycle import AccountToDelete, Cursor, DeletionJob, Progress
from conduit.errors import ChangedConcurrently, UserNotFound
from conduit.security import credentials
from conduit.store import keys, ops, users
from conduit.store import transactions as tx
from conduit.store.client import Item
from conduit.store.conditions import BEING_DELETED, DELETING, EXISTS, NOT_DELETING, all_of
from conduit.store.ids import iso_now

JOB_RETENTION_SECONDS = 30 * 24 * 3600


def account(uid: str) -> AccountToDelete | None:
    user = users.get(uid, consistent=True)
    if user is None:
        return None
    return AccountToDelete(
        user_id=user["id"],
        username=user["username"],
        email=user["email"],
        password_hash=user["passwordHash"],
        credentials_version=credentials.version(user),
    )


def account_id(username: str) -> str | None:
    return users.id_for_username(username)


def start(account: AccountToDelete, job: DeletionJob) -> bool:
    """One transaction: the job, the user marked deleting with its credentials version moved on (every
    token refused: conduit.security.credentials) and out of the admins' user list, and both
    uniqueness markers gone (the profile is 404, the email and username free again). False, with
    nothing written, if the account's deletion began before (its job stands)."""
    uid = account.user_id
    names = {f"#{n}": n for n in (DELETING, *credentials.FIELDS)}
    user_update = tx.update(
        keys.user(uid),
        f"SET #{DELETING} = :now, #{credentials.VERSION} = :version "
        f"REMOVE #{credentials.CHANGED_BY}, #{credentials.CHANGED_AT}, GSI2PK, GSI2SK",
        all_of(EXISTS, NOT_DELETING),
        now=iso_now(),
        version=account.credentials_version + 1,
    )
    user_update["Update"]["ExpressionAttributeNames"] = names
    actions = [
        tx.put_new({**keys.deletion_job(uid), **_item(job)}),
        user_update,
        tx.delete(keys.email_marker(account.email), "userId = :me", me=uid),
        tx.delete(keys.username_marker(account.username), "userId = :me", me=uid),
    ]
    try:
        ops.transact(actions)
    except ops.TransactionCancelled as cancelled:
        if cancelled.failed(0) or cancelled.failed(1):
            return False
        raise ChangedConcurrently() from None  # a concurrent email or username change: nothing was written
    return True


def get(uid: str) -> DeletionJob | None:
    item = ops.get_item(keys.deletion_job(uid), consistent=True)
    return None if item is None else _entity(item)


def advance(uid: str, seen_step: int, progress: Progress) -> bool:
    """Record a batch's progress if nobody advanced the job since `seen_step`; False otherwise."""
    sets = {**_progress_item(progress), "step": seen_step + 1, "updatedAt": iso_now()}
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


def _item(job: DeletionJob) -> Item:
    return {
        "type": "deletion",
        "userId": job.user_id,
        "username": job.username,
        "state": job.state,
        **_progress_item(job.progress),
        "step": job.step,
        "requestedBy": job.requested_by,
        "requestedAt": job.requested_at,
        "requestedEpoch": job.requested_epoch,
        "updatedAt": job.updated_at,
    }


def _progress_item(progress: Progress) -> Item:
    cursor = None if progress.cursor is None else dict(progress.cursor.key)
    return {"phase": progress.phase, "cursor": cursor, "swept": progress.swept, "removed": dict(progress.removed)}


def _entity(item: Item) -> DeletionJob:
    cursor = item.get("cursor")
    progress = Progress(
        phase=item["phase"],
        cursor=Cursor(tuple(sorted(cursor.items()))) if cursor else None,
        removed={name: int(count) for name, count in (item.get("removed") or {}).items()},
        swept=bool(item.get("swept")),
    )
    return DeletionJob(
        user_id=item["userId"],
        username=item["username"],
        state=item["state"],
        step=int(item["step"]),
        progress=progress,
        requested_by=item["requestedBy"],
        requested_at=item["requestedAt"],
        requested_epoch=int(item["requestedEpoch"]),
        updated_at=item["updatedAt"],
    )
