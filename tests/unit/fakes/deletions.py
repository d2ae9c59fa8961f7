"""In-memory DeletionStore (conduit.ports.deletions) and OwnedContent (conduit.ports.owned).

FakeDeletions holds the accounts, their deletion jobs and the password-confirmation quota; FakeOwned
what accounts own (articles, comments, favorites, follow edges, fan-out feeds). Reads return rows in
a fixed order after a cursor, at most `limit`; removals are idempotent (False when already gone).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import replace
from typing import TypeVar

from conduit.entities.lifecycle import (
    AccountToDelete,
    Cursor,
    DeletionJob,
    FeedEntry,
    Follow,
    OwnedArticle,
    OwnedComment,
    OwnedFavorite,
    Progress,
)
from conduit.errors import ChangedConcurrently, UserNotFound

Row = TypeVar("Row")


class FakeDeletions:
    def __init__(self) -> None:
        self.accounts: dict[str, AccountToDelete] = {}
        self.deleting: set[str] = set()
        self.jobs: dict[str, DeletionJob] = {}
        self.conflict = False  # start() answers ChangedConcurrently (an email or username change raced it)
        self.now = "2026-12-02T08:00:00.000Z"

    def add(self, account: AccountToDelete) -> None:
        self.accounts[account.user_id] = account

    def account(self, uid: str) -> AccountToDelete | None:
        return self.accounts.get(uid)

    def account_id(self, username: str) -> str | None:
        named = [a.user_id for a in self.accounts.values() if a.username == username and a.user_id not in self.deleting]
        return named[0] if named else None

    def start(self, account: AccountToDelete, job: DeletionJob) -> bool:
        uid = account.user_id
        if uid in self.jobs or uid in self.deleting:
            return False
        if self.conflict:
            raise ChangedConcurrently()
        self.jobs[uid] = job
        self.deleting.add(uid)
        self.accounts[uid] = replace(account, credentials_version=account.credentials_version + 1)
        return True

    def get(self, uid: str) -> DeletionJob | None:
        return self.jobs.get(uid)

    def advance(self, uid: str, seen_step: int, progress: Progress) -> bool:
        job = self.jobs[uid]
        if job.step != seen_step:
            return False
        self.jobs[uid] = replace(job, progress=progress, step=seen_step + 1, updated_at=self.now)
        return True

    def finish(self, uid: str, seen_step: int, removed: dict[str, int]) -> bool:
        job = self.jobs[uid]
        if job.step != seen_step:
            return False
        if uid not in self.deleting or uid not in self.accounts:
            raise UserNotFound()
        del self.accounts[uid]
        done = replace(job.progress, phase="done", cursor=None, removed=removed)
        self.jobs[uid] = replace(job, state="done", progress=done, step=seen_step + 1, updated_at=self.now)
        return True


def _page(rows: Iterable[tuple[str, Row]], after: Cursor | None, limit: int) -> list[Row]:
    """Rows in sort order after the cursor's sort value, at most `limit`."""
    start = dict(after.key)["sort"] if after else ""
    return [row for sort, row in sorted(rows, key=lambda pair: pair[0]) if sort > start][:limit]


def _at(sort: str) -> Cursor:
    return Cursor((("sort", sort),))


