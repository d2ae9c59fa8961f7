"""Articles, their slug markers, tag items and counters."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from conduit.entities.articles import Article, ArticleSummary, Draft, Edit, SlugRef
from conduit.errors import ArticleNotFound, ChangedConcurrently, NotAuthor
from conduit.ports.articles import AuthorMissing, SlugTaken
from conduit.store import counters, keys, ops, receipts
from conduit.store import transactions as tx
from conduit.store.client import Item
from conduit.store.conditions import ARTICLE_OPEN, BEING_DELETED, DELETING, EXISTS, all_of


def summary(item: Item) -> ArticleSummary:
    """An article item (or its summary fields) as a list shows it."""
    return ArticleSummary(**_summary_fields(item))


def entity(item: Item) -> Article:
    """An article item whole."""
    return Article(
        **_summary_fields(item),
        body=item["body"],
        version=int(item["version"]),
        counter_shard=item.get("counterShard"),
        deleting=bool(item.get(DELETING)),
    )


def _summary_fields(item: Item) -> dict[str, Any]:
    return {
        "id": item["id"],
        "slug": item["slug"],
        "title": item["title"],
        "description": item["description"],
        "tag_list": tuple(item.get("tagList") or ()),
        "author_id": item["authorId"],
        "created_at": item["createdAt"],
        "updated_at": item["updatedAt"],
        "favorites_count": int(item.get("favoritesCount", 0)),
    }


def create(draft: Draft) -> Article:
    """Write the article, its slug marker, its tag items and every counter in one transaction.

    Returns the article as stored; under an Idempotency-Key whose earlier attempt published already
    (store.receipts), that article, as it is now (the slug it got then, edits since)."""
    aid, author, tags = draft.id, draft.author_id, list(draft.tag_list)
    shard = counters.new_shard(aid)
    item = {
        **keys.article(aid),
        "id": aid,
        "title": draft.title,
        "description": draft.description,
        "body": draft.body,
        "tagList": tags,
        "authorId": author,
        "createdAt": draft.created_at,
        "updatedAt": draft.created_at,
        "slug": draft.slug,
        "type": "article",
        "version": 1,
        "favoritesCount": 0,
        "counterShard": shard,
        "GSI1PK": keys.authored_partition(author),
        "GSI1SK": aid,
        "GSI2PK": keys.ALL_ARTICLES_PARTITION,
        "GSI2SK": aid,
    }
    actions = [
        tx.put_new(item),
        tx.put_new(_slug_marker(draft.slug, aid, author)),
        tx.add_to_counter(keys.user(author), "articlesCount", 1, must_exist=True),
        counters.article_count_action(shard, 1),
        *_tag_actions(aid, shard, added=tags, removed=[]),
    ]
    receipt = receipts.add(actions, keys.article(aid))
    try:
        ops.transact(actions)
    except ops.TransactionCancelled as cancelled:
        if cancelled.failed(receipt):  # before the slug: the earlier attempt's article holds this slug
            earlier = receipts.made_before()
            if earlier is None:
                raise ArticleNotFound() from None  # published, then deleted since
            counters.refresh_tag_heads(earlier.get("counterShard"), earlier["tagList"])  # if the first missed it
            return entity(earlier)
        if cancelled.failed(1):
            raise SlugTaken() from None
        if cancelled.failed(2):
            raise AuthorMissing() from None
        raise
    counters.refresh_tag_heads(shard, tags)
    return entity(item)


def find_by_slug(slug: str) -> SlugRef | None:
    """What the slug names: its marker (one GetItem)."""
    marker = ops.get_item(keys.slug_marker(slug))
    return slug_ref(marker) if marker else None


def slug_ref(marker: Item) -> SlugRef:
    return SlugRef(article_id=marker["articleId"], author_id=marker["authorId"])


def get(aid: str, consistent: bool = False) -> Article | None:
    item = ops.get_item(keys.article(aid), None, consistent=consistent)
    return entity(item) if item else None


def confirm_author(aid: str, editor: str) -> Article:
    """An edit that changes nothing still answers only its author: the edit's own condition (open,
    `authorId = :editor`) on a write that changes nothing, which returns the article as stored."""
    try:
        return entity(ops.update_item(
            keys.article(aid), "SET #version = #version", all_of(ARTICLE_OPEN, "authorId = :editor"),
            {"#version": "version"}, editor=editor,
        ))  # fmt: skip
    except ops.ConditionFailed as failed:
        raise _refusal(failed.item, editor) from None


def update(current: Article, edit: Edit, editor: str) -> Article:
    """Apply the edit if `editor` is the author and nobody changed the article since it was read."""
    aid, shard, old_tags = current.id, current.counter_shard, list(current.tag_list)
    changes = _changes(edit)
    new_tags = changes.get("tagList")
    removed = sorted(set(old_tags) - set(new_tags)) if new_tags is not None else []
    added = sorted(set(new_tags) - set(old_tags)) if new_tags is not None else []
    sets = {**changes, "version": current.version + 1}
    names = {f"#{name}": name for name in sets}
    expression = "SET " + ", ".join(f"#{name} = :{name}" for name in sets)
    article_update = tx.update(
        keys.article(aid),
        expression,
        all_of(ARTICLE_OPEN, "authorId = :editor", "#version = :seen"),
        **sets,
        editor=editor,
        seen=current.version,
    )
    article_update["Update"]["ExpressionAttributeNames"] = names
    actions = [article_update]
    if edit.slug != current.slug:
        actions.append(tx.delete(keys.slug_marker(current.slug), "articleId = :aid", aid=aid))
        actions.append(tx.put_new(_slug_marker(edit.slug, aid, current.author_id)))
    actions.extend(_tag_actions(aid, shard, added=added, removed=removed))
    try:
        ops.transact(actions)
    except ops.TransactionCancelled as cancelled:
        if len(actions) > 2 and cancelled.failed(2):
            raise SlugTaken() from None
        if cancelled.failed(0):
            raise _why_not_writable(aid, editor) from None
        raise
    counters.refresh_tag_heads(shard, added + removed)
    counters.drop_unused_tags(shard, removed)
    return replace(current, **_edited(edit), version=current.version + 1)


# an Edit's fields -> the item's attributes
_ATTRIBUTES = {
    "title": "title", "description": "description", "body": "body", "tag_list": "tagList",
    "updated_at": "updatedAt", "slug": "slug",
}  # fmt: skip


def _edited(edit: Edit) -> dict[str, Any]:
    """The entity's fields the edit sets, in the order the request names them."""
    given = {"title": edit.title, "description": edit.description, "body": edit.body, "tag_list": edit.tag_list}
    return {
        **{name: value for name, value in given.items() if value is not None},
        "updated_at": edit.updated_at,
        "slug": edit.slug,
    }


