"""Comments as the services see them (built by store.comments)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Comment:
    """A comment on an article; ids count up per article (1, 2, ...)."""

    id: int
    body: str
    author_id: str
    created_at: str
    updated_at: str
