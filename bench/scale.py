"""Capacity model: the load on every shared key and index partition at N requests/s, and the largest N.

`python -m bench.scale [RESULTS]` (also a section of `python -m bench`): from the measured work per
request in bench/results.json (request units, sequential trips, modelled duration, cost), for three
traffic mixes and two layouts (BEFORE: one counter item, one tag counter, one TagsByCount partition;
AFTER: the sharded layout of conduit.store.shards), it computes per shared key and index partition
the read and write units per second and, for items written inside transactions, the conflict
probability (transactions per second on the item x the transaction's duration); then Lambda
concurrency (N x mean duration), DynamoDB units and cost per hour; and the largest N before any
limit, naming the limit.

Keys private to one user, one article of ordinary popularity or one request (markers, edges,
quota windows, a user's own item) are spread over the key space and never come near a per-key limit;
the model follows only what many requests share. The published limits it applies:

* one item, and one partition of the table or of an index: 1,000 write units/s, 3,000 read units/s
  (adaptive capacity isolates a hot item, it does not lift these; an index partition whose sort key
  only grows - ids, counts - does not split for heat);
* two transactions in flight on the same item: one is cancelled (TransactionConflict). Above 1% of
  attempts we call the item a limit: retries absorb it, but each retry is a full round trip;
* account defaults (each can be raised by a quota request): 1,000 concurrent Lambda executions,
  10,000 requests/s for API Gateway (all HTTP APIs of the account in the region), 40,000 read and
  40,000 write request units/s for one on-demand table.
"""

from __future__ import annotations

import argparse
import json
import math
import sys
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path
from typing import Any

RESULTS = Path(__file__).resolve().parent / "results.json"

ITEM_WCU, ITEM_RCU = 1000.0, 3000.0
CONFLICT_LIMIT = 0.01
ACCOUNT = {"lambda_concurrency": 1000, "api_rps": 10_000, "table_rru": 40_000, "table_wru": 40_000}
TX_HOLD_MS = 8.0  # an item is held from the transaction's prepare to its commit: about 2 round trips of 4 ms
# CloudFront (optional distribution, template parameter EnableCdn): list prices, us-east-1/North America
CDN_PRICES = {"requests_per_million": 1.00, "gb_out": 0.085, "origin_gb": 0.0}


@dataclass(frozen=True)
class Layout:
    """How the shared counters and index partitions are laid out (conduit.store.shards)."""

    name: str
    counter_shards: int  # COUNTER/ARTICLES#nnn, summed by one Query
    tag_shards: int  # TAG#<t>/META#nnn, summed by one Query
    tag_partitions: int  # TagsByCount partitions TAGS, TAGS#1.. (by tag), merged on read
    tag_head_in_transaction: bool  # the indexed tag item is written inside the article's transaction
    favorites_folded: bool = False  # favorites write pending markers, folded into the article (store.favorites)


BEFORE = Layout("before", counter_shards=1, tag_shards=1, tag_partitions=1, tag_head_in_transaction=True)


def after_layout(favorites_folded: bool = True) -> Layout:
    """The sharded layout; with `favorites_folded=False`, as it was before the favorites' fold ("sharded")."""
    from conduit.store import shards

    return Layout(
        "after" if favorites_folded else "sharded",
        counter_shards=shards.ARTICLE_COUNTER_SHARDS,
        tag_shards=shards.TAG_COUNTER_SHARDS,
        tag_partitions=shards.TAG_PARTITIONS,
        tag_head_in_transaction=False,
        favorites_folded=favorites_folded,
    )


# The favorites' fold (store/favorites.py, functions/favorites_fold): one stream consumer per article
# (one stream shard holds an item collection's records, one batch in flight per shard) folds up to
# FOLD_BATCH markers per transaction; a batch takes a consistent Query and a transaction, plus the
# invocation: FOLD_BATCH_MS.
FOLD_BATCH = 99
FOLD_BATCH_MS = 20.0
MARKER_BYTES = 80  # ARTICLE#<aid> / FAVPENDING#<uid>, delta


