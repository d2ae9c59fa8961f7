"""The invariant checker itself: silent on a table the API wrote, and it catches every kind of
violation it claims to (each corruption below is applied to a copy of that table's items)."""

from __future__ import annotations

import copy
import uuid
from collections.abc import Callable
from typing import Any

import pytest

from localapi import database
from tests.reliability import invariants

Items = list[dict[str, Any]]


@pytest.fixture(scope="module")
def written(api: Any, table: tuple[str, str]) -> dict[str, Any]:
    """A bit of everything, written through the API: users, follows, articles with tags (one
    renamed, one re-tagged, one deleted), comments (one deleted) and favorites (one withdrawn)."""
    ada, bob, cy = api.user("ada"), api.user("bob"), api.user("cy")
    api.ok(
        "PUT",
        "/user",
        token=cy["token"],
        json={"user": {"username": cy["username"] + "x", "email": "CY" + cy["email"]}},
    )
    api.ok("POST", f"/profiles/{bob['username']}/follow", token=ada["token"])
    api.ok("POST", f"/profiles/{ada['username']}/follow", token=bob["token"])
    first = api.article(ada["token"], tags=["inv-a", "inv-b"])
    second = api.article(bob["token"], tags=["inv-b"])
    doomed = api.article(bob["token"], tags=["inv-c"])
    api.ok(
        "PUT",
        f"/articles/{first['slug']}",
        token=ada["token"],
        json={"article": {"title": "Renamed " + uuid.uuid4().hex[:6]}},
    )
    api.ok("PUT", f"/articles/{second['slug']}", token=bob["token"], json={"article": {"tagList": ["inv-a", "inv-d"]}})
    for slug in (second["slug"], doomed["slug"]):
        api.comment(ada["token"], slug)
        api.ok("POST", f"/articles/{slug}/favorite", token=ada["token"])
        api.ok("POST", f"/articles/{slug}/favorite", token=cy["token"])
    extra = api.comment(bob["token"], second["slug"])
    api.ok("DELETE", f"/articles/{second['slug']}/comments/{extra['id']}", token=bob["token"])
    api.ok("DELETE", f"/articles/{second['slug']}/favorite", token=cy["token"])
    api.ok("DELETE", f"/articles/{doomed['slug']}", token=bob["token"])
    return {"items": invariants.snapshot(*table), "endpoint": table[0]}


def test_the_table_the_api_wrote_is_consistent(written):
    kinds = {item["PK"].split("#")[0] for item in written["items"]}
    assert {"USER", "EMAIL", "UNAME", "ARTICLE", "SLUG", "TAG", "COUNTER"} <= kinds
    assert invariants.check(written["items"]) == []


def _find(items: Items, pk_prefix: str, sk: str | None = None, sk_prefix: str = "") -> dict[str, Any]:
    for item in items:
        if item["PK"].startswith(pk_prefix) and (sk is None or item["SK"] == sk) and item["SK"].startswith(sk_prefix):
            return item
    raise AssertionError(f"no {pk_prefix} / {sk or sk_prefix} item")


def _remove(items: Items, victim: dict[str, Any]) -> None:
    items[:] = [i for i in items if (i["PK"], i["SK"]) != (victim["PK"], victim["SK"])]


def _user(items: Items, prefix: str) -> dict[str, Any]:
    return next(i for i in items if i["SK"] == "PROFILE" and i["username"].startswith(prefix))


def _article_with_favorites(items: Items) -> dict[str, Any]:
    """`written`'s re-tagged article (1 favorite left); the table may hold other tests' articles too."""
    return next(i for i in items if i["SK"] == "ARTICLE" and "inv-d" in i.get("tagList", []))


def _pending_counted_twice(items: Items) -> None:
    """A marker left behind by a fold that also added it to the article: that favorite counts twice."""
    article = _article_with_favorites(items)
    items.append({"PK": f"ARTICLE#{article['id']}", "SK": "FAVPENDING#u1", "delta": 1})


def _pending_off_range(items: Items) -> None:
    article = _article_with_favorites(items)
    article["favoritesCount"] -= 2
    items.append({"PK": f"ARTICLE#{article['id']}", "SK": "FAVPENDING#u1", "delta": 2})


def _rename_user(items: Items) -> None:
    _user(items, "bob")["username"] = _user(items, "ada")["username"].upper()


def _stale_slug_marker(items: Items) -> None:
    article = _find(items, "ARTICLE#", "ARTICLE")
    items.append({"PK": "SLUG#old-title", "SK": "SLUG", "articleId": article["id"], "authorId": article["authorId"]})


def _wrong_author_on_marker(items: Items) -> None:
    article = _find(items, "ARTICLE#", "ARTICLE")
    _find(items, f"SLUG#{article['slug']}", "SLUG")["authorId"] = _user(items, "cy")["id"]


