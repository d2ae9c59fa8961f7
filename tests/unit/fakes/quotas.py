"""In-memory QuotaStore (conduit.ports.quotas): fixed windows on a clock the test moves (`now`)."""

from __future__ import annotations

import itertools
import math

from conduit.entities.quotas import Reservation

START = 1_800_000_000.0  # the start of a 60 s, and of a 3600 s, window


class FakeQuotas:
    def __init__(self, journal: list[str] | None = None) -> None:
        self.now = START
        self.windows: dict[tuple[str, str, int], set[str]] = {}  # (kind, subject, window start) -> attempts
        self.journal = journal if journal is not None else []
        self._attempts = itertools.count(1)

    def reserve(self, kind: str, subject: str, limit: int, window_seconds: int = 60) -> Reservation:
        self.journal.append(f"reserve {kind}")
        window = int(self.now // window_seconds) * window_seconds
        attempts = self.windows.setdefault((kind, subject, window), set())
        if len(attempts) >= limit:
            return Reservation.refusal(kind, subject, max(1, math.ceil(window + window_seconds - self.now)))
        attempt = f"a{next(self._attempts)}"
        attempts.add(attempt)
        return Reservation(kind, subject, window, attempt)

    def release(self, reservation: Reservation) -> None:
        self.journal.append(f"release {reservation.kind}")
        if reservation.window is not None:
            self.windows.get((reservation.kind, reservation.subject, reservation.window), set()).discard(
                reservation.attempt
            )

    def hits(self, kind: str, subject: str) -> int:
        """Events counted for `subject` on `kind`, over every window."""
        return sum(len(attempts) for (k, s, _), attempts in self.windows.items() if (k, s) == (kind, subject))
