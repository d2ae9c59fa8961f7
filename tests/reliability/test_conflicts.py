"""Transaction conflicts made visible locally (localapi.gate.ConflictSimulator), and the sharded
counters exact under contention.

moto and DynamoDB Local serialise transactions, so two that touch one item both pass; DynamoDB
cancels one of them (TransactionConflict). With the simulator on, the local gate does what DynamoDB
does: it cancels a transaction touching an item another in-flight transaction holds. The store sends
a conflicted transaction again after a jittered pause (store.ops.transact), so contention costs
time, not errors - and the counters stay exact (the whole-table invariant check, per shard).
"""

from __future__ import annotations

import json
import threading
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from functools import partial
from typing import Any

import pytest
import requests

from conduit.store import keys
from conduit.store.client import to_ddb
from conduit.store.ops import TRANSACTION_ATTEMPTS
from localapi.gate import ConflictSimulator
from localapi.streams import StreamPoller
from tests.reliability import invariants
from tests.reliability.test_faults import assert_clean_unavailable


@pytest.fixture
def simulator(runtime: Any, table: tuple[str, str]) -> Iterator[ConflictSimulator]:
    runtime.gate.conflicts = simulator = ConflictSimulator()
    try:
        yield simulator
    finally:
        runtime.gate.conflicts = None


def article_key(api: Any, slug: str) -> dict[str, Any]:
    from conduit.store import articles

    marker = articles.find_by_slug(slug)
    return to_ddb(keys.article(marker.article_id))


def fold_from_stream(runtime: Any, table: tuple[str, str]) -> int:
    """Deliver this table's stream to FavoritesFoldFunction, as its event source mapping would."""
    deliver = partial(runtime.invoke, "FavoritesFoldFunction", integration_timeout=None)
    return StreamPoller(table[0], table[1], deliver).drain()


def user_key(user: dict[str, str]) -> dict[str, Any]:
    from conduit.store import users

    return to_ddb(keys.user(users.id_for_username(user["username"])))


def test_a_transaction_on_an_item_another_holds_is_cancelled_and_changes_nothing(
    api, table, simulator, assert_consistent
):
    author, fan = api.user("cfa"), api.user("cff")
    slug = api.article(author["token"])["slug"]
    simulator.pin(table[1], user_key(fan))  # another transaction of the same user holds its item
    answer = api.post(f"/articles/{slug}/favorite", token=fan["token"])
    assert_clean_unavailable(answer, "favorite while the user's item is held")
    assert simulator.fired == TRANSACTION_ATTEMPTS  # the first attempt and every retry were cancelled
    article = api.ok("GET", f"/articles/{slug}", token=fan["token"])["article"]
    assert (article["favorited"], article["favoritesCount"]) == (False, 0)
    simulator.unpin(table[1], user_key(fan))
    again = api.ok("POST", f"/articles/{slug}/favorite", token=fan["token"])["article"]
    assert (again["favorited"], again["favoritesCount"]) == (True, 1)
    assert_consistent("after a conflicted favorite and its re-send")


def test_the_jittered_retry_absorbs_a_conflict(api, table, simulator, assert_consistent):
    author, fan = api.user("cja"), api.user("cjf")
    slug = api.article(author["token"])["slug"]
    simulator.pin(table[1], user_key(fan), once=True)  # held for one transaction's time
    answer = api.post(f"/articles/{slug}/favorite", token=fan["token"])
    assert answer.status_code == 200, answer.text  # before the retries: 503
    assert simulator.fired == 1
    assert answer.json()["article"]["favoritesCount"] == 1
    assert_consistent("after a conflict absorbed by the retry")


def test_a_favorite_never_waits_on_the_articles_item(api, runtime, table, simulator, assert_consistent):
    """The article's item held (its fold, an edit) for the whole time: before, every favorite was
    cancelled with it (503 after 4 attempts); now the favorite's transaction does not include it, and
    the count folds once the item is free (the stream's fold)."""
    author, fan = api.user("cha"), api.user("chf")
    slug = api.article(author["token"])["slug"]
    simulator.pin(table[1], article_key(api, slug))
    answer = api.ok("POST", f"/articles/{slug}/favorite", token=fan["token"])["article"]
    assert (answer["favorited"], answer["favoritesCount"]) == (True, 1)  # the fan's own pending favorite
    assert api.ok("GET", f"/articles/{slug}")["article"]["favoritesCount"] == 0  # others: not folded yet
    assert_consistent("a favorite pending while the article is held")
    simulator.unpin(table[1], article_key(api, slug))
    fold_from_stream(runtime, table)
    assert api.ok("GET", f"/articles/{slug}")["article"]["favoritesCount"] == 1
    assert_consistent("after the stream's fold")


def send(session: requests.Session, base: str, method: str, path: str, token: str, **kwargs: Any) -> int:
    """A client that sends again what changed nothing or may be re-sent safely: a 503 (nothing
    written), and on a busy machine a 500 of an environment whose INIT ran out of time (the
    handler never ran; the writes here are idempotent or carry an Idempotency-Key)."""
    headers = {"Authorization": f"Token {token}", **kwargs.pop("headers", {})}
    for _ in range(8):
        response = session.request(method, f"{base}/api{path}", headers=headers, timeout=60, **kwargs)
        if response.status_code not in (500, 503):
            return response.status_code
    return response.status_code


