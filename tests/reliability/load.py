"""A bounded load test of the local API: a realistic mix for a fixed time, then a report.

    .venv/bin/python -m tests.reliability.load --seconds 60            # own in-process API + moto
    .venv/bin/python -m tests.reliability.load --url http://127.0.0.1:3000/api --seconds 60

Without --url it starts the local API in this process on a fresh embedded DynamoDB (cheap password
hashing and raised rate limits, as in the tests). With --url it only talks to a loopback address:
start that server with WRITE_QUOTA_PER_MINUTE raised, or its write quota answers 429 (counted as
errors). Setup registers a few users who publish, follow, comment and favorite; then `--workers`
threads (one user and one HTTP session each) send, until the time is up:

    60%  article reads: lists (all, by tag, by author, favorited by), single articles, the feed
    15%  profiles and tags
    10%  comments: list (7%) and post (3%)
    10%  writes: favorite/unfavorite, follow/unfollow, publish, edit and delete one's own articles
     5%  logins

It prints throughput, p50/p99 latency per kind and overall, and every error; an error is a
transport failure, any 5xx, or any answer other than the one the request must get. The exit status
is 1 when there was any error, else 0.
"""

from __future__ import annotations

import argparse
import random
import sys
import threading
import time
import uuid
from collections import Counter, defaultdict
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

import requests

LOOPBACK = {"127.0.0.1", "localhost", "::1"}
PASSWORD = "password123"


@dataclass
class Result:
    seconds: float
    workers: int
    latencies: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    statuses: Counter[int] = field(default_factory=Counter)
    errors: list[str] = field(default_factory=list)
    server_errors: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    @property
    def requests(self) -> int:
        return sum(len(values) for values in self.latencies.values())

    @property
    def throughput(self) -> float:
        return self.requests / self.seconds if self.seconds else 0.0

    def percentile(self, q: float, kind: str | None = None) -> float:
        values = sorted(self.latencies[kind] if kind else [v for vs in self.latencies.values() for v in vs])
        return values[min(len(values) - 1, int(q * len(values)))] * 1000 if values else 0.0

    def report(self) -> str:
        lines = [
            f"load: {self.seconds:.1f} s, {self.workers} workers, {self.requests} requests, "
            f"{self.throughput:.1f} req/s, p50 {self.percentile(0.5):.1f} ms, p99 {self.percentile(0.99):.1f} ms",
            f"  statuses: {dict(sorted(self.statuses.items()))}",
            f"  {'kind':<18}{'count':>7}{'p50 ms':>9}{'p99 ms':>9}",
        ]
        for kind in sorted(self.latencies, key=lambda k: -len(self.latencies[k])):
            lines.append(
                f"  {kind:<18}{len(self.latencies[kind]):>7}"
                f"{self.percentile(0.5, kind):>9.1f}{self.percentile(0.99, kind):>9.1f}"
            )
        lines.append(f"  errors: {len(self.errors)} (5xx: {self.server_errors})")
        lines += [f"    {error}" for error in self.errors[:20]]
        return "\n".join(lines)


