"""Whole-table invariant checker (tests only: it Scans the table, which the product never does).

`check_table(endpoint, table)` reads every item and `check(items)` returns one readable string per
violation (an empty list means the table is consistent). What must hold (see docs/data-model.md):

- every user has exactly one email marker and one username marker, both keyed on the user's current
  (lowercased) email / username and pointing at it; no marker points at a missing user or at a user
  whose email / username is something else; no two users share a username or email case-insensitively;
- every article has its slug marker (same article and author); no slug marker points at a missing
  article, at another author, or at an article whose slug is no longer that slug;
- tag items `TAG#t / ARTICLE#aid` exist exactly for each article's tagList; each tag counter's
  tagCount equals the number of its tag items, per shard (the legacy `META` counts the articles
  without `counterShard`, `META#<k>` those of shard k; a counter at 0 may be absent), and each tag
  head's tagCount the sharded ones;
- `COUNTER / ARTICLES.articleCount` equals the number of articles without `counterShard`,
  `COUNTER / ARTICLES#<k>` those of shard k; each user's articlesCount,
  favoritesCount (given) and followingCount equal the items that exist; each article's
  favoritesCount plus its pending favorite markers' deltas (FAVPENDING#<uid>, each -1, 0 or +1; not
  folded yet, store/favorites.py) equals its FAVBY# edges;
- no comment, favorite edge or pending favorite marker lives under a missing article; comment ids are unique per article
  (they are the sort key) and at most the article's commentSeq; every comment's author exists and
  the comment is in its author's ByOwner partition (COMMENTER#<uid>), as account deletion finds them;
- follow and favorite edges point at existing users; index keys of edges, articles and tag counters
  are the ones the reads query.

Items of kinds that carry no cross-item invariant (rate-limit windows, idempotency records) are
accepted as they are; any other unknown item is reported.
"""

from __future__ import annotations

import os
import sys
from collections import Counter, defaultdict
from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from boto3.dynamodb.types import TypeDeserializer

Item = dict[str, Any]
UNCHECKED_PREFIXES = ("QUOTA#", "IDEMPOTENCY#", "RECEIPT#", "RESET#", "VERIFY#", "DELETION#")
_deserializer = TypeDeserializer()


def scan(endpoint: str, table: str, page_size: int | None = None) -> list[Item]:
    """Every item of the table (strongly consistent Scan, all pages), numbers as int."""
    import boto3

    ddb = boto3.client(
        "dynamodb",
        endpoint_url=endpoint,
        region_name=os.environ.get("AWS_REGION", "us-east-1"),
        aws_access_key_id=os.environ.get("AWS_ACCESS_KEY_ID", "local"),
        aws_secret_access_key=os.environ.get("AWS_SECRET_ACCESS_KEY", "local"),
    )
    request: dict[str, Any] = {"TableName": table, "ConsistentRead": True}
    if page_size:
        request["Limit"] = page_size
    items: list[Item] = []
    while True:
        response = ddb.scan(**request)
        items.extend(_plain(raw) for raw in response.get("Items", []))
        last = response.get("LastEvaluatedKey")
        if not last:
            return items
        request["ExclusiveStartKey"] = last


def snapshot(endpoint: str, table: str) -> list[Item]:
    """Every item of the table. When the table lives in this process's embedded moto DynamoDB (the
    local API's default), its items are read from moto directly: the same items a Scan returns,
    without moto's slow Scan. On any other endpoint (DynamoDB Local, DYNAMODB_ENDPOINT) it Scans."""
    local = _in_process(table)
    return local if local is not None else scan(endpoint, table)


def check_table(endpoint: str, table: str) -> list[str]:
    return check(snapshot(endpoint, table))


def _in_process(table: str) -> list[Item] | None:
    try:
        from moto.backends import get_backend
    except ImportError:  # pragma: no cover - moto is a dev dependency
        return None
    for regions in list(get_backend("dynamodb").values()):
        for backend in list(regions.values()):
            found = backend.tables.get(table)
            if found is None:
                continue
            for _ in range(5):  # a write landing mid-copy changes the dicts: copy again
                try:
                    return [_plain_python(item.to_regular_json()) for item in found.all_items()]
                except RuntimeError:
                    continue
            raise RuntimeError(f"table {table} kept changing while it was read")
    return None


