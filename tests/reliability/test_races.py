"""Races with real concurrency against the local API (threads, one HTTP session each).

The local API serves each request on its own thread and the embedded DynamoDB applies calls one at
a time, atomically, as DynamoDB does: so requests interleave between their DynamoDB calls, which
is where the races are. Each test starts its requests together (a barrier), checks every answer,
then runs the whole-table invariant check.
"""

from __future__ import annotations

import random
import threading
from collections import Counter
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import requests

from conduit.services.slugs import slugify
from conduit.store import articles, favorites
from tests.reliability.apiclient import Api, unique

WORKERS = 16
Call = Callable[[], requests.Response]


def together(calls: list[Call], workers: int = WORKERS) -> list[requests.Response]:
    """Run the calls on `workers` threads; the first `workers` start at the same instant."""
    barrier = threading.Barrier(min(workers, len(calls)))

    def run(index: int) -> requests.Response:
        if index < barrier.parties:
            barrier.wait(timeout=10)
        return calls[index]()

    with ThreadPoolExecutor(max_workers=workers) as pool:
        return list(pool.map(run, range(len(calls))))


def assert_clean_error(response: requests.Response, *statuses: int) -> None:
    assert response.status_code in statuses, f"{response.status_code} {response.text}"
    body = response.json()
    assert list(body) == ["errors"] and body["errors"], body
    if response.status_code == 503:
        assert response.headers.get("retry-after", "").isdigit()


def statuses(responses: list[requests.Response]) -> Counter[int]:
    return Counter(r.status_code for r in responses)


# --- registration --------------------------------------------------------------------------------


def test_simultaneous_registrations_with_one_username_let_exactly_one_win(api, assert_consistent):
    name = unique("Same")
    variants = [name, name.lower(), name.upper(), name.swapcase()]
    users = [
        {"username": variants[i % 4], "email": f"{unique('e')}@example.com", "password": "password123"}
        for i in range(WORKERS)
    ]
    answers = together([lambda u=u: api.post("/users", json={"user": u}) for u in users])
    assert statuses(answers) == {201: 1, 409: WORKERS - 1}, statuses(answers)
    for answer in answers:
        if answer.status_code == 409:
            assert answer.json() == {"errors": {"username": ["has already been taken"]}}
    assert_consistent("after the username race")


def test_simultaneous_registrations_with_one_email_let_exactly_one_win(api, assert_consistent):
    email = f"{unique('Mail')}@Example.com"
    variants = [email, email.lower(), email.upper()]
    users = [{"username": unique("em"), "email": variants[i % 3], "password": "password123"} for i in range(WORKERS)]
    answers = together([lambda u=u: api.post("/users", json={"user": u}) for u in users])
    assert statuses(answers) == {201: 1, 409: WORKERS - 1}, statuses(answers)
    for answer in answers:
        if answer.status_code == 409:
            assert answer.json() == {"errors": {"email": ["has already been taken"]}}
    assert_consistent("after the email race")


# --- favorites -----------------------------------------------------------------------------------


def test_favorite_storm_by_many_users_keeps_the_count_equal_to_the_edges(api, table, assert_consistent):
    author = api.user("fa")
    slug = api.article(author["token"])["slug"]
    fans = [api.user("fan") for _ in range(12)]
    rng = random.Random(7)
    calls: list[Call] = []
    for fan in fans:
        for _ in range(6):
            method = rng.choice(("POST", "DELETE"))
            calls.append(lambda f=fan, m=method: api.call(m, f"/articles/{slug}/favorite", token=f["token"]))
    rng.shuffle(calls)
    answers = together(calls)
    assert statuses(answers) == {200: len(calls)}, statuses(answers)
    assert_consistent("with the storm's favorites folded or pending")
    # a busy article's favorites reach other readers once the stream's fold (FavoritesFoldFunction) has
    # run (docs/scale.md): fold what it has not folded yet, as its consumer does
    favorites.fold(articles.find_by_slug(slug).article_id)
    seen = [api.ok("GET", f"/articles/{slug}", token=fan["token"])["article"] for fan in fans]
    favorited = sum(article["favorited"] for article in seen)
    assert {article["favoritesCount"] for article in seen} == {favorited}
    assert_consistent("after the favorite storm")