@dataclass(frozen=True)
class Workload:
    """What the measured requests do not say: how traffic concentrates on shared things."""

    tags_per_article: float = 3.0
    hot_tag_share: float = 0.2  # of new articles carrying the most used tag
    hot_tag_list_share: float = 0.5  # of ?tag= lists asking for it
    hot_article_share: float = 0.01  # of single-article traffic (reads, favorites) on the most popular one
    article_read_units: float = 0.5  # one eventually consistent read of an article item (<= 4 KB)
    article_write_units: float = 2.0  # one write of an article item (1-2 KB)
    tags_cache_seconds: float = 10.0  # GET /tags is cached per container
    response_kb: float = 6.0  # mean response size, for CloudFront's transfer price
    cdn_hit_ratio: float = 0.0  # share of anonymous GETs CloudFront answers (0: no distribution)


@dataclass
class Mix:
    name: str
    weights: dict[str, float]  # endpoint scenario -> percent of requests
    viral: dict[str, float] = field(default_factory=dict)  # scenario -> percent aimed at one article
    headline: tuple[str, float] | None = None  # (what, requests/s that counts as one of it per N)


SINGLE_ARTICLE = ("GET /articles/{slug}", "POST /articles/{slug}/favorite", "DELETE /articles/{slug}/favorite")
CREATE, DELETE = "POST /articles", "DELETE /articles/{slug}"


def mixes(default: dict[str, float]) -> list[Mix]:
    total = sum(default.values())
    base = {name: weight * 100 / total for name, weight in default.items()}

    def scaled(share: float) -> dict[str, float]:
        return {name: weight * share for name, weight in base.items()}

    viral = scaled(0.5)
    publishing = scaled(0.8)
    publishing[CREATE] = publishing.get(CREATE, 0.0) + 20.0
    return [
        Mix("default", base),
        Mix(
            "viral article",
            viral,
            viral={"GET /articles/{slug}": 25.0, "POST /articles/{slug}/favorite": 25.0},
            headline=("favorites/s on one article", 0.25),
        ),
        Mix("publishing burst", publishing, headline=("creates/s", publishing[CREATE] / 100)),
    ]


@dataclass
class Load:
    rcu: float = 0.0  # per request/s of N
    wcu: float = 0.0
    tx: float = 0.0  # transactions per second on one item, per request/s of N
    kind: str = "item"  # item | partition | collection (an item collection that splits for heat)
    folds: float = 0.0  # favorites/s one fold consumer folds (transactions it holds the item: folds/FOLD_BATCH)

    def add(self, rcu: float = 0.0, wcu: float = 0.0, tx: float = 0.0, folds: float = 0.0) -> None:
        self.rcu += rcu
        self.wcu += wcu
        self.tx += tx
        self.folds += folds


