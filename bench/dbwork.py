"""DynamoDB work per request: every scenario once, on a seeded table, with the capacity model on."""

from __future__ import annotations

from typing import Any

from bench.harness import Harness
from bench.scenarios import Context, Scenario, event_for


def measure(harness: Harness, ctx: Context, scenarios: list[Scenario]) -> dict[str, dict[str, Any]]:
    recorder = harness.attach_recorder()
    recorder.model_capacity = True
    results = {}
    try:
        for scenario in scenarios:
            try:
                request = scenario.prepare(ctx)
            except Exception as error:  # a scenario the code no longer supports: reported, not fatal
                results[scenario.name] = {"error": f"preparation failed: {error}"[:500]}
                continue
            event = event_for(harness, request)
            with recorder.window() as window:
                response = harness.raw_invoke(request.function, event)
            status = response["statusCode"]
            summary = window.summary()
            summary["status"] = status
            headers = response.get("headers") or {}
            # what leaves AWS (data transfer out): the body and the headers, as the API sends them
            summary["response_bytes"] = len((response.get("body") or "").encode("utf-8")) + sum(
                len(f"{name}: {value}\r\n") for name, value in headers.items()
            )
            summary["status_ok"] = request.ok(status)
            results[scenario.name] = summary
    finally:
        recorder.model_capacity = False
    return results


def layout_check(harness: Harness, table: str, ctx: Context) -> list[str]:
    """Seeded items must carry the attributes the API writes: compare with items the API created."""
    from conduit.store import keys
    from conduit.store.client import from_ddb

    def item(key: dict[str, str]) -> dict[str, Any]:
        raw = harness.admin.get_item(TableName=table, Key={k: {"S": v} for k, v in key.items()}).get("Item")
        return from_ddb(raw) if raw else {}

    def slug_marker(slug: str) -> dict[str, Any]:
        return item(keys.slug_marker(slug))

    problems = []
    seeded_marker = slug_marker(ctx.fixture.target_slug)
    api_slug = ctx.state.get("scratch")
    if not api_slug:
        return ["no API-created article to compare with"]
    api_marker = slug_marker(api_slug)
    seeded_aid, api_aid = seeded_marker["articleId"], api_marker["articleId"]
    registered = item(keys.username_marker(ctx.state.get("registered", "")))
    pairs = [
        ("slug marker", seeded_marker, api_marker),
        ("article", item(keys.article(seeded_aid)), item(keys.article(api_aid))),
        ("article-has-tag", item(keys.tagged(ctx.fixture.tag, seeded_aid)), item(keys.tagged("tag-002", api_aid))),
        ("tag head", item(keys.tag_head("tag-002")), item(keys.tag_head("bench-created"))),
        ("user", item(keys.user(ctx.fixture.viewer.uid)), item(keys.user(registered.get("userId", "")))),
        ("username marker", item(keys.username_marker(ctx.fixture.viewer.username)), registered),
    ]
    optional = {"commentSeq", "bio", "image", "articlesCount", "favoritesCount", "followingCount", "feedCount"}
    for name, seeded, created in pairs:
        if not seeded or not created:
            problems.append(f"{name}: missing")
            continue
        differ = (set(seeded) ^ set(created)) - optional
        if differ:
            problems.append(f"{name}: attributes differ {sorted(differ)}")
    return problems