class Worker:
    """One simulated user: its own session, token, articles and follow/favorite state."""

    def __init__(self, base: str, user: dict[str, str], world: dict[str, Any], result: Result, seed: int) -> None:
        self.base, self.user, self.world, self.result = base, user, world, result
        self.rng = random.Random(seed)
        self.session = requests.Session()
        self.mine: list[str] = []
        self.favorited: set[str] = set()
        self.following: set[str] = set()

    def send(self, kind: str, method: str, path: str, expect: tuple[int, ...], auth: bool = True, **kwargs: Any) -> Any:
        headers = {"Authorization": f"Token {self.user['token']}"} if auth else {}
        started = time.perf_counter()
        try:
            response = self.session.request(method, self.base + path, headers=headers, timeout=30, **kwargs)
        except requests.RequestException as error:
            self._record(kind, time.perf_counter() - started, 0, f"{method} {path}: {error!r}")
            return None
        elapsed = time.perf_counter() - started
        problem = None
        if response.status_code not in expect:
            problem = f"{method} {path}: {response.status_code} (expected {expect}) {response.text[:200]}"
        self._record(kind, elapsed, response.status_code, problem)
        return response.json() if response.content and problem is None else None

    def _record(self, kind: str, elapsed: float, status: int, problem: str | None) -> None:
        with self.result.lock:
            self.result.latencies[kind].append(elapsed)
            self.result.statuses[status] += 1
            if status >= 500:
                self.result.server_errors += 1
            if problem:
                self.result.errors.append(problem)

    # --- the mix -------------------------------------------------------------------------------

    def step(self) -> None:
        roll = self.rng.random() * 100
        for limit, action in MIX:
            if roll < limit:
                action(self)
                return

    def read_list(self) -> None:
        offset = self.rng.choice((0, 0, 0, 10, 20))
        self.send("list", "GET", f"/articles?limit=10&offset={offset}", (200,), auth=self.rng.random() < 0.5)

    def read_by_tag(self) -> None:
        self.send("list by tag", "GET", f"/articles?tag={self.rng.choice(TAGS)}&limit=10", (200,), auth=False)

    def read_by_author(self) -> None:
        author = self.rng.choice(self.world["authors"])
        self.send("list by author", "GET", f"/articles?author={author}&limit=10", (200,))

    def read_favorited(self) -> None:
        who = self.rng.choice(self.world["authors"])
        self.send("list favorited", "GET", f"/articles?favorited={who}&limit=10", (200,), auth=False)

    def read_article(self) -> None:
        self.send(
            "article", "GET", f"/articles/{self.rng.choice(self.world['slugs'])}", (200,), auth=self.rng.random() < 0.5
        )

    def read_feed(self) -> None:
        self.send("feed", "GET", "/articles/feed?limit=10", (200,))

    def read_profile(self) -> None:
        self.send("profile", "GET", f"/profiles/{self.rng.choice(self.world['authors'])}", (200,))

    def read_tags(self) -> None:
        self.send("tags", "GET", "/tags", (200,), auth=False)

    def read_comments(self) -> None:
        self.send("comments", "GET", f"/articles/{self.rng.choice(self.world['slugs'])}/comments", (200,))

    def post_comment(self) -> None:
        slug = self.rng.choice(self.world["slugs"])
        self.send("comment post", "POST", f"/articles/{slug}/comments", (201,), json={"comment": {"body": "load"}})

    def toggle_favorite(self) -> None:
        slug = self.rng.choice(self.world["slugs"])
        method = "DELETE" if slug in self.favorited else "POST"
        if self.send("favorite", method, f"/articles/{slug}/favorite", (200,)) is not None:
            (self.favorited.discard if method == "DELETE" else self.favorited.add)(slug)

    def toggle_follow(self) -> None:
        who = self.rng.choice([a for a in self.world["authors"] if a != self.user["username"]])
        method = "DELETE" if who in self.following else "POST"
        if self.send("follow", method, f"/profiles/{who}/follow", (200,)) is not None:
            (self.following.discard if method == "DELETE" else self.following.add)(who)

    def write_article(self) -> None:
        choice = self.rng.random()
        if self.mine and choice < 0.25:
            slug = self.mine.pop(self.rng.randrange(len(self.mine)))
            self.send("article delete", "DELETE", f"/articles/{slug}", (204,))
        elif self.mine and choice < 0.5:
            slug = self.mine.pop(self.rng.randrange(len(self.mine)))
            body = {"article": {"title": f"Edited {uuid.uuid4().hex[:8]}", "tagList": self.rng.sample(TAGS, 2)}}
            updated = self.send("article edit", "PUT", f"/articles/{slug}", (200,), json=body)
            if updated:
                self.mine.append(updated["article"]["slug"])
        else:
            body = {
                "article": {
                    "title": f"Load {uuid.uuid4().hex[:8]}",
                    "description": "d",
                    "body": "b" * 200,
                    "tagList": self.rng.sample(TAGS, 2),
                }
            }
            created = self.send("article create", "POST", "/articles", (201,), json=body)
            if created:
                self.mine.append(created["article"]["slug"])

    def login(self) -> None:
        credentials = {"user": {"email": self.user["email"], "password": PASSWORD}}
        self.send("login", "POST", "/users/login", (200,), auth=False, json=credentials)


TAGS = ["load", "python", "dynamodb", "lambda", "serverless", "testing"]
# Cumulative percentages: 60 reads of articles, 15 profiles/tags, 10 comments, 10 writes, 5 logins.
MIX: list[tuple[float, Callable[[Worker], None]]] = []
_total = 0.0
for _weight, _action in (
    (22, Worker.read_list),
    (8, Worker.read_by_tag),
    (7, Worker.read_by_author),
    (5, Worker.read_favorited),
    (14, Worker.read_article),
    (4, Worker.read_feed),
    (8, Worker.read_profile),
    (7, Worker.read_tags),
    (7, Worker.read_comments),
    (3, Worker.post_comment),
    (4, Worker.toggle_favorite),
    (2, Worker.toggle_follow),
    (4, Worker.write_article),
    (5, Worker.login),
):
    _total += _weight
    MIX.append((_total, _action))
assert _total == 100


