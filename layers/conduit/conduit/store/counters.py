"""Every shared counter's writes and reads, in one place (the sharded layout of store/shards.py).

An article carries `counterShard` (fixed when it is created): every counter it moves - the article
counter and each of its tags' counters - is that shard, inside the transaction that changes the
article, so a deletion takes back exactly what the creation added. An article written before the
shards existed has no `counterShard` and keeps moving the legacy items (`COUNTER/ARTICLES`,
`TAG#<t>/META`), which are part of every sum, so totals stay exact across the change.

Tag heads (`TAG#<t>/HEAD`, the tag list's entries) follow after the commit (`refresh_tag_heads`):
outside any transaction, so the most used tag's item never conflicts. A head orders and filters the
tag list, it is never shown as a number; a fault between the commit and the refresh leaves it
stale until that tag's next change.
"""

from __future__ import annotations

import time
from concurrent.futures import ThreadPoolExecutor
from contextlib import suppress
from typing import Any

from conduit.errors import Unavailable
from conduit.store import keys, ops, shards
from conduit.store import transactions as tx

Action = dict[str, Any]


def new_shard(aid: str) -> int:
    return shards.shard_of(aid, shards.ARTICLE_COUNTER_SHARDS)


def article_count_action(shard: int | None, delta: int) -> Action:
    """The article counter's move for one article created (+1) or deleted (-1), inside its transaction."""
    if shard is None:
        return tx.add_to_counter(keys.article_counter(), "articleCount", delta)
    return tx.add_to_counter(keys.article_counter_shard(shard), "articleCount", delta, must_exist=delta < 0)


def tag_count_actions(shard: int | None, added: list[str], removed: list[str]) -> list[Action]:
    """The tags' counters moved by one article gaining `added` and losing `removed` (inside its transaction)."""
    actions: list[Action] = []
    for tag in added:
        if shard is None:  # a legacy article: its legacy counter, which is also its own tag-list entry
            actions.append(
                tx.update(
                    keys.tag_counter(tag),
                    "SET GSI3PK = :partition, tag = :tag ADD tagCount :one",
                    partition=keys.TAGS_PARTITION,
                    tag=tag,
                    one=1,
                )
            )
        else:
            actions.append(tx.add_to_counter(_tag_shard(tag, shard), "tagCount", 1))
    for tag in removed:
        key = keys.tag_counter(tag) if shard is None else _tag_shard(tag, shard)
        actions.append(tx.add_to_counter(key, "tagCount", -1, must_exist=True))
    return actions


def refresh_tag_heads(shard: int | None, tags: list[str]) -> None:
    """After the article's transaction committed: each tag's list entry takes the tag's sharded
    count, read then. Three waves of parallel calls whatever the number of tags: the consistent
    Queries of the tags' shards, then the heads' updates, then the deletions of heads set to zero
    (one left at zero by a fault is not listed); so the sequence of operations does not vary (the
    fault tests replay a request's calls by position).

    Outside any transaction, best effort and self-healing: a write carries the time its count was
    read and only replaces an entry counted earlier, so of two racing refreshes the later count
    stays; one missed (a fault, a lost answer) is made good by the tag's next change."""
    if shard is None or not tags:
        return
    read_at = time.time_ns()
    with ThreadPoolExecutor(max_workers=min(len(tags), 20)) as pool:
        counts = list(pool.map(_sharded_count, tags))
        known = [(tag, count) for tag, count in zip(tags, counts, strict=True) if count is not None]
        list(pool.map(lambda pair: _set_head(pair[0], pair[1], read_at), known))
        list(pool.map(_drop_head, [tag for tag, count in known if count <= 0]))


def _sharded_count(tag: str) -> int | None:
    try:
        return _sum(keys.tag_partition(tag), keys.TAG_COUNTER_SHARD_PREFIX, "tagCount", consistent=True)
    except Unavailable:
        return None


def _set_head(tag: str, count: int, read_at: int) -> None:
    with suppress(Unavailable, ops.ConditionFailed):
        ops.update_item(
            keys.tag_head(tag),
            "SET GSI3PK = :partition, tag = :tag, tagCount = :count, countedAt = :at",
            "attribute_not_exists(countedAt) OR countedAt < :at",
            partition=keys.tags_partition(shards.shard_of(tag, shards.TAG_PARTITIONS)),
            tag=tag,
            count=count,
            at=read_at,
        )


def _drop_head(tag: str) -> None:
    """Remove a head at zero; a refresh that counted an article since has set it above zero: kept."""
    with suppress(Unavailable, ops.ConditionFailed):
        ops.delete_item(keys.tag_head(tag), "tagCount <= :zero", zero=0)


def drop_unused_tags(shard: int | None, tags: list[str]) -> None:
    """Remove legacy tag counters that reached zero (a legacy article's tags; the heads of sharded
    ones go in refresh_tag_heads); a concurrent ADD after this simply recreates them.

    Best effort, after the change committed: an entry left at zero is harmless (GET /tags skips
    it), so a fault here must not turn the committed change into a 503."""
    for tag in tags if shard is None else []:
        with suppress(ops.ConditionFailed, Unavailable):
            ops.delete_item(keys.tag_counter(tag), "tagCount <= :zero", zero=0)


def article_total() -> int:
    """All articles: the legacy counter and its shards, one Query of the COUNTER partition."""
    return _sum(keys.COUNTER_PARTITION, keys.ARTICLE_COUNTER_PREFIX, "articleCount")


def tag_total(tag: str) -> int:
    """Articles with `tag`: its legacy counter and its shards, one Query of its partition."""
    return _sum(keys.tag_partition(tag), keys.TAG_COUNTER_PREFIX, "tagCount")


def popular_tags(limit: int) -> list[str]:
    """The most used tags: the first page of every TagsByCount partition, merged (a tag's legacy
    entry and its head are added up)."""

    def first_page(number: int) -> list[dict[str, Any]]:
        partition = keys.tags_partition(number)
        return ops.query(partition, index=keys.TAGS_BY_COUNT_INDEX, newest_first=True, limit=limit)

    counts: dict[str, int] = {}
    with ThreadPoolExecutor(max_workers=shards.TAG_PARTITIONS) as pool:  # one wave: one round trip
        pages = list(pool.map(first_page, range(shards.TAG_PARTITIONS)))
    for page in pages:
        for row in page:
            tag = keys.tag_of(row["PK"])
            counts[tag] = counts.get(tag, 0) + int(row.get("tagCount", 0))
    ranked = sorted((tag for tag, count in counts.items() if count > 0), key=lambda t: (-counts[t], t))
    return ranked[:limit]


def _tag_shard(tag: str, shard: int) -> keys.Key:
    return keys.tag_counter_shard(tag, shard % shards.TAG_COUNTER_SHARDS)


def _sum(partition: str, prefix: str, attribute: str, consistent: bool = False) -> int:
    rows = ops.query(partition, sk_prefix=prefix, projection=("PK", "SK", attribute), consistent=consistent)
    return max(sum(int(row.get(attribute, 0)) for row in rows), 0)