def shared_loads(mix: Mix, layout: Layout, w: Workload, rate: dict[str, float]) -> dict[str, Load]:
    """Load per unit of N on the hottest instance of every shared key / index partition."""
    loads: dict[str, Load] = {}

    def at(name: str, kind: str = "item") -> Load:
        return loads.setdefault(name, Load(kind=kind))

    def share(name: str) -> float:
        return mix.weights.get(name, 0.0) / 100

    writes = share(CREATE) + share(DELETE)  # each moves every counter of the article once
    # the article counter: written in the create/delete transaction (2 units: prepare + commit)
    counter = at(f"COUNTER/ARTICLES{'#nnn' if layout.counter_shards > 1 else ''}")
    counter.add(wcu=2 * writes / layout.counter_shards, tx=writes / layout.counter_shards)
    # ... read by the global list (one GetItem before; one Query of the shards' partition after)
    shards_read_units = max(0.5, math.ceil(layout.counter_shards * 40 / 4096) / 2)
    at("partition COUNTER", "partition").add(rcu=share("GET /articles") * shards_read_units, wcu=2 * writes)
    # the hottest tag's counter: its share of creates/deletes, read by the ?tag= lists of that tag
    hot = writes * w.hot_tag_share
    tag_reads = share("GET /articles?tag=") * w.hot_tag_list_share
    meta = at(f"TAG#<hot>/META{'#nnn' if layout.tag_shards > 1 else ''}")
    meta.add(wcu=2 * hot / layout.tag_shards, tx=hot / layout.tag_shards)
    tag_units = max(0.5, math.ceil(layout.tag_shards * 60 / 4096) / 2)
    at("partition TAG#<hot> (tagged items + counters)", "partition").add(
        rcu=tag_reads * (0.5 + (tag_units if layout.tag_shards > 1 else 0)), wcu=2 * hot * 2
    )
    if not layout.tag_head_in_transaction:  # the indexed head, refreshed after the commit (store.counters)
        at("TAG#<hot>/HEAD (tag list entry)").add(wcu=hot)
        at("partition TAG#<hot> (tagged items + counters)", "partition").add(rcu=hot * 1.0)  # consistent Query
    # TagsByCount: every tag count change moves the tag's index entry (sort key = count): delete + put
    tag_changes = writes * w.tags_per_article
    index_writes = 2 * tag_changes / layout.tag_partitions
    if layout.tag_partitions > 1:  # partitions by tag: the hottest tag's partition takes its own writes too
        index_writes = max(index_writes, 2 * hot)
    tags_rate = share("GET /tags")
    tags_queries = min(tags_rate, tags_rate * rate.get("GET /tags", 0.01) / w.tags_cache_seconds)
    at(f"index TagsByCount {'TAGS#n' if layout.tag_partitions > 1 else 'TAGS'}", "partition").add(
        rcu=tags_queries * 1.0, wcu=index_writes
    )
    # ByKind ARTICLES: one index entry per create/delete; every global list reads it
    at("index ByKind ARTICLES", "partition").add(rcu=share("GET /articles") * 0.5, wcu=writes)
    at("index ByKind USERS", "partition").add(wcu=share("POST /users"))
    # the most popular article: its item, its slug marker, its favorite transactions
    single = {name: share(name) for name in SINGLE_ARTICLE}
    hot_single = {name: value * w.hot_article_share for name, value in single.items()}
    for name, percent in mix.viral.items():
        hot_single[name] = hot_single.get(name, 0.0) + percent / 100
    favorites = hot_single.get("POST /articles/{slug}/favorite", 0.0) + hot_single.get(
        "DELETE /articles/{slug}/favorite", 0.0
    )
    reads = hot_single.get("GET /articles/{slug}", 0.0)
    article = at("ARTICLE#<hot>/ARTICLE")
    article_reads = (reads + favorites) * w.article_read_units * (1 - w.cdn_hit_ratio * 0.5)
    if not layout.favorites_folded:  # every favorite's transaction updates the article's item
        article.add(rcu=article_reads, wcu=favorites * 2 * w.article_write_units, tx=favorites)
        at("partition ARTICLE#<hot> (favorite edges)", "partition").add(wcu=favorites * 2)
    else:
        # no request's transaction includes the item; the fold's do, one per FOLD_BATCH favorites, one
        # consumer at a time (they never meet each other): the limit is that consumer's throughput
        article.add(rcu=article_reads, wcu=favorites / FOLD_BATCH * 2 * w.article_write_units, folds=favorites)
        # the item collection: each favorite puts its edge and moves its marker (2 + 2 units, in its
        # transaction), the fold deletes the marker (2) after a consistent Query of the pending ones
        at("collection ARTICLE#<hot> (edges, pending markers)", "collection").add(
            wcu=favorites * 6, rcu=favorites / FOLD_BATCH * math.ceil(FOLD_BATCH * MARKER_BYTES / 4096)
        )
    at("SLUG#<hot> (marker)").add(rcu=(sum(hot_single.values())) * 0.5 * (1 - w.cdn_hit_ratio * 0.5))
    return loads


def _rates(endpoints: dict[str, Any]) -> dict[str, float]:
    """Mean duration (s) per scenario, from the measured latency model."""
    out = {}
    for name, row in endpoints.items():
        latency = row.get("latency") or {}
        out[name] = latency.get("modelled_duration_ms", 20.0) / 1000
    return out