def _register(session: requests.Session, base: str, prefix: str) -> dict[str, str]:
    name = f"{prefix}{uuid.uuid4().hex[:8]}"
    user = {"username": name, "email": f"{name}@example.com", "password": PASSWORD}
    response = session.post(f"{base}/users", json={"user": user}, timeout=30)
    response.raise_for_status()
    return {**user, "token": response.json()["user"]["token"]}


def seed(base: str, workers: int, rng: random.Random) -> tuple[list[dict[str, str]], dict[str, Any]]:
    """Users (one per worker plus a few authors), articles with tags, follows, favorites, comments."""
    session = requests.Session()
    authors = [_register(session, base, "author") for _ in range(4)]
    users = [_register(session, base, "loader") for _ in range(workers)]
    slugs = []
    for author in authors:
        auth = {"Authorization": f"Token {author['token']}"}
        for i in range(5):
            article = {
                "title": f"Seed {i} {uuid.uuid4().hex[:6]}",
                "description": "d",
                "body": "seed " * 100,
                "tagList": rng.sample(TAGS, 3),
            }
            response = session.post(f"{base}/articles", json={"article": article}, headers=auth, timeout=30)
            response.raise_for_status()
            slugs.append(response.json()["article"]["slug"])
    for user in users[:2]:
        auth = {"Authorization": f"Token {user['token']}"}
        for author in authors[:2]:
            session.post(f"{base}/profiles/{author['username']}/follow", headers=auth, timeout=30).raise_for_status()
        session.post(
            f"{base}/articles/{slugs[0]}/comments", json={"comment": {"body": "first"}}, headers=auth, timeout=30
        ).raise_for_status()
    return users, {"authors": [a["username"] for a in authors], "slugs": slugs}


def run(base: str, seconds: float, workers: int = 8, seed_value: int = 1, max_requests: int | None = None) -> Result:
    """Seed, then load `base` (…/api) for `seconds` (or until `max_requests` were sent) with `workers`
    threads; returns the measurements."""
    host = urlsplit(base).hostname or ""
    if host not in LOOPBACK:
        raise ValueError(f"refusing to load {host!r}: only loopback addresses (127.0.0.1, localhost, ::1)")
    rng = random.Random(seed_value)
    users, world = seed(base.rstrip("/"), workers, rng)
    result = Result(seconds=seconds, workers=workers)
    team = [Worker(base.rstrip("/"), user, world, result, seed_value * 1000 + i) for i, user in enumerate(users)]
    deadline = time.monotonic() + seconds
    started = time.monotonic()

    def loop(worker: Worker) -> None:
        while time.monotonic() < deadline and (max_requests is None or result.requests < max_requests):
            worker.step()

    with ThreadPoolExecutor(max_workers=workers) as pool:
        list(pool.map(loop, team))
    result.seconds = time.monotonic() - started
    return result


def _in_process_api() -> tuple[str, Callable[[], None]]:
    """Start the local API on a fresh embedded DynamoDB in this process; returns (base, stop)."""

    from localapi import template
    from localapi.runtime import Runtime
    from localapi.server import LocalApi

    environment = {
        "ARGON2_TIME_COST": "1",
        "ARGON2_MEMORY_KIB": "1024",
        "WRITE_QUOTA_PER_MINUTE": "1000000",
        "LOGIN_FAILURES_PER_MINUTE": "1000000",
        "POWERTOOLS_METRICS_DISABLED": "true",
        "LOG_LEVEL": "WARNING",  # the functions' request logs would drown the report
    }
    runtime = Runtime(template.load(), table_suffix=f"-load-{uuid.uuid4().hex[:6]}", environment=environment)
    runtime.start()
    api = LocalApi(runtime, port=0).start_in_thread()

    def stop() -> None:
        api.stop()
        runtime.stop()

    return f"{api.url}/api", stop


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tests.reliability.load", description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=float, default=60.0, help="how long to send requests (default 60)")
    parser.add_argument("--workers", type=int, default=8, help="concurrent simulated users (default 8)")
    parser.add_argument("--url", help="base URL of a running local API, e.g. http://127.0.0.1:3000/api")
    parser.add_argument("--seed", type=int, default=1, help="random seed of the mix")
    args = parser.parse_args(argv)
    if not 0 < args.seconds <= 3600 or not 0 < args.workers <= 64:
        parser.error("--seconds must be in (0, 3600] and --workers in 1..64")
    stop = None
    base = args.url
    if base is not None and (urlsplit(base).hostname or "") not in LOOPBACK:
        parser.error(f"--url must be a loopback address ({', '.join(sorted(LOOPBACK))})")
    if base is None:
        base, stop = _in_process_api()
    try:
        result = run(base, args.seconds, args.workers, args.seed)
    finally:
        if stop:
            stop()
    print(result.report())
    return 1 if result.errors or result.server_errors else 0


if __name__ == "__main__":
    sys.exit(main())