class FakeOwned:
    def __init__(self) -> None:
        self.articles_by: dict[str, str] = {}  # article id -> author
        self.comments_by: dict[tuple[str, int], str] = {}  # (article id, comment id) -> author
        self.favorites_of: set[tuple[str, str]] = set()  # (article id, user)
        self.follows: set[tuple[str, str]] = set()  # (follower, followee)
        self.feeds: dict[str, set[str]] = {}  # follower -> article ids (fan-out)
        self.reads: list[tuple[str, Cursor | None, int]] = []
        self.removals = 0
        self.crash_at: int | None = None  # the removal number that raises (a batch interrupted)
        self.unfed: list[str] = []  # what unfeed_article / unfeed_followee were asked

    # what the tests seed

    def article(self, aid: str, author: str) -> None:
        self.articles_by[aid] = author
        for follower, followee in self.follows:
            if followee == author:
                self.feeds.setdefault(follower, set()).add(aid)

    def comment(self, aid: str, comment_id: int, author: str) -> None:
        self.comments_by[(aid, comment_id)] = author

    def favorite(self, aid: str, uid: str) -> None:
        self.favorites_of.add((aid, uid))

    def follow(self, follower: str, followee: str) -> None:
        self.follows.add((follower, followee))
        feed = self.feeds.setdefault(follower, set())
        feed.update(aid for aid, author in self.articles_by.items() if author == followee)

    def owned_by(self, uid: str) -> dict[str, int]:
        """What is left that names `uid` (all zero once its account is purged)."""
        return {
            "articles": sum(author == uid for author in self.articles_by.values()),
            "comments": sum(author == uid for author in self.comments_by.values()),
            "favorites": sum(user == uid for _, user in self.favorites_of),
            "following": sum(follower == uid for follower, _ in self.follows),
            "followers": sum(followee == uid for _, followee in self.follows),
            "feed": len(self.feeds.get(uid, ())),
        }

    # reads

    def _read(self, kind: str, rows: Iterable[tuple[str, Row]], after: Cursor | None, limit: int) -> list[Row]:
        self.reads.append((kind, after, limit))
        return _page(rows, after, limit)

    def articles(self, uid: str, after: Cursor | None, limit: int) -> list[OwnedArticle]:
        mine = [(aid, OwnedArticle(aid, _at(aid))) for aid, author in self.articles_by.items() if author == uid]
        return self._read("articles", mine, after, limit)

    def comments(self, uid: str, after: Cursor | None, limit: int) -> list[OwnedComment]:
        mine = [
            (f"{aid}#{cid:06d}", OwnedComment(aid, _at(f"{aid}#{cid:06d}"), cid))
            for (aid, cid), author in self.comments_by.items()
            if author == uid
        ]
        return self._read("comments", mine, after, limit)

    def favorites(self, uid: str, after: Cursor | None, limit: int) -> list[OwnedFavorite]:
        mine = [(aid, OwnedFavorite(aid, _at(aid))) for aid, user in self.favorites_of if user == uid]
        return self._read("favorites", mine, after, limit)

    def following(self, uid: str, after: Cursor | None, limit: int) -> list[Follow]:
        edges = [(e, Follow(uid, e, _at(e))) for f, e in self.follows if f == uid]
        return self._read("following", edges, after, limit)

    def followers(self, uid: str, after: Cursor | None, limit: int) -> list[Follow]:
        edges = [(f, Follow(f, uid, _at(f))) for f, e in self.follows if e == uid]
        return self._read("followers", edges, after, limit)

    def feed(self, uid: str, after: Cursor | None, limit: int) -> list[FeedEntry]:
        entries = [(aid, FeedEntry(aid, _at(aid))) for aid in self.feeds.get(uid, ())]
        return self._read("feed", entries, after, limit)

    # removals

    def _removing(self, present: bool, remove: Callable[[], object]) -> bool:
        self.removals += 1
        if self.crash_at == self.removals:
            raise RuntimeError("the batch's Lambda stopped here")
        if present:
            remove()
        return present

    def remove_article(self, uid: str, article_id: str) -> bool:
        def remove() -> None:
            del self.articles_by[article_id]
            for key in [key for key in self.comments_by if key[0] == article_id]:
                del self.comments_by[key]
            self.favorites_of = {(aid, user) for aid, user in self.favorites_of if aid != article_id}

        return self._removing(self.articles_by.get(article_id) == uid, remove)

    def unfeed_article(self, author: str, article_id: str) -> None:
        self.unfed.append(article_id)
        for follower, followee in self.follows:
            if followee == author:
                self.feeds.get(follower, set()).discard(article_id)

    def remove_comment(self, uid: str, comment: OwnedComment) -> bool:
        key = (comment.article_id, comment.comment_id)
        return self._removing(self.comments_by.get(key) == uid, lambda: self.comments_by.pop(key))

    def unfavorite(self, uid: str, article_id: str) -> bool:
        edge = (article_id, uid)
        return self._removing(edge in self.favorites_of, lambda: self.favorites_of.discard(edge))

    def unfollow(self, follow: Follow) -> None:
        edge = (follow.follower, follow.followee)
        self._removing(True, lambda: self.follows.discard(edge))

    def unfeed_followee(self, follow: Follow) -> None:
        self.unfed.append(follow.followee)
        theirs = {aid for aid, author in self.articles_by.items() if author == follow.followee}
        self.feeds[follow.follower] = self.feeds.get(follow.follower, set()) - theirs

    def remove_feed_entry(self, uid: str, entry: FeedEntry) -> None:
        self._removing(True, lambda: self.feeds.get(uid, set()).discard(entry.article_id))