def _changes(edit: Edit) -> dict[str, Any]:
    """The item's attributes the edit sets (title, description, body, tagList, then updatedAt and slug)."""
    return {_ATTRIBUTES[name]: list(value) if name == "tag_list" else value for name, value in _edited(edit).items()}


def delete(current: Article, deleter: str, moderating: bool = False) -> None:
    """Delete the article with its comments, favorites, slug marker, tag items and counters.

    The author check is part of each write's condition, unless a moderator is deleting. The steps
    are ordered so that a failure after any of them leaves a consistent table, and the same
    request sent again resumes where it stopped:

    1. mark the article `deleting` (conditional on the version read): from then on no comment,
       favorite or edit can be added to it (their writes require `attribute_not_exists(deleting)`);
    2. remove its comments, and its favorite edges each with both counters, in bounded batches, then
       its pending favorite markers (store.favorites.undo);
    3. one transaction: the article, its slug marker, its tag items and every counter;
    4. drop tag counters that fell to zero (best effort).
    """
    aid, author, shard, tags = current.id, current.author_id, current.counter_shard, list(current.tag_list)
    ownership = "" if moderating else "authorId = :deleter"
    owner = {} if moderating else {"deleter": deleter}
    if not current.deleting:
        try:
            ops.update_item(
                keys.article(aid),
                f"SET {DELETING} = :yes",
                all_of(EXISTS, "#version = :seen", ownership),
                {"#version": "version"},
                yes=True,
                seen=current.version,
                **owner,
            )
        except ops.ConditionFailed as failed:
            raise _refusal(failed.item, deleter, moderating) from None
    _delete_children(aid)
    actions = [
        tx.delete(keys.article(aid), all_of(BEING_DELETED, ownership), **owner),
        tx.delete(keys.slug_marker(current.slug), "articleId = :aid", aid=aid),
        tx.add_to_counter(keys.user(author), "articlesCount", -1),
        counters.article_count_action(shard, -1),
        *_tag_actions(aid, shard, added=[], removed=tags),
    ]
    try:
        ops.transact(actions)
    except ops.TransactionCancelled as cancelled:
        if cancelled.failed(0):
            raise _why_not_writable(aid, deleter, moderating) from None
        raise
    counters.refresh_tag_heads(shard, tags)
    counters.drop_unused_tags(shard, tags)