def _plain_python(item: Item) -> Item:
    return {name: int(value) if isinstance(value, Decimal) else value for name, value in item.items()}


def _plain(raw: dict[str, Any]) -> Item:
    return _plain_python({name: _deserializer.deserialize(value) for name, value in raw.items()})


class _Table:
    """The items sorted by kind."""

    def __init__(self, items: Iterable[Item]) -> None:
        self.users: dict[str, Item] = {}
        self.email_markers: dict[str, Item] = {}
        self.username_markers: dict[str, Item] = {}
        self.follows: list[tuple[str, str, Item]] = []
        self.articles: dict[str, Item] = {}
        self.slug_markers: dict[str, Item] = {}
        self.comments: dict[str, list[Item]] = defaultdict(list)
        self.favorites: dict[str, list[Item]] = defaultdict(list)
        self.pending: dict[str, list[Item]] = defaultdict(list)  # ARTICLE#<aid>/FAVPENDING#<uid>
        self.tagged: dict[str, set[str]] = defaultdict(set)  # tag -> article ids
        self.tag_counters: dict[str, Item] = {}  # legacy TAG#<t>/META
        self.tag_shards: dict[tuple[str, int], Item] = {}  # TAG#<t>/META#<nnn>
        self.tag_heads: dict[str, Item] = {}  # TAG#<t>/HEAD
        self.article_counter: Item | None = None  # legacy COUNTER/ARTICLES
        self.article_shards: dict[int, Item] = {}  # COUNTER/ARTICLES#<nnn>
        self.unknown: list[Item] = []
        for item in items:
            self._add(item)

    def _add(self, item: Item) -> None:
        pk, sk = item.get("PK", ""), item.get("SK", "")
        kind, _, rest = pk.partition("#")
        if pk.startswith(UNCHECKED_PREFIXES):
            return
        if kind == "USER" and sk == "PROFILE":
            self.users[rest] = item
        elif kind == "USER" and sk.startswith("FOLLOWS#"):
            self.follows.append((rest, sk.removeprefix("FOLLOWS#"), item))
        elif kind == "EMAIL" and sk == "EMAIL":
            self.email_markers[rest] = item
        elif kind == "UNAME" and sk == "UNAME":
            self.username_markers[rest] = item
        elif kind == "ARTICLE" and sk == "ARTICLE":
            self.articles[rest] = item
        elif kind == "ARTICLE" and sk.startswith("COMMENT#"):
            self.comments[rest].append(item)
        elif kind == "ARTICLE" and sk.startswith("FAVBY#"):
            self.favorites[rest].append(item)
        elif kind == "ARTICLE" and sk.startswith("FAVPENDING#"):
            self.pending[rest].append(item)
        elif kind == "SLUG" and sk == "SLUG":
            self.slug_markers[rest] = item
        elif kind == "TAG" and sk == "META":
            self.tag_counters[rest] = item
        elif kind == "TAG" and sk.startswith("META#"):
            self.tag_shards[(rest, int(sk.removeprefix("META#")))] = item
        elif kind == "TAG" and sk == "HEAD":
            self.tag_heads[rest] = item
        elif kind == "TAG" and sk.startswith("ARTICLE#"):
            self.tagged[rest].add(sk.removeprefix("ARTICLE#"))
        elif pk == "COUNTER" and sk == "ARTICLES":
            self.article_counter = item
        elif pk == "COUNTER" and sk.startswith("ARTICLES#"):
            self.article_shards[int(sk.removeprefix("ARTICLES#"))] = item
        else:
            self.unknown.append(item)


def check(items: Iterable[Item]) -> list[str]:
    """All violations of the invariants above, as readable strings (empty: consistent)."""
    table = _Table(items)
    problems: list[str] = [f"unknown item {item.get('PK')!r}/{item.get('SK')!r}" for item in table.unknown]
    problems += _users_and_markers(table)
    problems += _articles_and_slugs(table)
    problems += _tags(table)
    problems += _children(table)
    problems += _follows(table)
    problems += _counters(table)
    return problems


