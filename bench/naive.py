"""The naive design, for comparison only (it exists nowhere but here): list articles with Scan.

Without the keys-only indexes, a page of "newest articles" (globally, by tag, by author) needs a Scan
of the whole table with a FilterExpression - DynamoDB reads, and charges for, every item before
filtering - then a sort in memory. The page is then rendered exactly as ours is (the same
BatchGetItem of articles, authors and the viewer's edges, via conduit.services.articles._listing),
so the difference measured is Scan versus Query.
"""

from __future__ import annotations

from typing import Any

from bench.harness import Harness
from bench.scenarios import Context

LIMIT = 20
VARIANTS = {
    "GET /articles": ("#type = :article", {}),
    "GET /articles?tag=": ("#type = :article AND contains(tagList, :tag)", {"tag"}),
    "GET /articles?author=": ("#type = :article AND authorId = :author", {"author"}),
}


def measure(harness: Harness, ctx: Context, table: str) -> dict[str, dict[str, Any]]:
    recorder = harness.attach_recorder()
    recorder.model_capacity = True
    results = {}
    try:
        for name, (condition, needs) in VARIANTS.items():
            try:
                results[name] = _run(recorder, ctx, table, condition, needs)
            except Exception as error:  # the layer changed under the bench: reported, not fatal
                results[name] = {"error": repr(error)[:300]}
    finally:
        recorder.model_capacity = False
    return results


def _run(recorder: Any, ctx: Context, table: str, condition: str, needs: set[str]) -> dict[str, Any]:
    from conduit.services import articles as article_service
    from conduit.store import users
    from conduit.store.client import dynamodb

    with recorder.window() as window:
        values: dict[str, Any] = {":article": {"S": "article"}}
        if "tag" in needs:
            values[":tag"] = {"S": ctx.fixture.tag}
        if "author" in needs:
            values[":author"] = {"S": users.id_for_username(ctx.fixture.authors[0].username)}
        ids = _scan_ids(dynamodb(), table, condition, values)
        page = sorted(ids, reverse=True)[:LIMIT]  # ids are time-ordered
        listing = article_service._listing(page, ctx.fixture.viewer.uid, total=len(ids))
    summary = window.summary()
    summary["matches"] = len(ids)
    summary["page"] = len(listing["articles"])
    return summary


def _scan_ids(client: Any, table: str, condition: str, values: dict[str, Any]) -> list[str]:
    request: dict[str, Any] = {
        "TableName": table,
        "FilterExpression": condition,
        "ExpressionAttributeNames": {"#type": "type", "#id": "id"},
        "ExpressionAttributeValues": values,
        "ProjectionExpression": "#id",
    }
    ids = []
    while True:
        response = client.scan(**request)
        ids.extend(item["id"]["S"] for item in response.get("Items", []))
        if "LastEvaluatedKey" not in response:
            return ids
        request["ExclusiveStartKey"] = response["LastEvaluatedKey"]
