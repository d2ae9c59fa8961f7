"""Account deletions: the job (start, read, advance a step, finish), and what starting one reads."""

from __future__ import annotations

from typing import Protocol

from conduit.entities.lifecycle import AccountToDelete, DeletionJob, Progress
from conduit.ports import Accessor


class DeletionStore(Protocol):
    def account(self, uid: str) -> AccountToDelete | None:
        """The user as they are now (a consistent read); None if there is none."""
        ...

    def account_id(self, username: str) -> str | None: ...

    def start(self, account: AccountToDelete, job: DeletionJob) -> bool:
        """At once, all or nothing: the job, the account stopped (every token refused) and its email
        and username free. False if its deletion began before (the job stands, nothing written);
        ChangedConcurrently if its email or username changed meanwhile (nothing written)."""
        ...

    def get(self, uid: str) -> DeletionJob | None: ...

    def advance(self, uid: str, seen_step: int, progress: Progress) -> bool:
        """Record `progress` as step `seen_step + 1`, unless the job moved on from `seen_step`: False."""
        ...

    def finish(self, uid: str, seen_step: int, removed: dict[str, int]) -> bool:
        """The user item goes and the job is done, unless the job moved on from `seen_step`: False.
        UserNotFound if the user item is not one being deleted (it is never deleted then)."""
        ...


def _dynamodb() -> DeletionStore:
    from conduit.store import deletions

    return deletions


store = Accessor[DeletionStore](_dynamodb)
