"""Real parallel HTTP requests: uniqueness and counters hold under races."""

from __future__ import annotations

import random
import threading
from collections import Counter
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import requests

from tests.api.helpers import article_id, assert_error, partition, stored_user
from tests.conftest import unique

RETRYABLE = 503  # the API's "changed nothing, retry" answer (e.g. a transaction conflict in DynamoDB)


def in_parallel(count: int, call: Callable[[int, requests.Session], Any]) -> list[Any]:
    """Run call(i, session) for i in range(count) on `count` threads released together."""
    barrier = threading.Barrier(count)

    def run(index: int) -> Any:
        with requests.Session() as session:
            barrier.wait(timeout=30)
            return call(index, session)

    with ThreadPoolExecutor(max_workers=count) as pool:
        return list(pool.map(run, range(count)))


def send(
    session: requests.Session, base: str, method: str, path: str, token: str | None = None, **kwargs: Any
) -> requests.Response:
    """One request; a 503 (nothing written, retry) is retried a few times, as a client would."""
    headers = {"Authorization": f"Token {token}"} if token else {}
    for _ in range(5):
        response = session.request(method, f"{base}/api{path}", headers=headers, timeout=30, **kwargs)
        if response.status_code != RETRYABLE:
            return response
    return response


def test_concurrent_registrations_with_the_same_email(client):
    email = f"{unique('race')}@example.com"
    names = [unique("racer") for _ in range(8)]

    def register(index: int, session: requests.Session) -> requests.Response:
        user = {"username": names[index], "email": email, "password": f"password-{index}"}
        return send(session, client.base, "POST", "/users", json={"user": user})

    responses = in_parallel(8, register)
    statuses = Counter(r.status_code for r in responses)
    assert statuses == {201: 1, 409: 7}, [r.text for r in responses]
    for response in responses:
        if response.status_code == 409:
            assert_error(response, 409, {"email": ["has already been taken"]})
    winner = next(i for i, r in enumerate(responses) if r.status_code == 201)
    # exactly the winner can log in with the email; the losers' usernames were not reserved
    logged = client.post("/users/login", json={"user": {"email": email, "password": f"password-{winner}"}})
    assert logged.status_code == 200
    assert logged.json()["user"]["username"] == names[winner]
    for index in range(8):
        if index != winner:
            wrong = client.post("/users/login", json={"user": {"email": email, "password": f"password-{index}"}})
            assert_error(wrong, 401, {"credentials": ["invalid"]})
            assert client.get(f"/profiles/{names[index]}").status_code == 404


def test_concurrent_registrations_with_the_same_username(client):
    name = unique("samename")

    def register(index: int, session: requests.Session) -> requests.Response:
        user = {"username": name, "email": f"{name}-{index}@example.com", "password": "password123"}
        return send(session, client.base, "POST", "/users", json={"user": user})

    responses = in_parallel(8, register)
    assert Counter(r.status_code for r in responses) == {201: 1, 409: 7}
    for response in responses:
        if response.status_code == 409:
            assert_error(response, 409, {"username": ["has already been taken"]})
    winner = next(i for i, r in enumerate(responses) if r.status_code == 201)
    for index in range(8):
        logged = client.post(
            "/users/login", json={"user": {"email": f"{name}-{index}@example.com", "password": "password123"}}
        )
        assert logged.status_code == (200 if index == winner else 401)


def test_concurrent_favorites_by_many_users_count_exactly(client, make_user, make_article, runtime):
    """Each fan's answer shows the folded count plus their own pending favorite; others' show once folded
    (store.favorites): by the request itself on a quiet article, else - more than QUIET_PENDING markers
    waiting, or its fold cancelled by another's - by FavoritesFoldFunction on the stream, delivered here by
    drain_streams. An answer's batch read may see a fold half (docs/scale.md#favorites-the-fold): its own
    favorite counted twice or not at all, so an answer is within one of a count the article had."""
    author = make_user("hot")
    article = make_article(author["token"])
    fans = [make_user("fan") for _ in range(10)]

    def favorite(index: int, session: requests.Session) -> requests.Response:
        return send(session, client.base, "POST", f"/articles/{article['slug']}/favorite", fans[index]["token"])

    responses = in_parallel(10, favorite)
    assert all(r.status_code == 200 for r in responses), [r.text for r in responses]
    assert all(r.json()["article"]["favorited"] is True for r in responses)
    assert all(0 <= r.json()["article"]["favoritesCount"] <= 11 for r in responses), [r.text for r in responses]
    runtime.drain_streams()  # the folds left to the stream
    assert client.get(f"/articles/{article['slug']}").json()["article"]["favoritesCount"] == 10
    listed = client.get("/articles", params={"author": author["username"]}).json()["articles"][0]
    assert listed["favoritesCount"] == 10
    for fan in fans:
        seen = client.get(f"/articles/{article['slug']}", token=fan["token"]).json()["article"]
        assert (seen["favorited"], seen["favoritesCount"]) == (True, 10)