def _users_and_markers(t: _Table) -> list[str]:
    out: list[str] = []
    for field, markers, label in (("email", t.email_markers, "email"), ("username", t.username_markers, "username")):
        pointing: Counter[str] = Counter()
        for key, marker in markers.items():
            uid = marker.get("userId")
            pointing[uid] += 1
            user = t.users.get(uid)
            if user is None:
                out.append(f"{label} marker {key!r} points at missing user {uid}")
            elif str(user.get(field, "")).lower() != key:
                out.append(f"{label} marker {key!r} points at user {uid} whose {field} is {user.get(field)!r}")
        by_value: dict[str, list[str]] = defaultdict(list)
        for uid, user in t.users.items():
            value = str(user.get(field, "")).lower()
            by_value[value].append(uid)
            marker = markers.get(value)
            if marker is None:
                out.append(f"user {uid} has no {label} marker for {value!r}")
            elif marker.get("userId") != uid:
                out.append(f"user {uid}: {label} marker {value!r} points at {marker.get('userId')}")
            if pointing[uid] != 1:
                out.append(f"user {uid} has {pointing[uid]} {label} markers (expected 1)")
        for value, uids in by_value.items():
            if len(uids) > 1:
                out.append(f"{len(uids)} users share the {label} {value!r}: {sorted(uids)}")
    for uid, user in t.users.items():
        if user.get("id") != uid:
            out.append(f"user item USER#{uid} has id {user.get('id')!r}")
    return out


def _articles_and_slugs(t: _Table) -> list[str]:
    out: list[str] = []
    for aid, article in t.articles.items():
        author, slug = article.get("authorId"), article.get("slug")
        if article.get("id") != aid:
            out.append(f"article item ARTICLE#{aid} has id {article.get('id')!r}")
        if author not in t.users:
            out.append(f"article {aid} has missing author {author}")
        marker = t.slug_markers.get(slug or "")
        if marker is None:
            out.append(f"article {aid} has no slug marker {slug!r}")
        elif marker.get("articleId") != aid or marker.get("authorId") != author:
            out.append(
                f"slug marker {slug!r} of article {aid} points at {marker.get('articleId')}/{marker.get('authorId')}"
            )
        if article.get("GSI1PK") != f"AUTHOR#{author}" or article.get("GSI1SK") != aid:
            out.append(f"article {aid} has ByOwner keys {article.get('GSI1PK')!r}/{article.get('GSI1SK')!r}")
        if article.get("GSI2PK") != "ARTICLES" or article.get("GSI2SK") != aid:
            out.append(f"article {aid} has all-articles index keys {article.get('GSI2PK')!r}/{article.get('GSI2SK')!r}")
    for slug, marker in t.slug_markers.items():
        aid = marker.get("articleId")
        article = t.articles.get(aid)
        if article is None:
            out.append(f"slug marker {slug!r} points at missing article {aid}")
            continue
        if article.get("slug") != slug:
            out.append(f"stale slug marker {slug!r}: article {aid} is now {article.get('slug')!r}")
        if marker.get("authorId") != article.get("authorId"):
            out.append(
                f"slug marker {slug!r} names author {marker.get('authorId')}, article {aid} "
                f"is by {article.get('authorId')}"
            )
    return out