def _slug_marker(slug: str, aid: str, author: str) -> Item:
    return {**keys.slug_marker(slug), "articleId": aid, "authorId": author}


def _tag_actions(aid: str, shard: int | None, added: list[str], removed: list[str]) -> list[dict[str, Any]]:
    actions: list[dict[str, Any]] = []
    for tag in added:
        actions.append(tx.put({**keys.tagged(tag, aid), "type": "tagged"}))
    for tag in removed:
        actions.append(tx.delete(keys.tagged(tag, aid)))
    return actions + counters.tag_count_actions(shard, added, removed)


def _why_not_writable(aid: str, actor: str, moderating: bool = False) -> Exception:
    """After a transaction's ownership condition failed: a re-read tells why."""
    return _refusal(ops.get_item(keys.article(aid), ("authorId", DELETING), consistent=True), actor, moderating)


def _refusal(current: Item | None, actor: str, moderating: bool = False) -> Exception:
    """Why an article's conditional write failed, from the article as it was: gone or being deleted
    (404), someone else's (403), or changed since it was read (safe to retry). Ownership itself is
    the write's condition; this only names the refusal."""
    if current is None or current.get(DELETING):
        return ArticleNotFound()
    if current["authorId"] != actor and not moderating:
        return NotAuthor("article")
    return ChangedConcurrently()  # safe to retry


CHILDREN_PAGE = 50  # comments or favorite edges removed per read while an article is deleted


def _delete_children(aid: str) -> None:
    """Comments and favorite edges live under the article's partition: removed in bounded batches.

    Runs while the article is marked `deleting`: no comment arrives, and a favorite that races the mark
    goes with its pending marker (favorites.undo, last), not with a re-read. So a page shorter than
    CHILDREN_PAGE was the prefix's last (ops.query reads on to its limit or the prefix's end) and is not
    read again. Reads are consistent so that a child written just before the mark is seen. Each removal
    is idempotent."""
    from conduit.store import favorites

    for prefix in (keys.COMMENT_PREFIX, keys.FAVORITE_PREFIX):
        more = True
        while more:
            more = _delete_child_page(aid, prefix) == CHILDREN_PAGE
    favorites.undo(aid)  # pending markers; a favorite that raced the mark goes with its edge


def _delete_child_page(aid: str, prefix: str) -> int:
    """Removes the first CHILDREN_PAGE children under `prefix`; how many there were."""
    from conduit.store import favorites

    children = ops.query(
        keys.article_partition(aid), sk_prefix=prefix, limit=CHILDREN_PAGE, projection=("PK", "SK"), consistent=True
    )
    for child in children:
        if prefix == keys.FAVORITE_PREFIX:
            favorites.remove_edge_of_deleted_article(aid, keys.suffix(child["SK"]))
        else:
            ops.delete_item({"PK": child["PK"], "SK": child["SK"]})
    return len(children)
