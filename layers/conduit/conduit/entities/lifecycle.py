"""Account lifecycle: the deletion job and the rows its purge walks, the export job and what it copies.

Only the store builds these from items (store/deletions.py, store/owned.py, store/exports.py); the
services (accounts, account_purge, exports) read their attributes.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

# --- deleting an account -------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Cursor:
    """Where a read of one of the account's partitions goes on from: an opaque position, made by the
    store (the key of the last row read) and only ever handed back to it."""

    key: tuple[tuple[str, str], ...]


@dataclass(frozen=True, slots=True)
class AccountToDelete:
    """What starting a deletion needs of a user: who they are, their password to confirm it, and the
    values the start changes or frees (credentials version, email and username markers)."""

    user_id: str
    username: str
    email: str
    password_hash: str
    credentials_version: int


@dataclass(frozen=True, slots=True)
class Progress:
    """Where the purge is: its phase, the cursor within it, how many of each kind it removed, and
    whether the final sweep (every phase once more after the settle wait) has begun."""

    phase: str
    cursor: Cursor | None
    removed: Mapping[str, int]
    swept: bool = False


@dataclass(frozen=True, slots=True)
class DeletionJob:
    """An account's deletion: `running` until the purge removed everything it owned, then `done`.
    `step` moves on with every batch, under a condition, so one queue message advances it once."""

    user_id: str
    username: str
    state: str
    step: int
    progress: Progress
    requested_by: str
    requested_at: str
    requested_epoch: int
    updated_at: str


# the rows the purge removes, each with the cursor a read goes on from after it


@dataclass(frozen=True, slots=True)
class ArticleRow:
    """A row of the account's that names one article: an article it wrote, a favorite edge of its, an
    entry of its feed."""

    article_id: str
    at: Cursor


OwnedArticle = ArticleRow
OwnedFavorite = ArticleRow
FeedEntry = ArticleRow


@dataclass(frozen=True, slots=True)
class OwnedComment(ArticleRow):
    """A comment of the account's, under its article."""

    comment_id: int


@dataclass(frozen=True, slots=True)
class Follow:
    follower: str
    followee: str
    at: Cursor


# --- exporting an account's data -----------------------------------------------------------------

Attributes = Mapping[str, Any]
"""A stored record's attributes as an export copies them (no key or index attributes)."""


@dataclass(frozen=True, slots=True)
class ExportJob:
    """A data export: `pending` until its document is written to `object_key`, then `ready`."""

    id: str
    user_id: str
    state: str
    requested_at: str
    object_key: str | None = None

    @property
    def ready(self) -> bool:
        return self.state == "ready"


@dataclass(frozen=True, slots=True)
class FavoriteRecord:
    """An article the account favorited: its id, and its slug and title while it exists."""

    article_id: str
    slug: str | None
    title: str | None


@dataclass(frozen=True, slots=True)
class CommentRecord:
    """A comment of the account's, with the article it is under."""

    article_id: str
    attributes: Attributes