def _tags(t: _Table) -> list[str]:
    out: list[str] = []
    expected: dict[str, set[str]] = defaultdict(set)
    for aid, article in t.articles.items():
        tag_list = list(article.get("tagList") or [])
        if len(set(tag_list)) != len(tag_list):
            out.append(f"article {aid} repeats a tag: {tag_list}")
        for tag in tag_list:
            expected[tag].add(aid)
    for tag in sorted(set(expected) | set(t.tagged)):
        for aid in sorted(expected[tag] - t.tagged[tag]):
            out.append(f"article {aid} lists tag {tag!r} but has no TAG#{tag}/ARTICLE#{aid} item")
        for aid in sorted(t.tagged[tag] - expected[tag]):
            owner = "a missing article" if aid not in t.articles else "an article without that tag"
            out.append(f"tag item TAG#{tag}/ARTICLE#{aid} belongs to {owner}")
    # every tag counter is exact per shard: the legacy item counts the tag's articles without a
    # counterShard, shard k the tag's articles of counterShard k (mod TAG_COUNTER_SHARDS)
    per_shard: Counter[tuple[str, int | None]] = Counter()
    for tag, aids in t.tagged.items():
        for aid in aids:
            per_shard[(tag, _tag_shard(t.articles.get(aid)))] += 1
    for tag in sorted(set(t.tag_counters) | set(t.tagged) | {tag for tag, _ in t.tag_shards}):
        counter = t.tag_counters.get(tag)
        count = counter.get("tagCount", 0) if counter else 0
        if count != per_shard[(tag, None)]:
            out.append(f"tag {tag!r}: tagCount {count} but {per_shard[(tag, None)]} tag items")
        if counter is not None and (counter.get("GSI3PK") != "TAGS" or counter.get("tag") != tag):
            out.append(f"tag counter {tag!r} has index key {counter.get('GSI3PK')!r} and tag {counter.get('tag')!r}")
    for (tag, shard), item in sorted(t.tag_shards.items()):
        if item.get("tagCount", 0) != per_shard[(tag, shard)]:
            out.append(f"tag {tag!r} shard {shard}: tagCount {item.get('tagCount', 0)} but {per_shard[(tag, shard)]}")
        if "GSI3PK" in item:
            out.append(f"tag {tag!r} shard {shard} is in the tag list index")
    for (tag, shard), n in per_shard.items():
        if shard is not None and n and (tag, shard) not in t.tag_shards:
            out.append(f"tag {tag!r}: {n} tag items of shard {shard} but no counter shard")
    for tag, head in t.tag_heads.items():  # its count may be stale (store.counters): see stale_tag_heads
        if head.get("tag") != tag or not str(head.get("GSI3PK", "")).startswith("TAGS"):
            out.append(f"tag head {tag!r} has index key {head.get('GSI3PK')!r} and tag {head.get('tag')!r}")
    return out


def stale_tag_heads(items: Iterable[Item]) -> list[str]:
    """Tag heads whose count is not their tag's sharded count. A head is refreshed after each change
    of its tag, outside the change's transaction (store.counters.refresh_tag_heads): a fault or a
    lost answer between the two leaves it stale until the tag's next change, so this is not one of
    the invariants `check` enforces; without faults the heads must be exact."""
    t = _Table(items)
    sharded: Counter[str] = Counter()
    for tag, aids in t.tagged.items():
        sharded[tag] += sum(1 for aid in aids if _tag_shard(t.articles.get(aid)) is not None)
    out = []
    for tag in sorted(set(t.tag_heads) | {tag for tag, n in sharded.items() if n}):
        count = t.tag_heads.get(tag, {}).get("tagCount", 0)
        if count != sharded[tag]:
            out.append(f"tag head {tag!r}: tagCount {count} but {sharded[tag]} sharded tag items")
    return out


def _tag_shard(article: Item | None) -> int | None:
    from conduit.store import shards

    if article is None or article.get("counterShard") is None:
        return None
    return int(article["counterShard"]) % shards.TAG_COUNTER_SHARDS