def test_favorite_storm_by_one_user_counts_at_most_once(api, assert_consistent):
    author, fan = api.user("fa"), api.user("fan")
    slugs = [api.article(author["token"])["slug"] for _ in range(2)]
    calls: list[Call] = [
        lambda i=i: api.call("POST" if i % 3 else "DELETE", f"/articles/{slugs[i % 2]}/favorite", token=fan["token"])
        for i in range(40)
    ]
    answers = together(calls)
    assert statuses(answers) == {200: len(calls)}, statuses(answers)
    for slug in slugs:
        article = api.ok("GET", f"/articles/{slug}", token=fan["token"])["article"]
        assert article["favoritesCount"] == int(article["favorited"])
    assert_consistent("after one user's favorite storm")


# --- article edits -------------------------------------------------------------------------------


def test_simultaneous_title_edits_leave_one_slug_and_no_orphan_marker(api, assert_consistent):
    author = api.user("ed")
    original = api.article(author["token"], title=unique("Original "), tags=["race"])
    titles = [unique(f"Edit {i} ") for i in range(WORKERS)]
    answers = together(
        [
            lambda t=t: api.put(f"/articles/{original['slug']}", token=author["token"], json={"article": {"title": t}})
            for t in titles
        ]
    )
    winners = [a.json()["article"] for a in answers if a.status_code == 200]
    assert winners, statuses(answers)
    for answer in answers:
        if answer.status_code != 200:
            # 503: lost the optimistic-concurrency race (retry); 404: its URL's slug was already renamed
            assert_clean_error(answer, 503, 409, 404)
    mine = api.ok("GET", f"/articles?author={author['username']}")["articles"]
    assert len(mine) == 1
    final = mine[0]
    assert final["title"] in {w["title"] for w in winners}
    assert api.ok("GET", f"/articles/{final['slug']}")["article"]["title"] == final["title"]
    for old in {original["slug"], *(w["slug"] for w in winners), *(slugify(t) for t in titles)} - {final["slug"]}:
        assert api.get(f"/articles/{old}").status_code == 404, old
    assert_consistent("after the title race")


def test_simultaneous_comments_get_unique_ids(api, assert_consistent):
    author, reader = api.user("ca"), api.user("cr")
    slug = api.article(author["token"])["slug"]
    answers = together(
        [
            lambda i=i: api.post(
                f"/articles/{slug}/comments", token=reader["token"], json={"comment": {"body": f"c{i}"}}
            )
            for i in range(24)
        ]
    )
    assert statuses(answers) == {201: 24}
    ids = [a.json()["comment"]["id"] for a in answers]
    assert len(set(ids)) == 24
    listed = api.ok("GET", f"/articles/{slug}/comments?limit=25")["comments"]  # one page holds them all
    assert sorted(c["id"] for c in listed) == sorted(ids)
    assert_consistent("after the comment race")


# --- delete while others write -------------------------------------------------------------------


def _comment_call(api: Api, slug: str, user: dict[str, Any]) -> Call:
    return lambda: api.post(f"/articles/{slug}/comments", token=user["token"], json={"comment": {"body": "racing"}})


def _favorite_call(api: Api, slug: str, user: dict[str, Any], method: str) -> Call:
    return lambda: api.call(method, f"/articles/{slug}/favorite", token=user["token"])


def _delete_call(api: Api, slug: str, user: dict[str, Any]) -> Call:
    return lambda: api.delete(f"/articles/{slug}", token=user["token"])