def in_parallel(calls: list[Callable[[requests.Session], int]]) -> list[int]:
    barrier = threading.Barrier(len(calls))

    def run(call: Callable[[requests.Session], int]) -> int:
        with requests.Session() as session:
            barrier.wait(timeout=60)
            return call(session)

    with ThreadPoolExecutor(max_workers=len(calls)) as pool:
        return list(pool.map(run, calls))


def test_sharded_counters_are_exact_after_concurrent_creates_favorites_and_deletes(
    api, local_api, runtime, table, simulator, assert_consistent
):
    simulator.hold_seconds = 0.005  # every transaction holds its items a little longer, as DynamoDB's do
    base, tag = local_api.url, f"hot{threading.get_ident() % 1000}x"
    authors = [api.user("cxa") for _ in range(8)]
    fans = [api.user("cxf") for _ in range(8)]
    total_before = api.ok("GET", "/articles?limit=1")["articlesCount"]

    def create(author: dict[str, str], n: int) -> Callable[[requests.Session], int]:
        body = {"article": {"title": f"{author['username']} {n}", "description": "d", "body": "b", "tagList": [tag]}}
        key = {"Idempotency-Key": f"{author['username']}-{n}"}  # a re-sent create is made once
        return lambda s: send(s, base, "POST", "/articles", author["token"], json=body, headers=key)

    statuses = in_parallel([create(author, n) for author in authors for n in range(2)])
    assert statuses == [201] * 16
    listed = api.ok("GET", f"/articles?tag={tag}&limit=60")
    assert listed["articlesCount"] == 16
    slugs = [a["slug"] for a in listed["articles"]]
    viral = slugs[0]
    path = f"/articles/{viral}/favorite"
    favorite = [partial(send, base=base, method="POST", path=path, token=fan["token"]) for fan in fans]
    doomed = [a for a in listed["articles"][1:] if a["author"]["username"] in {u["username"] for u in authors[:4]}]
    owner = {u["username"]: u["token"] for u in authors}
    delete = [
        partial(send, base=base, method="DELETE", path=f"/articles/{a['slug']}", token=owner[a["author"]["username"]])
        for a in doomed
    ]
    statuses = in_parallel(favorite + delete)
    assert statuses[: len(fans)] == [200] * len(fans)
    # a delete whose first answer was lost to a busy machine's 500 is already done when re-sent: 404
    assert all(status in (200, 204, 404) for status in statuses[len(fans) :]), statuses
    assert all(api.get(f"/articles/{a['slug']}").status_code == 404 for a in doomed)
    kept = 16 - len(doomed)
    assert api.ok("GET", f"/articles?tag={tag}&limit=1")["articlesCount"] == kept
    assert api.ok("GET", "/articles?limit=1")["articlesCount"] == total_before + kept
    fold_from_stream(runtime, table)  # the folds the busy requests left (store/favorites.py)
    assert api.ok("GET", f"/articles/{viral}")["article"]["favoritesCount"] == len(fans)
    assert tag in api.ok("GET", "/tags")["tags"]
    assert_consistent(f"after concurrent writes ({simulator.fired} conflicts simulated and retried)")
    assert invariants.stale_tag_heads(invariants.snapshot(*table)) == []


def test_concurrent_favorites_of_one_article_do_not_conflict_and_count_exactly(
    api, local_api, runtime, table, simulator, assert_consistent
):
    """A viral article: 16 fans favorite it at once, then 8 withdraw, every transaction holding its
    items 5 ms (as DynamoDB's do). No favorite transaction shares an item with another, so none is
    cancelled: the only conflicts possible are of the folds on the article's item, which never fail a
    request. The count is exact (folded + pending, the invariant check) before and after the fold."""
    simulator.hold_seconds = 0.005
    base, author = local_api.url, api.user("cva")
    fans = [api.user("cvf") for _ in range(16)]
    slug = api.article(author["token"])["slug"]
    path = f"/articles/{slug}/favorite"

    def attempts(method: str, who: list[dict[str, str]]) -> list[int]:
        return in_parallel([partial(send, base=base, method=method, path=path, token=fan["token"]) for fan in who])

    assert attempts("POST", fans) == [200] * 16
    cancelled = [[json.loads(key)["SK"]["S"] for _, key in items] for items in simulator.cancelled]
    # the folds on the article's item may meet (they never fail a request); no favorite was cancelled
    assert not [sks for sks in cancelled if any(sk.startswith("FAVBY#") for sk in sks)], cancelled
    assert attempts("DELETE", fans[:8]) == [200] * 8
    assert_consistent(f"after concurrent favorites ({simulator.fired} fold conflicts)")
    fold_from_stream(runtime, table)
    assert api.ok("GET", f"/articles/{slug}")["article"]["favoritesCount"] == 8
    assert_consistent("after the stream's fold")