def _children(t: _Table) -> list[str]:
    out: list[str] = []
    for aid, comments in t.comments.items():
        article = t.articles.get(aid)
        if article is None:
            out.append(f"{len(comments)} comment(s) under missing article {aid}")
            continue
        seq = article.get("commentSeq", 0)
        ids: Counter[int] = Counter()
        for comment in comments:
            cid = comment.get("id")
            ids[cid] += 1
            if not isinstance(cid, int) or comment["SK"] != f"COMMENT#{cid:012d}":
                out.append(f"comment {comment['SK']} of article {aid} has id {cid!r}")
            elif cid > seq:
                out.append(f"comment {cid} of article {aid} is above commentSeq {seq}")
            author = comment.get("authorId")
            if author not in t.users:
                out.append(f"comment {cid} of article {aid} by missing user {author}")
            elif isinstance(cid, int) and (
                comment.get("GSI1PK") != f"COMMENTER#{author}" or comment.get("GSI1SK") != f"{aid}#{cid:012d}"
            ):
                out.append(f"comment {cid} of article {aid} has ByOwner keys {comment.get('GSI1PK')!r}")
        out += [f"comment id {cid} appears {n} times under article {aid}" for cid, n in ids.items() if n > 1]
    for aid, edges in t.favorites.items():
        if aid not in t.articles:
            out.append(f"{len(edges)} favorite edge(s) under missing article {aid}")
        for edge in edges:
            uid = edge["SK"].removeprefix("FAVBY#")
            if uid not in t.users:
                out.append(f"favorite edge of article {aid} by missing user {uid}")
            if edge.get("GSI1PK") != f"FAVBY#{uid}" or edge.get("GSI1SK") != aid:
                out.append(f"favorite edge {aid}/{uid} has ByOwner keys {edge.get('GSI1PK')!r}/{edge.get('GSI1SK')!r}")
    for aid, markers in t.pending.items():
        if aid not in t.articles:
            out.append(f"{len(markers)} pending favorite marker(s) under missing article {aid}")
        for marker in markers:
            if marker.get("delta") not in (-1, 0, 1):
                out.append(f"pending favorite {aid}/{marker['SK']} has delta {marker.get('delta')!r}")
    return out


def _follows(t: _Table) -> list[str]:
    out: list[str] = []
    for follower, followee, edge in t.follows:
        for role, uid in (("follower", follower), ("followee", followee)):
            if uid not in t.users:
                out.append(f"follow edge {follower}->{followee}: {role} is missing")
        if follower == followee:
            out.append(f"user {follower} follows itself")
        if edge.get("GSI1PK") != f"FOLLOWERS#{followee}" or edge.get("GSI1SK") != follower:
            out.append(
                f"follow edge {follower}->{followee} has ByOwner keys {edge.get('GSI1PK')!r}/{edge.get('GSI1SK')!r}"
            )
    return out


def _counters(t: _Table) -> list[str]:
    out: list[str] = []
    by_shard: Counter[int | None] = Counter(a.get("counterShard") for a in t.articles.values())
    counted = t.article_counter.get("articleCount", 0) if t.article_counter else 0
    if counted != by_shard[None]:
        out.append(f"COUNTER/ARTICLES.articleCount is {counted} but there are {by_shard[None]} unsharded articles")
    for shard in sorted(set(t.article_shards) | {k for k in by_shard if k is not None}):
        counted = t.article_shards.get(shard, {}).get("articleCount", 0)
        if counted != by_shard[shard]:
            out.append(f"COUNTER/ARTICLES#{shard:03d}.articleCount is {counted} but {by_shard[shard]} articles")
    written: Counter[str] = Counter(a.get("authorId") for a in t.articles.values())
    given: Counter[str] = Counter(e["SK"].removeprefix("FAVBY#") for edges in t.favorites.values() for e in edges)
    following: Counter[str] = Counter(follower for follower, _, _ in t.follows)
    for uid, user in t.users.items():
        for attribute, actual in (
            ("articlesCount", written[uid]),
            ("favoritesCount", given[uid]),
            ("followingCount", following[uid]),
        ):
            if user.get(attribute, 0) != actual:
                out.append(f"user {uid} {user.get('username')!r}: {attribute} {user.get(attribute, 0)} but {actual}")
    for aid, article in t.articles.items():
        edges = len(t.favorites.get(aid, []))
        pending = sum(int(m.get("delta", 0)) for m in t.pending.get(aid, []))
        if article.get("favoritesCount", 0) + pending != edges:
            out.append(
                f"article {aid}: favoritesCount {article.get('favoritesCount', 0)} + {pending} pending"
                f" but {edges} FAVBY# edges"
            )
    return out


def main(argv: list[str]) -> int:
    """`python -m tests.reliability.invariants ENDPOINT TABLE`: check a running local table."""
    problems = check_table(argv[0], argv[1])
    print("\n".join(problems) or "consistent")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
