"""Comments under their article's partition; integer ids from an atomic counter on the article."""

from __future__ import annotations

from conduit.entities.comments import Comment
from conduit.errors import ArticleNotFound, CommentNotFound, NotAuthor
from conduit.store import keys, ops, receipts
from conduit.store import transactions as tx
from conduit.store.client import Item
from conduit.store.conditions import ARTICLE_OPEN, EXISTS, all_of
from conduit.store.ids import iso_now


def entity(item: Item) -> Comment:
    return Comment(
        id=int(item["id"]),
        body=item["body"],
        author_id=item["authorId"],
        created_at=item["createdAt"],
        updated_at=item["updatedAt"],
    )


def add(aid: str, author: str, body: str) -> Comment:
    try:
        counter = ops.update_item(keys.article(aid), "ADD commentSeq :one", ARTICLE_OPEN, one=1)
    except ops.ConditionFailed:
        raise ArticleNotFound() from None
    now = iso_now()
    comment = {
        "id": counter["commentSeq"],
        "body": body,
        "authorId": author,
        "createdAt": now,
        "updatedAt": now,
    }
    actions = [  # the check and the put commit together: no comment outlives a concurrent article delete
        tx.check(keys.article(aid), ARTICLE_OPEN),
        tx.put_new(
            {
                **keys.comment(aid, comment["id"]),
                "type": "comment",
                **comment,
                # the author's comments, for the deletion of their account (services.accounts)
                "GSI1PK": keys.commented_partition(author),
                "GSI1SK": keys.comment_owner_sort(aid, comment["id"]),
            }
        ),
    ]
    receipt = receipts.add(actions, keys.comment(aid, comment["id"]))
    try:
        ops.transact(actions)
    except ops.TransactionCancelled as cancelled:
        if cancelled.failed(receipt):  # an earlier attempt of this request posted it (this id stays a gap)
            earlier = receipts.made_before()
            if earlier is None:
                raise CommentNotFound() from None  # deleted since
            return entity(earlier)
        raise ArticleNotFound() from None
    return entity(comment)


def page(aid: str, limit: int, offset: int = 0, after: int | None = None) -> list[Comment]:
    """Comments of an article, oldest first: `limit` of them, after skipping `offset`, starting after
    the comment whose id is `after` (a key-based cursor: only the page itself is read)."""
    start = keys.comment(aid, after) if after is not None else None
    found = ops.query(keys.article_partition(aid), sk_prefix=keys.COMMENT_PREFIX, limit=offset + limit, after=start)
    return [entity(item) for item in found[offset:]]


def delete(aid: str, comment_id: int, actor: str, moderating: bool = False) -> None:
    """Delete if `actor` wrote it (or is moderating): the ownership check is the write's condition.

    A transaction of one action, for its ClientRequestToken: a plain conditional delete retried after
    a lost answer would find the comment gone and answer 404 for the delete it had just made."""
    key = keys.comment(aid, comment_id)
    ownership = {} if moderating else {"actor": actor}
    action = tx.delete(key, all_of(EXISTS, "" if moderating else "authorId = :actor"), **ownership)
    try:
        ops.transact([action])
    except ops.TransactionCancelled:
        exists = ops.get_item(key, ("PK",), consistent=True) is not None
        raise (NotAuthor("comment") if exists else CommentNotFound()) from None