def _tag_item_of_other_article(items: Items) -> None:
    article = next(i for i in items if i["SK"] == "ARTICLE" and "inv-b" not in i["tagList"])
    items.append({"PK": "TAG#inv-b", "SK": f"ARTICLE#{article['id']}", "type": "tagged"})


def _missing_tag_counter(items: Items) -> None:
    _remove(items, _find(items, "TAG#inv-a", sk_prefix="META#"))


def _bump(pk_prefix: str, sk: str | None, attribute: str, sk_prefix: str = "") -> Callable[[Items], None]:
    def corrupt(items: Items) -> None:
        item = _find(items, pk_prefix, sk, sk_prefix)
        item[attribute] = item.get(attribute, 0) + 1

    return corrupt


def _orphan(sk: str, extra: dict[str, Any]) -> Callable[[Items], None]:
    return lambda items: items.append({"PK": "ARTICLE#gone", "SK": sk, **extra})


def _comment_above_seq(items: Items) -> None:
    article = next(i for i in items if i["SK"] == "ARTICLE" and i.get("commentSeq"))
    seq = article["commentSeq"] + 5
    items.append({"PK": f"ARTICLE#{article['id']}", "SK": f"COMMENT#{seq:012d}", "id": seq, "body": "x"})


def _comment(items: Items) -> dict[str, Any]:
    return next(i for i in items if i["SK"].startswith("COMMENT#") and i["PK"].startswith("ARTICLE#"))


def _comment_by_missing_user(items: Items) -> None:
    comment = _comment(items)
    comment["authorId"] = "nobody"
    comment["GSI1PK"] = "COMMENTER#nobody"


def _follow_missing_user(items: Items) -> None:
    edge = _find(items, "USER#", sk_prefix="FOLLOWS#")
    edge["SK"] = "FOLLOWS#nobody"
    edge["GSI1PK"] = "FOLLOWERS#nobody"


CORRUPTIONS: dict[str, tuple[Callable[[Items], None], str]] = {
    "email marker missing": (lambda items: _remove(items, _find(items, "EMAIL#", "EMAIL")), "has no email marker"),
    "username marker missing": (
        lambda items: _remove(items, _find(items, "UNAME#", "UNAME")),
        "has no username marker",
    ),
    "second username marker": (
        lambda items: items.append({"PK": "UNAME#old-name", "SK": "UNAME", "userId": _user(items, "ada")["id"]}),
        "has 2 username markers",
    ),
    "marker of a missing user": (
        lambda items: items.append({"PK": "EMAIL#ghost@example.com", "SK": "EMAIL", "userId": "ghost"}),
        "points at missing user ghost",
    ),
    "marker disagrees with the user": (
        lambda items: _user(items, "ada").update(email="changed@example.com"),
        "whose email is 'changed@example.com'",
    ),
    "two users with one name": (_rename_user, "users share the username"),
    "slug marker missing": (lambda items: _remove(items, _find(items, "SLUG#", "SLUG")), "has no slug marker"),
    "stale slug marker": (_stale_slug_marker, "stale slug marker 'old-title'"),
    "slug marker of a missing article": (
        lambda items: items.append({"PK": "SLUG#ghost", "SK": "SLUG", "articleId": "gone", "authorId": "x"}),
        "points at missing article gone",
    ),
    "slug marker names another author": (_wrong_author_on_marker, "names author"),
    "tag item missing": (
        lambda items: _remove(items, _find(items, "TAG#inv-a", sk_prefix="ARTICLE#")),
        "has no TAG#inv-a",
    ),
    "tag item of an article without the tag": (_tag_item_of_other_article, "belongs to an article without that tag"),
    "tag item of a missing article": (
        lambda items: items.append({"PK": "TAG#inv-z", "SK": "ARTICLE#gone"}),
        "belongs to a missing article",
    ),
    "tag counter shard off": (_bump("TAG#inv-b", None, "tagCount", "META#"), "tag 'inv-b' shard"),
    "tag counter shard missing": (_missing_tag_counter, "but no counter shard"),
    "legacy tag counter off": (
        lambda items: items.append({"PK": "TAG#inv-b", "SK": "META", "tagCount": 1, "GSI3PK": "TAGS", "tag": "inv-b"}),
        "tag 'inv-b': tagCount 1 but 0",
    ),
    "tag head of another tag": (lambda items: _find(items, "TAG#inv-b", "HEAD").update(tag="x"), "tag head 'inv-b'"),
    "article counter shard off": (_bump("COUNTER", None, "articleCount", "ARTICLES#"), "COUNTER/ARTICLES#"),
    "legacy article counter off": (
        lambda items: items.append({"PK": "COUNTER", "SK": "ARTICLES", "articleCount": 2}),
        "COUNTER/ARTICLES.articleCount is 2",
    ),
    "articlesCount off": (lambda items: _user(items, "bob").update(articlesCount=7), "articlesCount 7 but 1"),
    "favoritesCount given off": (lambda items: _user(items, "ada").update(favoritesCount=0), "favoritesCount 0 but 1"),
    "followingCount off": (lambda items: _user(items, "bob").update(followingCount=3), "followingCount 3 but 1"),
    "article favoritesCount off": (
        lambda items: _article_with_favorites(items).update(favoritesCount=5),
        "favoritesCount 5 + 0 pending but 1 FAVBY# edges",
    ),
    "pending favorite counted twice": (_pending_counted_twice, "+ 1 pending but 1 FAVBY# edges"),
    "pending favorite under a deleted article": (_orphan("FAVPENDING#u1", {"delta": 1}), "pending favorite marker(s)"),
    "pending favorite off its range": (_pending_off_range, "has delta 2"),
    "comment under a deleted article": (_orphan("COMMENT#000000000001", {"id": 1}), "comment(s) under missing article"),
    "favorite under a deleted article": (
        _orphan("FAVBY#u1", {"GSI1PK": "FAVBY#u1", "GSI1SK": "gone"}),
        "favorite edge(s) under missing article",
    ),
    "comment id above commentSeq": (_comment_above_seq, "above commentSeq"),
    "follow edge to a missing user": (_follow_missing_user, "followee is missing"),
    "comment by a missing user": (_comment_by_missing_user, "by missing user nobody"),
    "comment its author's deletion would not find": (
        lambda items: _comment(items).pop("GSI1PK"),
        "has ByOwner keys None",
    ),
    "unknown item": (lambda items: items.append({"PK": "JUNK#1", "SK": "X"}), "unknown item 'JUNK#1'"),
}


