"""Rate-limit counters: fixed windows, each event reserved before the work it limits."""

from __future__ import annotations

from typing import Protocol

from conduit.entities.quotas import Reservation
from conduit.ports import Accessor


class QuotaStore(Protocol):
    def reserve(self, kind: str, subject: str, limit: int, window_seconds: int = 60) -> Reservation:
        """Count one event of `subject` on the `kind` counter of the current window of `window_seconds`,
        unless `limit` are counted there already: then a refusal, with the seconds left in the window.
        Atomic: concurrent reservations never count past the limit."""
        ...

    def release(self, reservation: Reservation) -> None:
        """Uncount a reserved event in the window it was counted in (once; a refusal: nothing)."""
        ...


def _dynamodb() -> QuotaStore:
    from conduit.store import quotas

    return quotas


store = Accessor[QuotaStore](_dynamodb)
