"""Account deletion: the account stops at once, then a queue-driven job removes what it owned.

`request_deletion` (the user, with their current password) and `delete_by_admin` start it with one
transaction (conduit.ports.deletions `start`): the job, the user marked `deleting` with its
credentials version moved on (every token refused), and both uniqueness markers gone (profile 404,
login impossible, the email and username free again). Then a message goes to the deletion queue,
and the job runs batch by batch (services.account_purge).
"""

from __future__ import annotations

import time

from conduit import observability
from conduit.entities.lifecycle import AccountToDelete, DeletionJob, Progress
from conduit.errors import DeletionNotFound, ProfileNotFound, RateLimited, TokenInvalid, WrongPassword, found
from conduit.ports import deletions as deletion_port
from conduit.ports import quotas as quota_port
from conduit.security import guard
from conduit.security.passwords import verify_password
from conduit.services.account_purge import PHASES, queue_batch
from conduit.services.views import DeletionView
from conduit.settings import get_settings
from conduit.store.ids import iso_now

ATTEMPTS = "delete-account"  # the quota kind of password confirmations


def request_deletion(uid: str, password: str) -> DeletionView:
    """The user deletes their own account; the current password is required (403 when wrong, with
    attempts limited like logins)."""
    store, quotas = deletion_port.store(), quota_port.store()
    reservation = quotas.reserve(ATTEMPTS, uid, get_settings().login_failures_per_minute)
    if reservation.refused:
        observability.count("RateLimited")
        raise RateLimited(reservation.retry_after)
    account = store.account(uid)
    if account is None:
        raise TokenInvalid()
    if not verify_password(password, account.password_hash):
        raise WrongPassword()
    quotas.release(reservation)
    return _start(account, requested_by=uid)


def delete_by_admin(username: str, admin: str) -> DeletionView:
    store = deletion_port.store()
    uid = store.account_id(username)
    account = found(store.account(uid) if uid else None, ProfileNotFound)
    return _start(account, requested_by=admin)


def _start(account: AccountToDelete, requested_by: str) -> DeletionView:
    now = iso_now()
    job = DeletionJob(
        user_id=account.user_id,
        username=account.username,
        state="running",
        step=0,
        progress=Progress(phase=PHASES[0], cursor=None, removed=dict.fromkeys(PHASES[:-1], 0)),
        requested_by=requested_by,
        requested_at=now,
        requested_epoch=int(time.time()),
        updated_at=now,
    )
    if not deletion_port.store().start(account, job):
        return status(account.user_id)  # begun before: its job stands
    guard.forget(account.user_id)
    queue_batch(account.user_id, 0)
    return _view(job)


def status(uid: str) -> DeletionView:
    # an id no key can hold finds nothing (store.ops)
    return _view(found(deletion_port.store().get(uid), DeletionNotFound))


def _view(job: DeletionJob) -> DeletionView:
    return {
        "id": job.user_id,
        "username": job.username,
        "state": job.state,
        "phase": job.progress.phase,
        "removed": dict(job.progress.removed),
        "requestedAt": job.requested_at,
        "updatedAt": job.updated_at,
    }
