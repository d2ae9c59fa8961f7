"""Feed: read-merge versus fan-out on write (functions/feed_fanout), measured on its own table.

Read side: the feed of a viewer following k authors (3 articles each) in both modes. Write side:
the stream consumer's work for one published article of an author with F followers (and its
replay, its removal), and for one follow (backfill of 50 articles) and unfollow. From these the
per-unit costs: RRU per followed author per read-merge read, WRU per feed entry written.
"""

from __future__ import annotations

from typing import Any

from bench import cost
from bench.harness import Harness
from bench.scenarios import Request, article_record, event_for, follow_record, stream_event

TABLE = "conduit-bench-fanout"
BACKFILLED = 50


def measure(harness: Harness, followers: tuple[int, int], followed: tuple[int, int]) -> dict[str, Any]:
    from conduit.entities.articles import Draft
    from conduit.security.tokens import issue_token
    from conduit.store import articles, follows, users
    from conduit.store.ids import iso_now, new_id

    harness.create_table(TABLE)
    harness.use_table(TABLE)
    recorder = harness.attach_recorder()
    counter = iter(range(10**9))

    def user() -> str:
        n = next(counter)
        return users.create(f"fan_{n:06d}", f"fan_{n:06d}@example.com", "$argon2id$v=19$m=19456,t=2,p=1$" + "x" * 66).id

    def publish(author: str) -> str:
        now, aid = iso_now(), new_id()
        title = f"Fan-out article {aid}"
        slug = title.lower().replace(" ", "-")
        articles.create(Draft(aid, slug, title, "d" * 60, "b" * 1200, (), author, now))
        return aid

    def run(function: str, request: Request) -> dict[str, Any]:
        recorder.model_capacity = True
        try:
            with recorder.window() as window:
                status, _ = harness.invoke(function, event_for(harness, request))
        finally:
            recorder.model_capacity = False
        summary = window.summary()
        keep = ("calls", "sequential", "items_read", "items_written", "rru", "wru")
        return {"status": status, **{key: summary[key] for key in keep}}

    def consume(*records: Any) -> dict[str, Any]:
        return run("FeedFanoutFunction", Request("FeedFanoutFunction", event=stream_event(*records)))

    try:
        write: dict[str, Any] = {}
        for count in followers:
            author = user()
            for _ in range(count):
                follows.follow(user(), author)
            aid = new_id()
            write[str(count)] = {
                "publish": consume(article_record("INSERT", author, aid)),
                "replay": consume(article_record("INSERT", author, aid)),
                "remove": consume(article_record("REMOVE", author, aid)),
            }
        author, reader = user(), user()
        for _ in range(BACKFILLED):
            publish(author)
        follows.follow(reader, author)
        social = {
            "follow (backfill 50)": consume(follow_record("INSERT", reader, author)),
            "unfollow (50 entries)": consume(follow_record("REMOVE", reader, author)),
        }
        read: dict[str, Any] = {}
        for k in followed:
            viewer = user()
            for _ in range(k):
                author = user()
                for _ in range(3):
                    publish(author)
                follows.follow(viewer, author)
                consume(follow_record("INSERT", viewer, author))
            token = issue_token(viewer)
            read[str(k)] = {
                mode: run("ArticlesFeedFunction", Request("ArticlesFeedFunction", token=token, env={"FEED_MODE": mode}))
                for mode in ("read-merge", "fan-out")
            }
    finally:
        harness.delete_table(TABLE)
    return {"write": write, "social": social, "read": read, **_per_unit(write, read, followers, followed)}


def _per_unit(write: dict[str, Any], read: dict[str, Any], followers: tuple[int, int], followed: tuple[int, int]):
    f1, f2 = followers
    k1, k2 = followed
    wru_entry = (write[str(f2)]["publish"]["wru"] - write[str(f1)]["publish"]["wru"]) / (f2 - f1)
    rru_author = (read[str(k2)]["read-merge"]["rru"] - read[str(k1)]["read-merge"]["rru"]) / (k2 - k1)
    fan_read = read[str(k2)]["fan-out"]["rru"]
    merge_fixed = read[str(k2)]["read-merge"]["rru"] - rru_author * k2
    rru_price, wru_price = cost.PRICES["dynamodb_rru_per_million"], cost.PRICES["dynamodb_wru_per_million"]
    return {
        "wru_per_entry": round(wru_entry, 3),
        "rru_per_followed_author": round(rru_author, 3),
        "fan_out_read_rru": fan_read,
        "read_merge_fixed_rru": round(merge_fixed, 3),
        # fan-out is cheaper in DynamoDB when r/p exceeds this (r feed reads per reader, p articles
        # per author, per day): r * E * rru_author * $RRU > p * E * wru_entry * $WRU
        "crossover_reads_per_article": round(wru_entry * wru_price / (rru_author * rru_price), 1)
        if rru_author > 0
        else None,
    }


def render(fan: dict[str, Any]) -> str:
    from bench.report import table

    rows = []
    for k, modes in fan["read"].items():
        for mode, m in modes.items():
            rows.append([f"GET /articles/feed, {k} followed", mode, m["calls"], m["sequential"], m["items_read"],
                         m["rru"], m["wru"]])  # fmt: skip
    for count, runs in fan["write"].items():
        for what, m in runs.items():
            rows.append([f"consumer: {what}, {count} followers", "fan-out", m["calls"], m["sequential"],
                         m["items_written"], m["rru"], m["wru"]])  # fmt: skip
    for what, m in fan["social"].items():
        rows.append(
            [f"consumer: {what}", "fan-out", m["calls"], m["sequential"], m["items_written"], m["rru"], m["wru"]]
        )
    headers = ["what", "mode", "calls", "sequential", "items read (consumer: written)", "RRU", "WRU"]
    summary = (
        f"Per unit: {fan['rru_per_followed_author']} RRU per followed author per read-merge read "
        f"(+ {fan['read_merge_fixed_rru']} RRU fixed); fan-out read {fan['fan_out_read_rru']} RRU; "
        f"{fan['wru_per_entry']} WRU per feed entry written. Fan-out is cheaper in DynamoDB when feed reads "
        f"per reader exceed {fan['crossover_reads_per_article']} x articles published per followed author."
    )
    return table(headers, rows, "Feed: read-merge vs fan-out on write") + "\n" + summary + "\n"


def main() -> None:
    """`python -m bench.fanout`: this comparison alone, at 10 and 1,000 followers (~1 min)."""
    import json

    harness = Harness()
    try:
        fan = measure(harness, followers=(10, 1_000), followed=(10, 50))
    finally:
        harness.stop()
    print(render(fan))
    print(json.dumps({k: v for k, v in fan.items() if k not in ("write", "social", "read")}))


if __name__ == "__main__":
    main()
