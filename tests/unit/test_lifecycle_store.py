"""The lifecycle store modules' item <-> entity conversions (store.deletions, store.owned, store.exports)."""

from __future__ import annotations

from conduit.entities.lifecycle import Cursor, DeletionJob, Progress
from conduit.store import deletions, exports, owned


def test_a_deletion_job_reads_back_as_it_was_written() -> None:
    cursor = Cursor((("GSI1PK", "AUTHOR#u1"), ("GSI1SK", "a2"), ("PK", "ARTICLE#a2"), ("SK", "ARTICLE")))
    job = DeletionJob(
        user_id="u1", username="alice", state="running", step=4,
        progress=Progress("comments", cursor, {"articles": 3, "comments": 0}, swept=True),
        requested_by="admin", requested_at="2026-12-02T08:00:00.000Z", requested_epoch=1796198400,
        updated_at="2026-12-02T08:00:01.000Z",
    )  # fmt: skip
    item = deletions._item(job)
    assert item["cursor"] == {"GSI1PK": "AUTHOR#u1", "GSI1SK": "a2", "PK": "ARTICLE#a2", "SK": "ARTICLE"}
    assert item["type"] == "deletion" and item["removed"] == {"articles": 3, "comments": 0}
    assert deletions._entity(item) == job
    assert deletions._entity({**item, "cursor": None}).progress.cursor is None


def test_a_rows_cursor_is_its_key_and_starts_the_next_read_after_it() -> None:
    row = {"PK": "ARTICLE#a2", "SK": "ARTICLE", "GSI1PK": "AUTHOR#u1", "GSI1SK": "a2"}
    assert owned._key(owned._cursor(row)) == row
    assert owned._key(None) is None


def test_an_export_copies_no_key_or_index_attribute() -> None:
    item = {"PK": "USER#u1", "SK": "PROFILE", "GSI2PK": "USERS", "GSI2SK": "x", "type": "user", "version": 3}
    assert exports._attributes({**item, "username": "alice"}) == {"username": "alice"}
