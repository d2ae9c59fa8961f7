"""Seed a table directly, without the API, in BatchWriteItem batches of 25 items.

The items are those conduit.store's own write functions produce (users.create, articles.create,
follows.follow, favorites.favorite, comments.add, users.set_flags): they run against an in-memory
table (`_Capture` stands in for conduit.store.ops' writes and applies their Put/Update/Delete
actions), so the seed has exactly the layout of keys.py / store/*.py - also after they change -
and every counter the transactions keep. Finished items are written out as they are complete.

Every size gets the same *fixture* (what the measured requests touch): 20 authors with 15 articles
each (the newest articles, all tagged `bench`, together carrying all 250 pool tags), a viewer who
follows 10 of them and favorites 25 of their articles, an actor for the writes, an admin, and a
target article with 10 comments and 8 favorites. Everything else is *background*: older articles
by other users with 1-2 pool tags, follows, favorites and comments. So a request reads the same
items at every size unless its cost depends on the table's size - which is what the bench checks.

Writing: `backend` (default) hands each batch to moto's DynamoDB backend the way moto's own
BatchWriteItem does (one put per item) without the HTTP emulation around it, about four times
faster; `client` sends it with boto3's batch_write_item.
"""

from __future__ import annotations

import random
import re
import time
from contextlib import contextmanager
from dataclasses import dataclass
from decimal import Decimal
from typing import Any
from unittest import mock

FIXTURE_AUTHORS = 20
ARTICLES_PER_AUTHOR = 15
FIXTURE_ARTICLES = FIXTURE_AUTHORS * ARTICLES_PER_AUTHOR
FOLLOWED = 10
VIEWER_FAVORITES = 25
TAG_POOL = [f"tag-{i:03d}" for i in range(250)]
FIXTURE_TAG = "bench"
# The tag the bench's article creates add (with a pool tag): new to the seed, its counter shards filled too.
CREATED_TAG = "bench-created"
PASSWORD = "bench-password-1"
BODY = ("Lorem ipsum dolor sit amet, consectetur adipiscing elit, sed do eiusmod tempor. " * 19)[:1500]
DESCRIPTION = "A short description of what this article is about, as the RealWorld clients show it in lists."
BATCH = 25


@dataclass(frozen=True)
class User:
    uid: str
    username: str

    @property
    def email(self) -> str:
        return f"{self.username}@bench.example"


@dataclass
class Fixture:
    viewer: User
    actor: User
    admin: User
    authors: list[User]
    target_slug: str
    tag: str = FIXTURE_TAG
    password: str = PASSWORD
    items: int = 0
    seconds: float = 0.0