def test_concurrent_favorite_storm_by_one_user_ends_consistent(client, make_user, make_article, runtime):
    author, fan = make_user("storm"), make_user("stormer")
    article = make_article(author["token"])
    plan = ["POST", "DELETE"] * 6
    random.Random(7).shuffle(plan)

    def toggle(index: int, session: requests.Session) -> requests.Response:
        return send(session, client.base, plan[index], f"/articles/{article['slug']}/favorite", fan["token"])

    for _ in range(2):
        responses = in_parallel(len(plan), toggle)
        assert all(r.status_code == 200 for r in responses), [r.text for r in responses]
        # each answer: 0 or 1, or one off while a fold lands between its batch read's two items (its own
        # marker and the article: docs/scale.md#favorites-the-fold); the stored state below is exact
        assert all(r.json()["article"]["favoritesCount"] in (0, 1, 2) for r in responses)
        seen = client.get(f"/articles/{article['slug']}", token=fan["token"]).json()["article"]
        assert seen["favoritesCount"] == (1 if seen["favorited"] else 0)
        edges = [
            i
            for i in partition(runtime, f"ARTICLE#{article_id(runtime, article['slug'])}")
            if i["SK"].startswith("FAVBY#")
        ]
        assert len(edges) == seen["favoritesCount"]
        assert stored_user(runtime, fan["token"]).get("favoritesCount", 0) == seen["favoritesCount"]
        favorited = client.get("/articles", params={"favorited": fan["username"]}).json()
        assert favorited["articlesCount"] == seen["favoritesCount"] == len(favorited["articles"])


def test_concurrent_follow_storm_ends_consistent(client, make_user, runtime):
    fan, star = make_user("fstorm"), make_user("fstar")
    plan = ["POST", "DELETE"] * 6
    random.Random(11).shuffle(plan)

    def toggle(index: int, session: requests.Session) -> requests.Response:
        return send(session, client.base, plan[index], f"/profiles/{star['username']}/follow", fan["token"])

    responses = in_parallel(len(plan), toggle)
    assert all(r.status_code == 200 for r in responses), [r.text for r in responses]
    following = client.get(f"/profiles/{star['username']}", token=fan["token"]).json()["profile"]["following"]
    assert stored_user(runtime, fan["token"]).get("followingCount", 0) == (1 if following else 0)


def test_concurrent_comments_get_distinct_ids(client, make_user, make_article):
    author = make_user("busy")
    article = make_article(author["token"])
    commenters = [make_user("talker") for _ in range(8)]

    def post_comment(index: int, session: requests.Session) -> requests.Response:
        return send(
            session,
            client.base,
            "POST",
            f"/articles/{article['slug']}/comments",
            commenters[index]["token"],
            json={"comment": {"body": f"comment {index}"}},
        )

    responses = in_parallel(8, post_comment)
    assert all(r.status_code == 201 for r in responses), [r.text for r in responses]
    ids = [r.json()["comment"]["id"] for r in responses]
    assert len(set(ids)) == 8
    listed = client.get(f"/articles/{article['slug']}/comments").json()["comments"]
    assert sorted(c["id"] for c in listed) == sorted(ids)
    assert [c["id"] for c in listed] == sorted(ids)  # oldest first


def test_concurrent_same_title_articles_get_distinct_slugs(client, make_user):
    author = make_user("sametitle")
    title = unique("Racing Title ")

    def publish(index: int, session: requests.Session) -> requests.Response:
        article = {"title": title, "description": "d", "body": f"body {index}"}
        return send(session, client.base, "POST", "/articles", author["token"], json={"article": article})

    responses = in_parallel(6, publish)
    assert all(r.status_code == 201 for r in responses), [r.text for r in responses]
    slugs = {r.json()["article"]["slug"] for r in responses}
    assert len(slugs) == 6
    listed = client.get("/articles", params={"author": author["username"]}).json()
    assert listed["articlesCount"] == 6
    assert {a["slug"] for a in listed["articles"]} == slugs