def evaluate(
    mix: Mix, layout: Layout, endpoints: dict[str, Any], w: Workload, tx_hold_ms: float = TX_HOLD_MS
) -> dict[str, Any]:
    durations = _rates(endpoints)
    weights = {name: p for name, p in mix.weights.items() if name in endpoints}
    total = sum(weights.values()) or 1.0
    for name in mix.viral:
        weights[name] = weights.get(name, 0.0) + mix.viral[name]
    total = sum(weights.values())
    frac = {name: p / total for name, p in weights.items()}
    big = max(endpoints[next(iter(frac))]["db"], key=int)
    rru = sum(f * endpoints[n]["db"][big]["rru"] for n, f in frac.items())
    wru = sum(f * endpoints[n]["db"][big]["wru"] for n, f in frac.items())
    duration = sum(f * durations[n] for n, f in frac.items())
    merged = Mix(mix.name, {n: f * 100 for n, f in frac.items()}, {}, mix.headline)
    # the viral part is in the weights now; shared_loads needs to know which share is the one article
    merged.viral = {n: mix.viral[n] / total * 100 for n in mix.viral}
    for name in mix.viral:
        merged.weights[name] -= merged.viral[name]
    anonymous_gets = sum(f for n, f in frac.items() if endpoints[n]["method"] == "GET") * 0.5
    origin = 1 - w.cdn_hit_ratio * anonymous_gets
    loads = shared_loads(merged, layout, w, durations)
    limits: list[dict[str, Any]] = []
    keys_out = {}
    for name, load in loads.items():
        row: dict[str, Any] = {"kind": load.kind, "rcu_per_1k": round(load.rcu * 1000, 2)}
        row["wcu_per_1k"] = round(load.wcu * 1000, 2)
        candidates = []
        if load.wcu:
            candidates.append((ITEM_WCU / load.wcu, "write units"))
        if load.rcu:
            candidates.append((ITEM_RCU / load.rcu, "read units"))
        if load.tx:
            row["tx_per_1k"] = round(load.tx * 1000, 3)
            candidates.append((CONFLICT_LIMIT / (load.tx * tx_hold_ms / 1000), "transaction conflicts 1%"))
        if load.kind == "collection":  # its sort keys (user ids) are not monotonic: it splits for heat
            row["splits_for_heat_per_1k"] = round(max(load.wcu / ITEM_WCU, load.rcu / ITEM_RCU) * 1000, 3)
            candidates = []
        if load.folds:
            row["fold_tx_per_1k"] = round(load.folds / FOLD_BATCH * 1000, 3)
            candidates.append((FOLD_BATCH / (FOLD_BATCH_MS / 1000) / load.folds, "fold throughput (one consumer)"))
        n_max, why = min(candidates) if candidates else (math.inf, "")
        row["n_max"] = round(n_max) if n_max != math.inf else None
        row["limit"] = why
        keys_out[name] = row
        if candidates:
            limits.append({"n": n_max, "limit": f"{name}: {why}"})
    design = min(limits, key=lambda x: x["n"])
    account = [
        {"n": ACCOUNT["lambda_concurrency"] / (duration * origin), "limit": "Lambda concurrency (account 1,000)"},
        {"n": ACCOUNT["api_rps"] / origin, "limit": "API Gateway requests/s (account 10,000)"},
        {"n": ACCOUNT["table_rru"] / (rru * origin), "limit": "table read units/s (on-demand 40,000)"},
        {"n": ACCOUNT["table_wru"] / wru, "limit": "table write units/s (on-demand 40,000)"},
    ]
    first_account = min(account, key=lambda x: x["n"])
    n = design["n"]
    out: dict[str, Any] = {
        "layout": layout.name,
        "mix": mix.name,
        "n_max": round(n),
        "limit": design["limit"],
        "n_max_default_account": round(min(n, first_account["n"])),
        "account_limit": first_account["limit"] if first_account["n"] < n else None,
        "mean_duration_ms": round(duration * 1000, 1),
        "rru_per_request": round(rru, 2),
        "wru_per_request": round(wru, 2),
        "keys": keys_out,
    }
    if mix.headline:
        out["headline"] = {"what": mix.headline[0], "at_n_max": round(n * mix.headline[1])}
    at_n = {
        "lambda_concurrency": round(n * duration * origin),
        "table_rru_per_s": round(n * rru * origin),
        "table_wru_per_s": round(n * wru),
        "conflict_probability": {
            name: round(load.tx * n * tx_hold_ms / 1000, 4) for name, load in loads.items() if load.tx
        },
    }
    folding = {name: load for name, load in loads.items() if load.folds}
    if folding:  # the share of time a fold holds the item: what an edit or a comment on it would meet
        at_n["fold_duty"] = {
            name: round(load.folds / FOLD_BATCH * n * tx_hold_ms / 1000, 4) for name, load in folding.items()
        }
        at_n["pending_markers_read_per_fold"] = FOLD_BATCH
    collections = {name: load for name, load in loads.items() if load.kind == "collection"}
    if collections:
        at_n["splits_for_heat"] = {
            name: math.ceil(max(load.wcu / ITEM_WCU, load.rcu / ITEM_RCU) * n) for name, load in collections.items()
        }
    out["at_n_max"] = at_n
    out["cost_per_hour_at_n_max"] = round(_cost_per_million(endpoints, frac, w, origin) * n * 3600 / 1e6, 2)
    return out


