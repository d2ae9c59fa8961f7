"""What an account owns, read page by page for its purge (services.account_purge), and removed one by
one through each area's own store function (every counter moved exactly, every removal idempotent).
Implements conduit.ports.owned.OwnedContent.

Reads: the ByOwner index (keys only) for its articles AUTHOR#, comments COMMENTER#, favorites FAVBY#
and followers FOLLOWERS#; the table, consistently, for its follow edges USER#<uid> / FOLLOWS# and its
feed FEED#<uid>. A cursor is the key of the last row read (ExclusiveStartKey).
"""

from __future__ import annotations

from conduit.entities.lifecycle import Cursor, FeedEntry, Follow, OwnedArticle, OwnedComment, OwnedFavorite
from conduit.errors import NotAuthor, NotFound
from conduit.store import articles as article_store
from conduit.store import comments as comment_store
from conduit.store import favorites as favorite_store
from conduit.store import feed as feed_store
from conduit.store import follows as follow_store
from conduit.store import keys, ops
from conduit.store.client import Item

# --- reads ---------------------------------------------------------------------------------------


def articles(uid: str, after: Cursor | None, limit: int) -> list[OwnedArticle]:
    rows = _index(keys.authored_partition(uid), after, limit)
    return [OwnedArticle(row["GSI1SK"], _cursor(row)) for row in rows]


def comments(uid: str, after: Cursor | None, limit: int) -> list[OwnedComment]:
    found = []
    for row in _index(keys.commented_partition(uid), after, limit):
        aid, comment_id = keys.comment_of_owner_sort(row["GSI1SK"])
        found.append(OwnedComment(aid, _cursor(row), comment_id))
    return found


def favorites(uid: str, after: Cursor | None, limit: int) -> list[OwnedFavorite]:
    rows = _index(keys.favorited_partition(uid), after, limit)
    return [OwnedFavorite(row["GSI1SK"], _cursor(row)) for row in rows]


def following(uid: str, after: Cursor | None, limit: int) -> list[Follow]:
    rows = _table(keys.user_partition(uid), keys.FOLLOWS_PREFIX, after, limit)
    return [Follow(uid, keys.suffix(row["SK"]), _cursor(row)) for row in rows]


def followers(uid: str, after: Cursor | None, limit: int) -> list[Follow]:
    rows = _index(keys.followers_partition(uid), after, limit)
    return [Follow(row["GSI1SK"], uid, _cursor(row)) for row in rows]


def feed(uid: str, after: Cursor | None, limit: int) -> list[FeedEntry]:
    rows = _table(keys.feed_partition(uid), None, after, limit)
    return [FeedEntry(row["SK"], _cursor(row)) for row in rows]


def _index(partition: str, after: Cursor | None, limit: int) -> list[Item]:
    return ops.query(partition, index=keys.BY_OWNER_INDEX, limit=limit, after=_key(after))


def _table(partition: str, prefix: str | None, after: Cursor | None, limit: int) -> list[Item]:
    found = ops.query(partition, sk_prefix=prefix, limit=limit, after=_key(after), consistent=True)
    return [{"PK": row["PK"], "SK": row["SK"]} for row in found]


def _cursor(row: Item) -> Cursor:
    return Cursor(tuple(sorted((name, str(value)) for name, value in row.items())))


def _key(cursor: Cursor | None) -> Item | None:
    return None if cursor is None else dict(cursor.key)


# --- removals ------------------------------------------------------------------------------------


def remove_article(uid: str, article_id: str) -> bool:
    article = article_store.get(article_id)
    if article is None:
        return False
    try:
        article_store.delete(article, uid, moderating=True)
    except NotFound:
        return False  # deleted concurrently
    return True


def unfeed_article(author: str, article_id: str) -> None:
    feed_store.on_article_removed(author, article_id)


def remove_comment(uid: str, comment: OwnedComment) -> bool:
    try:
        comment_store.delete(comment.article_id, comment.comment_id, uid)
    except (NotFound, NotAuthor):
        return False
    return True


def unfavorite(uid: str, article_id: str) -> bool:
    try:
        return favorite_store.unfavorite(article_id, uid)
    except NotFound:
        return False


def unfollow(follow: Follow) -> None:
    follow_store.unfollow(follow.follower, follow.followee)


def unfeed_followee(follow: Follow) -> None:
    feed_store.on_unfollow(follow.follower, follow.followee)


def remove_feed_entry(uid: str, entry: FeedEntry) -> None:
    ops.delete_item(keys.feed_entry(uid, entry.article_id))  # the user's own feed: its feedCount goes with the user
