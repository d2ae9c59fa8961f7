"""People as content shows them: an author's public profile (built by store.relations)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Author:
    """A user's public face: who wrote an article or a comment, whose profile is asked for."""

    id: str
    username: str
    bio: str | None
    image: str | None