def _cost_per_million(endpoints: dict[str, Any], frac: dict[str, float], w: Workload, origin: float) -> float:
    origin_cost = sum(f * endpoints[n].get("cost", {}).get("total", 0.0) for n, f in frac.items())
    cdn = 0.0
    if w.cdn_hit_ratio:
        cdn = CDN_PRICES["requests_per_million"] + w.response_kb / 1024 / 1024 * 1e6 * CDN_PRICES["gb_out"]
    return origin_cost * origin + cdn


def model(results: dict[str, Any], workload: Workload | None = None) -> dict[str, Any]:
    w = workload or Workload()
    endpoints = results["endpoints"]
    default = {n: p for n, p in results["mix"]["weights_percent"].items() if n in endpoints}
    rows = []
    for layout in (BEFORE, after_layout(favorites_folded=False), after_layout()):
        for mix in mixes(default):
            rows.append(evaluate(mix, layout, endpoints, w))
    cdn = replace(w, cdn_hit_ratio=0.9)
    rows.append({**evaluate(mixes(default)[0], after_layout(), endpoints, cdn), "layout": "after + CloudFront"})
    return {
        "assumptions": {
            "transaction_hold_ms": TX_HOLD_MS,
            "conflict_limit": CONFLICT_LIMIT,
            "per_item_or_partition": {"wcu": ITEM_WCU, "rcu": ITEM_RCU},
            "account_defaults": ACCOUNT,
            "workload": asdict(w),
            "cloudfront_hit_ratio_of_anonymous_gets": cdn.cdn_hit_ratio,
            "cdn_prices": CDN_PRICES,
            "layouts": {layout.name: asdict(layout) for layout in (BEFORE, after_layout(False), after_layout())},
            "favorites_fold": {"batch": FOLD_BATCH, "batch_ms": FOLD_BATCH_MS, "marker_bytes": MARKER_BYTES},
        },
        "rows": rows,
    }


def render(scale: dict[str, Any]) -> str:
    head = (
        f"{'layout':<19}{'mix':<17}{'N max req/s':>12}  {'headline':<34}{'Lambda conc.':>13}"
        f"{'$/hour':>9}  first limit (account limits raised) / first default account limit"
    )
    lines = ["Capacity model (python -m bench.scale; docs/scale.md)", head, "-" * len(head)]
    for row in scale["rows"]:
        headline = f"{row['headline']['at_n_max']:,} {row['headline']['what']}" if "headline" in row else ""
        lines.append(
            f"{row['layout']:<19}{row['mix']:<17}{row['n_max']:>12,}  {headline:<34}"
            f"{row['at_n_max']['lambda_concurrency']:>13,}{row['cost_per_hour_at_n_max']:>9,.2f}  "
            f"{row['limit']} / {row['account_limit'] or '-'}"
        )
    lines.append("")
    lines.append("Hottest keys (N at which each reaches its limit), default mix:")
    for row in scale["rows"]:
        if row["mix"] != "default" or row["layout"] == "after + CloudFront":
            continue
        ranked = sorted(
            ((k, v) for k, v in row["keys"].items() if v["n_max"] is not None), key=lambda kv: kv[1]["n_max"]
        )[:6]
        lines.append(f"  {row['layout']}: " + "; ".join(f"{k} {v['n_max']:,} ({v['limit']})" for k, v in ranked))
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.scale", description=__doc__.split("\n")[0])
    parser.add_argument("results", nargs="?", type=Path, default=RESULTS)
    parser.add_argument("--write", action="store_true", help="store the model as results.json's `scale`")
    args = parser.parse_args(argv)
    import bench  # noqa: F401  (puts the layer on sys.path)

    results = json.loads(args.results.read_text(encoding="utf-8"))
    scale = model(results)
    print(render(scale))
    if args.write:
        results["scale"] = scale
        args.results.write_text(json.dumps(results, indent=1) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
