"""In-memory ExportStore (conduit.ports.exports): export jobs, and what is stored about each user."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from conduit.entities.lifecycle import Attributes, CommentRecord, ExportJob, FavoriteRecord


class FakeExports:
    def __init__(self) -> None:
        self.jobs: dict[tuple[str, str], ExportJob] = {}
        self.users: dict[str, dict[str, Any]] = {}  # uid -> the user's stored attributes
        self.articles_of: dict[str, list[Attributes]] = {}
        self.comments_of: dict[str, list[CommentRecord]] = {}
        self.favorites_of: dict[str, list[FavoriteRecord]] = {}
        self.follows: list[tuple[str, str]] = []  # (follower, followee), in the order they were made
        self.username_reads: list[list[str]] = []

    def create(self, uid: str, export_id: str) -> ExportJob:
        job = ExportJob(export_id, uid, "pending", "2026-12-02T08:00:00.000Z")
        self.jobs[(uid, export_id)] = job
        return job

    def get(self, uid: str, export_id: str) -> ExportJob | None:
        return self.jobs.get((uid, export_id))

    def finish(self, uid: str, export_id: str, object_key: str) -> None:
        self.jobs[(uid, export_id)] = replace(self.jobs[(uid, export_id)], state="ready", object_key=object_key)

    def profile(self, uid: str) -> Attributes | None:
        return self.users.get(uid)

    def articles(self, uid: str) -> list[Attributes]:
        return self.articles_of.get(uid, [])

    def comments(self, uid: str) -> list[CommentRecord]:
        return self.comments_of.get(uid, [])

    def favorites(self, uid: str) -> list[FavoriteRecord]:
        return self.favorites_of.get(uid, [])

    def following(self, uid: str) -> list[str]:
        return [followee for follower, followee in self.follows if follower == uid]

    def followers(self, uid: str) -> list[str]:
        return [follower for follower, followee in self.follows if followee == uid]

    def usernames(self, uids: list[str]) -> dict[str, str]:
        self.username_reads.append(list(uids))
        return {uid: self.users[uid]["username"] for uid in uids if uid in self.users}