def seed(client: Any, table: str, articles: int, password_hash: str, via: str = "backend") -> Fixture:
    from conduit.entities.articles import Draft
    from conduit.services.slugs import slugify
    from conduit.store import articles as article_store
    from conduit.store import comments, favorites, follows, users
    from conduit.store.ids import iso_now, new_id

    if articles < FIXTURE_ARTICLES * 2:
        raise ValueError(f"at least {FIXTURE_ARTICLES * 2} articles")
    started = time.perf_counter()
    rng = random.Random(7)
    writer = _Writer(client, table, via)
    capture = _Capture(writer)

    with capture.active():

        def new_user(name: str) -> User:
            created = users.create(name, f"{name}@bench.example", password_hash)
            return User(created.id, name)

        viewer, actor, admin = new_user("bench_viewer"), new_user("bench_actor"), new_user("bench_admin")
        users.set_flags(admin.uid, role="admin")
        authors = [new_user(f"bench_author_{i:02d}") for i in range(FIXTURE_AUTHORS)]
        background = [new_user(f"user_{i:06d}") for i in range(max(50, articles // 20))]

        def publish(author: str, title: str, tags: list[str]) -> str:
            draft = Draft(new_id(), slugify(title), title, DESCRIPTION, BODY, tuple(tags), author, iso_now())
            return article_store.create(draft).id

        # Background articles first (older), each with its favorites and comments, then the fixture.
        for i in range(articles - FIXTURE_ARTICLES):
            aid = publish(
                rng.choice(background).uid, f"Background article {i}", sorted(rng.sample(TAG_POOL, rng.choice((1, 2))))
            )
            if rng.random() < 0.1:
                for user in rng.sample(background, rng.randint(1, 3)):
                    favorites.favorite(aid, user.uid)
            if rng.random() < 0.1:
                comments.add(aid, rng.choice(background).uid, f"Comment on background article {i}.")
            capture.flush()
        fixture_ids = []
        for i in range(FIXTURE_ARTICLES):
            author = authors[i % FIXTURE_AUTHORS]
            tags = sorted({FIXTURE_TAG, TAG_POOL[i % len(TAG_POOL)]})
            fixture_ids.append(publish(author.uid, f"Fixture article {i} by {author.username}", tags))
        target = max(i for i in range(FIXTURE_ARTICLES) if i % FIXTURE_AUTHORS == 0)
        for n in range(10):
            comments.add(fixture_ids[target], authors[1 + n % 5].uid, f"Comment {n + 1} on the target article.")
        for author in authors[1:9]:
            favorites.favorite(fixture_ids[target], author.uid)
        for aid in fixture_ids[-VIEWER_FAVORITES:]:
            favorites.favorite(aid, viewer.uid)
        for author in authors[:FOLLOWED]:
            follows.follow(viewer.uid, author.uid)
        for user in background:
            for other in rng.sample(background, 3):
                if other.uid != user.uid:
                    follows.follow(user.uid, other.uid)
        capture.fill_counter_shards()
        capture.flush(everything=True)
    writer.close()
    return Fixture(
        viewer=viewer,
        actor=actor,
        admin=admin,
        authors=authors,
        target_slug=slugify(f"Fixture article {target} by {authors[0].username}"),
        items=writer.written,
        seconds=time.perf_counter() - started,
    )


class _Writer:
    def __init__(self, client: Any, table: str, via: str) -> None:
        self.client, self.table, self.via = client, table, via
        self.batch: list[dict[str, Any]] = []
        self.written = 0
        if via == "backend":
            from bench import motofast

            self.backend = motofast.backend()

    def put(self, item: dict[str, Any]) -> None:
        self.batch.append({"PutRequest": {"Item": item}})
        if len(self.batch) == BATCH:
            self._flush()

    def close(self) -> None:
        if self.batch:
            self._flush()

    def _flush(self) -> None:
        if self.via == "backend":
            for request in self.batch:
                self.backend.put_item(self.table, request["PutRequest"]["Item"])
        else:
            pending: dict[str, Any] = {self.table: self.batch}
            while pending:
                pending = self.client.batch_write_item(RequestItems=pending).get("UnprocessedItems") or {}
        self.written += len(self.batch)
        self.batch = []


class _Capture:
    """conduit.store.ops' writes, applied to an in-memory table (DynamoDB wire format).

    Items that later writes still change - users, tag counters, the article counter - stay here
    until the end; the rest goes to the writer at every `flush`.
    """

    KEEP = re.compile(r"^(USER#.*\|PROFILE|TAG#.*\|(META.*|HEAD)|COUNTER\|ARTICLES.*)$")

    def __init__(self, writer: _Writer) -> None:
        self.writer = writer
        self.items: dict[tuple[str, str], dict[str, Any]] = {}
        self.finished: set[tuple[str, str]] = set()  # written since the last flush and not kept

    @contextmanager
    def active(self) -> Any:
        from conduit.store import counters, favorites, ops

        with (
            mock.patch.object(counters, "refresh_tag_heads", self.refresh_tag_heads),
            mock.patch.object(favorites, "pending", self.pending_favorites),
            mock.patch.object(ops, "transact", self.transact),
            mock.patch.object(ops, "update_item", self.update_item),
            mock.patch.object(ops, "put_item", self.put_item),
            mock.patch.object(ops, "delete_item", self.delete_item),
        ):
            yield self

    def flush(self, everything: bool = False) -> None:
        for key in list(self.items) if everything else self.finished:
            if key in self.items:
                self.writer.put(self.items.pop(key))
        self.finished = set()

    def _touched(self, key: tuple[str, str]) -> None:
        if not self.KEEP.match(f"{key[0]}|{key[1]}"):
            self.finished.add(key)

    # conduit.store.ops' write functions ------------------------------------------------------------

    def transact(self, actions: list[dict[str, Any]]) -> None:
        for action in actions:
            kind, body = next(iter(action.items()))
            if kind == "Put":
                self.items[_key(body["Item"])] = body["Item"]
                self._touched(_key(body["Item"]))
            elif kind == "Update":
                self._update(body["Key"], body["UpdateExpression"], body)
            elif kind == "Delete":
                self.items.pop(_key(body["Key"]), None)

    def update_item(self, key: dict[str, Any], update: str, condition: str | None = None, *args: Any, **values: Any):
        from conduit.store.client import from_ddb, to_ddb
        from conduit.store.client import values as wire_values

        names = args[0] if args else values.pop("names", None)
        body = {"ExpressionAttributeNames": names or {}, "ExpressionAttributeValues": wire_values(**values)}
        return from_ddb(self._update(to_ddb(key), update, body))

    def put_item(self, item: dict[str, Any], condition: str | None = None, **values: Any) -> None:
        from conduit.store.client import to_ddb

        wire = to_ddb(item)
        self.items[_key(wire)] = wire
        self._touched(_key(wire))

    def delete_item(self, key: dict[str, Any], condition: str | None = None, **values: Any) -> None:
        from conduit.store.client import to_ddb

        self.items.pop(_key(to_ddb(key)), None)

    def pending_favorites(self, aid: str, limit: int | None = None) -> list[dict[str, Any]]:
        """conduit.store.favorites' read of an article's pending markers, from the items held here: the
        favorites' own fold then runs on them, so the seed is a table in steady state (folded)."""
        from conduit.store import keys
        from conduit.store.client import from_ddb

        partition = f"ARTICLE#{aid}"
        markers = [
            (key, item)
            for key, item in self.items.items()
            if key[0] == partition and key[1].startswith(keys.PENDING_FAVORITE_PREFIX)
        ]  # then sorted: sorting every held item per favorite made a 100,000-article seed take hours
        found = [from_ddb(item) for _, item in sorted(markers)]
        return found[:limit] if limit is not None else found

    def fill_counter_shards(self) -> None:
        """Every shard of the article counter and of each tag's counter, at zero where none counted:
        a table in steady state has them all, so the shard Queries read as much at every size."""
        from conduit.store import keys, shards
        from conduit.store.client import to_ddb

        wanted = [keys.article_counter_shard(n) for n in range(shards.ARTICLE_COUNTER_SHARDS)]
        tags = {pk.removeprefix("TAG#") for pk, sk in self.items if sk == "HEAD"} | {CREATED_TAG}
        for tag in sorted(tags):
            wanted += [keys.tag_counter_shard(tag, n) for n in range(shards.TAG_COUNTER_SHARDS)]
        for key in wanted:
            item = to_ddb({**key, ("articleCount" if key["PK"] == "COUNTER" else "tagCount"): 0})
            self.items.setdefault(_key(item), item)

    def refresh_tag_heads(self, shard: int | None, tags: list[str]) -> None:
        """conduit.store.counters' refresh of the tag list entries, from the shards held here."""
        from conduit.store import keys, shards
        from conduit.store.client import to_ddb

        for tag in tags if shard is not None else []:
            shard_keys = (_key(to_ddb(keys.tag_counter_shard(tag, n))) for n in range(shards.TAG_COUNTER_SHARDS))
            count = sum(int(self.items[k].get("tagCount", {"N": "0"})["N"]) for k in shard_keys if k in self.items)
            head = to_ddb(
                {
                    **keys.tag_head(tag),
                    "GSI3PK": keys.tags_partition(shards.shard_of(tag, shards.TAG_PARTITIONS)),
                    "tag": tag,
                    "tagCount": count,
                    "countedAt": time.time_ns(),
                }
            )
            self.items[_key(head)] = head

    def _update(self, key: dict[str, Any], expression: str, body: dict[str, Any]) -> dict[str, Any]:
        item = self.items.setdefault(_key(key), dict(key))
        self._touched(_key(key))
        apply_update(
            item, expression, body.get("ExpressionAttributeNames") or {}, body.get("ExpressionAttributeValues") or {}
        )
        return item


def _key(item: dict[str, Any]) -> tuple[str, str]:
    return item["PK"]["S"], item["SK"]["S"]


_CLAUSES = re.compile(r"\b(SET|ADD|REMOVE|DELETE)\b")


def apply_update(item: dict[str, Any], expression: str, names: dict[str, str], values: dict[str, Any]) -> None:
    """The subset of UpdateExpression conduit.store writes: SET a = :v | if_not_exists(a, :v) | a + :v,
    ADD a :n, REMOVE a. Anything else raises, so a new form cannot be seeded wrongly."""
    parts = _CLAUSES.split(expression)
    for keyword, clause in zip(parts[1::2], parts[2::2], strict=True):
        for action in _split(clause):
            if keyword == "SET":
                target, operand = (side.strip() for side in action.split("=", 1))
                item[names.get(target, target)] = _operand(item, operand, names, values)
            elif keyword == "ADD":
                target, value = action.split()
                name = names.get(target, target)
                item[name] = _number(_decimal(item.get(name)) + _decimal(values[value]))
            elif keyword == "REMOVE":
                item.pop(names.get(action, action), None)
            else:
                raise ValueError(f"cannot seed {keyword} in {expression!r}")


def _operand(item: dict[str, Any], operand: str, names: dict[str, str], values: dict[str, Any]) -> Any:
    if operand.startswith(":"):
        return values[operand]
    match = re.fullmatch(r"if_not_exists\(\s*([#\w]+)\s*,\s*(:\w+)\s*\)", operand)
    if match:
        return item.get(names.get(match[1], match[1]), values[match[2]])
    match = re.fullmatch(r"([#\w]+)\s*([+-])\s*(:\w+)", operand)
    if match:
        current = _decimal(item.get(names.get(match[1], match[1])))
        delta = _decimal(values[match[3]])
        return _number(current + delta if match[2] == "+" else current - delta)
    raise ValueError(f"cannot seed SET operand {operand!r}")


def _split(clause: str) -> list[str]:
    actions, depth, current = [], 0, ""
    for char in clause:
        depth += char == "("
        depth -= char == ")"
        if char == "," and depth == 0:
            actions.append(current.strip())
            current = ""
        else:
            current += char
    if current.strip():
        actions.append(current.strip())
    return actions


def _decimal(value: dict[str, Any] | None) -> Decimal:
    return Decimal(value["N"]) if value else Decimal(0)


def _number(value: Decimal) -> dict[str, str]:
    return {"N": str(value.normalize()) if value != value.to_integral() else str(int(value))}