@pytest.mark.parametrize("name", list(CORRUPTIONS))
def test_each_kind_of_corruption_is_reported(written, name):
    corrupt, expected = CORRUPTIONS[name]
    items = copy.deepcopy(written["items"])
    corrupt(items)
    found = invariants.check(items)
    assert any(expected in problem for problem in found), f"{name}: expected {expected!r} in {found}"


def test_a_stale_tag_head_is_reported_apart(written):
    def stale_here(items: Items) -> list[str]:  # the package's table also holds what fault tests left
        return [problem for problem in invariants.stale_tag_heads(items) if "'inv-" in problem]

    items = copy.deepcopy(written["items"])
    assert stale_here(items) == []
    _bump("TAG#inv-b", "HEAD", "tagCount")(items)
    assert invariants.check(items) == []  # a fault after the commit may leave it so: not an invariant
    assert any("tag head 'inv-b': tagCount" in problem for problem in stale_here(items))


def test_what_is_allowed_is_not_reported(written):
    items = copy.deepcopy(written["items"])
    # a tag counter left at zero, a gap in comment ids (a failed comment write), rate-limit and
    # idempotency records, a create's receipt (naming an article deleted since: that is allowed),
    # and an article whose deletion has begun (it resumes on retry)
    items.append({"PK": "TAG#unused", "SK": "META", "tagCount": 0, "GSI3PK": "TAGS", "tag": "unused"})
    article = next(i for i in items if i["SK"] == "ARTICLE" and i.get("commentSeq"))
    article["commentSeq"] += 3
    article["deleting"] = True
    items.append({"PK": "QUOTA#write#u1", "SK": "1700000000", "hits": 3})
    items.append({"PK": "IDEMPOTENCY#POST /api/articles", "SK": "abc", "status": "COMPLETED"})
    items.append({"PK": "RECEIPT#" + "0" * 64, "SK": "RECEIPT", "madePK": "ARTICLE#gone", "madeSK": "ARTICLE"})
    assert invariants.check(items) == []


def test_the_scan_path_reads_a_whole_real_table(runtime):
    """On a fresh table (outside moto's in-process shortcut): Scan with small pages, all items."""
    (logical,) = runtime.table_names
    name = f"conduit-invariants-{uuid.uuid4().hex[:6]}"
    database.create_tables(runtime.template, runtime.endpoint, {logical: name})
    ddb = database.client(runtime.endpoint)
    try:
        ddb.put_item(
            TableName=name,
            Item={
                "PK": {"S": "USER#u1"},
                "SK": {"S": "PROFILE"},
                "id": {"S": "u1"},
                "username": {"S": "Ann"},
                "email": {"S": "ann@example.com"},
            },
        )
        for i in range(5):
            ddb.put_item(TableName=name, Item={"PK": {"S": f"JUNK#{i}"}, "SK": {"S": "X"}, "n": {"N": str(i)}})
        scanned = invariants.scan(runtime.endpoint, name, page_size=2)
        assert len(scanned) == 6
        assert sorted(map(str, scanned)) == sorted(map(str, invariants.snapshot(runtime.endpoint, name)))
        found = invariants.check(scanned)
        assert "user u1 has no email marker for 'ann@example.com'" in found
        assert "user u1 has no username marker for 'ann'" in found
        assert sum(p.startswith("unknown item 'JUNK#") for p in found) == 5
    finally:
        ddb.delete_table(TableName=name)
