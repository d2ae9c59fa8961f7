"""The GraphQL functions as Lambda runs them: API Gateway v2 events through Mangum, sample events,
base64 bodies, and cold-start hygiene (no other function imports Strawberry)."""

from __future__ import annotations

import base64
import json
import subprocess
import sys

from tests.graphql.helpers import data
from tests.template.helpers import FUNCTIONS_DIR, ROOT, event


def test_the_sample_events_are_answered(runtime):
    for function, name in (("GraphqlFunction", "graphql"), ("GraphqlGetFunction", "graphql_get")):
        response = runtime.invoke(function, event(name))
        assert response["statusCode"] == 200, response
        assert response["headers"]["content-type"] == "application/json"
        assert response["isBase64Encoded"] is False
        answer = json.loads(response["body"])
        assert "tags" in data(answer)


def test_mangum_reads_http_api_v2_events_with_base64_bodies_and_cookies(runtime):
    sample = event("graphql")
    body = json.dumps({"query": "query Hello { __typename }", "operationName": "Hello"}).encode()
    sample.update(body=base64.b64encode(body).decode(), isBase64Encoded=True, cookies=["a=1", "b=2"])
    sample["headers"]["content-length"] = str(len(body))
    response = runtime.invoke("GraphqlFunction", sample)
    assert response["statusCode"] == 200
    assert json.loads(response["body"]) == {"data": {"__typename": "Query"}}
    assert response["headers"]["x-correlation-id"] == sample["requestContext"]["requestId"]


def test_the_graphiql_page_through_an_event(runtime):
    sample = event("graphql_get")
    sample.update(rawQueryString="", headers={**sample["headers"], "accept": "text/html"})
    sample.pop("queryStringParameters")
    response = runtime.invoke("GraphqlGetFunction", sample)
    assert response["statusCode"] == 200
    assert response["headers"]["content-type"].startswith("text/html")
    assert "<html" in response["body"].lower()


def test_other_functions_do_not_import_strawberry_or_mangum():
    """Cold starts: only the GraphQL functions pay for Strawberry, Starlette and Mangum."""
    rest = sorted(
        path.parent.name
        for path in FUNCTIONS_DIR.glob("*/app.py")
        if "conduit.http" in path.read_text(encoding="utf-8") and not path.parent.name.startswith("graphql")
    )
    assert len(rest) >= 19
    script = f"""
import importlib.util, sys
sys.path[:0] = [{str(ROOT / "layers" / "conduit")!r}, {str(ROOT)!r}]
for name in {rest!r}:
    spec = importlib.util.spec_from_file_location("fn_" + name, {str(FUNCTIONS_DIR)!r} + "/" + name + "/app.py")
    spec.loader.exec_module(importlib.util.module_from_spec(spec))
heavy = sorted(m for m in sys.modules if m.split(".")[0] in ("strawberry", "mangum", "starlette", "graphql"))
print(heavy)
"""
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=60, check=False)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "[]"
