"""Write-sharded counters and index partitions: where a key shared by every writer is split.

A counter written by many concurrent transactions caps throughput twice: one item takes about
1,000 write units/s, and two transactions in flight on one item cancel each other
(TransactionConflict). So each shared counter is split into shards that are *sort keys of one
partition*: a transaction adds to one shard (the article's own, fixed when it is created, so its
deletion takes back from the same shard), and a read sums them all with one Query of that
partition (a few kilobytes: one or two read units), never more round trips. The legacy item (sort
key without a shard number) is part of the sum, so data written before the shards stays counted.

| counter | shards | read |
|---|---|---|
| all articles | `COUNTER` / `ARTICLES#000`..`#191` (+ legacy `ARTICLES`) | Query begins_with `ARTICLES` |
| one tag | `TAG#<t>` / `META#000`..`#063` (+ legacy `META`) | Query begins_with `META` |

The tag's *head* item `TAG#<t>` / `META` carries the TagsByCount index entry (the tag list, most
used first); it is moved by a plain ADD right after the article's transaction, outside it, so the
hottest tag's item is never in a transaction. Its index partition is one of `TAG_PARTITIONS`
(`TAGS`, `TAGS#1`, ...) chosen by the tag, and GET /tags merges the partitions' first pages.
Shard counts may grow (a larger count adds shards; existing ones keep their meaning), never shrink.
"""

from __future__ import annotations

import zlib

ARTICLE_COUNTER_SHARDS = 192
TAG_COUNTER_SHARDS = 64
TAG_PARTITIONS = 8


def shard_of(value: str, count: int) -> int:
    """A stable shard number for `value` (an id or a tag) in 0..count-1."""
    return zlib.crc32(value.encode("utf-8", "surrogatepass")) % count
