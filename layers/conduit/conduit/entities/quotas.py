"""Rate-limit reservations: one event counted in a fixed window, or refused until the window ends."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Reservation:
    """One event of `subject` counted on the `kind` counter of the window starting at `window` (epoch
    seconds) as `attempt`, or refused (`window` None) until `retry_after` seconds from now."""

    kind: str
    subject: str
    window: int | None
    attempt: str = ""
    retry_after: int = 0

    @property
    def refused(self) -> bool:
        return self.window is None

    @classmethod
    def refusal(cls, kind: str, subject: str, retry_after: int) -> Reservation:
        return cls(kind, subject, None, retry_after=retry_after)