def test_deleting_an_article_while_others_comment_and_favorite_leaves_no_orphans(api, assert_consistent):
    author = api.user("da")
    crowd = [api.user("dc") for _ in range(8)]
    for round_ in range(3):
        slug = api.article(author["token"], tags=["doomed", unique("t")])["slug"]
        for fan in crowd[:3]:  # some children exist before the delete starts
            api.comment(fan["token"], slug)
            api.ok("POST", f"/articles/{slug}/favorite", token=fan["token"])
        calls: list[Call] = []
        for i, fan in enumerate(crowd):
            calls.append(_comment_call(api, slug, fan))
            calls.append(_favorite_call(api, slug, fan, "POST" if i % 2 else "DELETE"))
        position = 4 + 5 * round_  # the delete starts early, midway or late in the crowd
        calls.insert(position, _delete_call(api, slug, author))
        answers = together(calls)
        assert answers[position].status_code == 204, answers[position].text
        for answer in answers[:position] + answers[position + 1 :]:
            if answer.status_code >= 400:
                assert_clean_error(answer, 404)
            else:
                assert answer.status_code in (200, 201), answer.text
        assert api.get(f"/articles/{slug}").status_code == 404
        assert api.get(f"/articles/{slug}/comments").status_code == 404
        for fan in crowd:
            favorited = api.ok("GET", f"/articles?favorited={fan['username']}")["articles"]
            assert slug not in {a["slug"] for a in favorited}
        assert_consistent(f"after delete race round {round_}")


# --- follows -------------------------------------------------------------------------------------


def test_follow_storm_keeps_following_counts_equal_to_the_edges(api, assert_consistent):
    followees = [api.user("fe") for _ in range(3)]
    for followee in followees:
        api.article(followee["token"])
    followers = [api.user("fo") for _ in range(8)]
    rng = random.Random(11)
    calls: list[Call] = []
    for follower in followers:
        for _ in range(8):
            target = rng.choice(followees)["username"]
            method = rng.choice(("POST", "DELETE"))
            calls.append(lambda f=follower, t=target, m=method: api.call(m, f"/profiles/{t}/follow", token=f["token"]))
    rng.shuffle(calls)
    answers = together(calls)
    assert statuses(answers) == {200: len(calls)}, statuses(answers)
    for follower in followers:  # the profile flag (edge GetItem) agrees with the feed (edge Query)
        token = follower["token"]
        flagged = {
            f["username"]
            for f in followees
            if api.ok("GET", f"/profiles/{f['username']}", token=token)["profile"]["following"]
        }
        feed = api.ok("GET", "/articles/feed", token=token)
        assert {a["author"]["username"] for a in feed["articles"]} == flagged
        assert feed["articlesCount"] == len(flagged)
    assert_consistent("after the follow storm")


# --- username swaps ------------------------------------------------------------------------------


def _me(api: Api, user: dict[str, Any]) -> str:
    return api.ok("GET", "/user", token=user["token"])["user"]["username"]


def test_simultaneous_username_swaps_never_leave_two_users_with_one_name(api, assert_consistent):
    a, b = api.user("sa"), api.user("sb")
    outcomes: Counter[int] = Counter()
    for round_ in range(6):
        name_a, name_b = _me(api, a), _me(api, b)
        spare_a, spare_b = unique("spa"), unique("spb")

        def rename(user: dict[str, Any], name: str) -> Call:
            return lambda: api.put("/user", token=user["token"], json={"user": {"username": name}})

        calls = [rename(a, name_b), rename(b, name_a)] * 3
        if round_ % 2:  # let one of them move away, so the other's swap can sometimes win
            calls += [rename(b, spare_b), rename(a, spare_a)]
        answers = together(calls)
        for answer in answers:
            outcomes[answer.status_code] += 1
            if answer.status_code != 200:
                assert_clean_error(answer, 409, 503)
        now_a, now_b = _me(api, a), _me(api, b)
        assert now_a.lower() != now_b.lower()
        for user, name in ((a, now_a), (b, now_b)):
            assert api.ok("GET", f"/profiles/{name}", token=user["token"])["profile"]["username"] == name
        assert_consistent(f"after swap round {round_}")
    assert outcomes[409] > 0, outcomes
