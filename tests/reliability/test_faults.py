"""Injected DynamoDB faults at every step of every multi-step write (and of the reads).

For each flow the request is first sent without faults while its DynamoDB calls are recorded;
then, for every call position n, a fresh copy of the flow's data is set up and the request is sent
with the n-th call failing. After each fault:

- the answer is the success (only when the failed step was best-effort cleanup after the commit) or
  a clean 503: Retry-After, a RealWorld `{"errors": {...}}` body, nothing leaked;
- the whole-table invariant check finds nothing half-written;
- the same request sent again succeeds, or, when the first attempt had already committed before the
  fault (a `lost` answer, or a fault after the commit), gives the flow's "already done" answer;
- the end state is the one the request asked for.

Each step gets one of the five "before" kinds (rotating over steps and flows, so each flow sees
them all), a write step also `lost` (it commits, then the answer times out), a TransactWriteItems
step `conflict` (cancelled with a TransactionConflict reason) and `lost`. A `lost` read is the same
as a failed one (nothing committed), so reads get one kind. RELIABILITY_FULL_MATRIX=1 runs all six
kinds at every step (about 2.5 times longer, 1.5 min).
"""

from __future__ import annotations

import json
import os
from typing import Any

import pytest
import requests

from tests.reliability.faults import BEFORE_KINDS, KINDS, LOST, Fault, Recorder, TransientFault
from tests.reliability.flows import WRITES, Flow

FULL_MATRIX = os.environ.get("RELIABILITY_FULL_MATRIX") == "1"
WRITE_CALLS = frozenset({"TransactWriteItems", "UpdateItem", "PutItem", "DeleteItem", "BatchWriteItem"})
LEAKS = ("Traceback", "botocore", 'File "', "Exception", "dynamodb", "TransactItems")


def assert_clean_unavailable(response: requests.Response, where: str) -> None:
    assert response.status_code == 503, f"{where}: {response.status_code} {response.text}"
    assert response.headers.get("retry-after", "").isdigit(), f"{where}: no Retry-After"
    body = response.json()
    assert list(body) == ["errors"] and isinstance(body["errors"], dict) and body["errors"], f"{where}: {body}"
    assert all(isinstance(messages, list) for messages in body["errors"].values()), f"{where}: {body}"
    for leak in LEAKS:
        assert leak not in response.text, f"{where}: the body leaks {leak!r}: {response.text}"


def kinds_for(operation: str, step: int, salt: int) -> list[str]:
    """The faults tried at one step: a rotating "before" kind; on a write also `lost` (it
    committed); on a TransactWriteItems `conflict` (a cancellation) instead of the rotation."""
    if FULL_MATRIX:
        return list(KINDS)
    if operation == "TransactWriteItems":
        return ["conflict", LOST]
    rotating = BEFORE_KINDS[(step + salt) % len(BEFORE_KINDS)]
    return [rotating, LOST] if operation in WRITE_CALLS else [rotating]


def run_with_faults(api: Any, violations: Any, flow: Flow, salt: int) -> list[str]:
    shared: dict[str, Any] = {}
    ctx = flow.setup(api, shared)
    with Recorder() as recorder:
        baseline = flow.act(api, ctx)
    assert baseline.status_code == flow.ok, f"{flow.name} without faults: {baseline.status_code} {baseline.text}"
    flow.verify(api, ctx)
    steps = list(recorder.calls)
    assert steps, f"{flow.name} made no DynamoDB call"
    outcomes = []
    for at, operation in enumerate(steps, 1):
        for kind in kinds_for(operation, at, salt):
            ctx = flow.setup(api, shared)
            with Fault(kind, at) as fault:
                first = flow.act(api, ctx)
            where = f"{flow.name}: {fault.describe()}"
            assert fault.hit == operation, f"{where}: the calls differ from the baseline {steps}"
            if first.status_code != flow.ok:
                assert_clean_unavailable(first, where)
            problems = violations()
            assert not problems, f"{where}: half-written state:\n  " + "\n  ".join(problems)
            committed = flow.done(api, ctx)
            if first.status_code == flow.ok:
                assert committed, f"{where}: answered {flow.ok} but the change is not there"
                retry_status = None
            else:
                retry = flow.act(api, ctx)
                allowed = {flow.ok, *flow.already_done} if committed else {flow.ok}
                assert retry.status_code in allowed, f"{where}: retry got {retry.status_code} {retry.text}"
                retry_status = retry.status_code
            flow.verify(api, ctx)
            outcomes.append(f"{at}:{operation}:{kind} -> {first.status_code}, retry {retry_status}")
    problems = violations()
    assert not problems, f"{flow.name}: after the retries:\n  " + "\n  ".join(problems)
    return outcomes


@pytest.mark.parametrize("flow", WRITES, ids=[flow.name.split(" (")[0].replace(" ", "-") for flow in WRITES])
def test_a_fault_at_any_step_of_a_write_leaves_nothing_half_written(api, violations, flow):
    outcomes = run_with_faults(api, violations, flow, salt=WRITES.index(flow))
    print(f"\n{flow.name}:\n  " + "\n  ".join(outcomes))


# --- reads -----------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def reading(api: Any) -> dict[str, Any]:
    author, reader = api.user("ra"), api.user("rr")
    api.ok("POST", f"/profiles/{author['username']}/follow", token=reader["token"])
    article = api.article(author["token"], tags=["reliability"])
    api.comment(reader["token"], article["slug"])
    api.ok("POST", f"/articles/{article['slug']}/favorite", token=reader["token"])
    return {"author": author, "reader": reader, "slug": article["slug"]}


READS = {
    "login": lambda api, c: api.post(
        "/users/login", json={"user": {"email": c["reader"]["email"], "password": "password123"}}
    ),
    "current user": lambda api, c: api.get("/user", token=c["reader"]["token"]),
    "profile": lambda api, c: api.get(f"/profiles/{c['author']['username']}", token=c["reader"]["token"]),
    "article": lambda api, c: api.get(f"/articles/{c['slug']}", token=c["reader"]["token"]),
    "article list": lambda api, c: api.get("/articles?limit=5", token=c["reader"]["token"]),
    "articles by tag": lambda api, c: api.get("/articles?tag=reliability&limit=5"),
    "articles by author": lambda api, c: api.get(f"/articles?author={c['author']['username']}"),
    "favorited by": lambda api, c: api.get(f"/articles?favorited={c['reader']['username']}"),
    "feed": lambda api, c: api.get("/articles/feed", token=c["reader"]["token"]),
    "comments": lambda api, c: api.get(f"/articles/{c['slug']}/comments", token=c["reader"]["token"]),
    "tags": lambda api, c: api.get("/tags"),
}


@pytest.mark.parametrize("name", list(READS))
def test_a_fault_at_any_step_of_a_read_is_a_clean_503(api, reading, name):
    read = READS[name]
    with Recorder() as recorder:
        assert read(api, reading).status_code == 200
    for at in range(1, len(recorder.calls) + 1):
        kind = BEFORE_KINDS[(at + len(name)) % len(BEFORE_KINDS)]
        with Fault(kind, at) as fault:
            response = read(api, reading)
        assert fault.fired
        assert_clean_unavailable(response, f"{name}: {fault.describe()}")
        assert read(api, reading).status_code == 200


# --- botocore's own retries ------------------------------------------------------------------------


def test_a_transient_fault_is_absorbed_by_the_client_retries(api, violations):
    """One or two failed attempts are retried by botocore (standard mode, 3 attempts): no 503."""
    author, reader = api.user("ta"), api.user("tr")
    slug = api.article(author["token"])["slug"]
    with TransientFault("TransactWriteItems", "throttling", attempts=2) as fault:
        response = api.post(f"/articles/{slug}/favorite", token=reader["token"])
    assert fault.failed == 2
    assert response.status_code == 200, response.text
    assert response.json()["article"]["favoritesCount"] == 1
    with TransientFault("GetItem", "timeout", attempts=1) as fault:
        response = api.get(f"/articles/{slug}")
    assert (fault.failed, response.status_code) == (1, 200)
    assert not violations()


def test_retries_exhausted_give_a_clean_503_and_nothing_written(api, violations):
    author, reader = api.user("xa"), api.user("xr")
    slug = api.article(author["token"])["slug"]
    with TransientFault("TransactWriteItems", "internal", attempts=3) as fault:
        response = api.post(f"/articles/{slug}/favorite", token=reader["token"])
    assert fault.failed == 3
    assert_clean_unavailable(response, "favorite with every attempt failing")
    assert api.ok("GET", f"/articles/{slug}", token=reader["token"])["article"]["favorited"] is False
    assert not violations()
    assert api.ok("POST", f"/articles/{slug}/favorite", token=reader["token"])["article"]["favoritesCount"] == 1


def test_the_conflict_fault_is_a_real_transaction_cancellation():
    """The injected TransactionConflict goes through botocore's real error path (modelled exception):
    a client here carries the same 'before-call' outcome the workers' hooks give (localapi/worker.py)."""
    import botocore.session
    from botocore.exceptions import ClientError

    from localapi.worker import before_call_outcome

    client = botocore.session.get_session().create_client(  # nothing is sent: the hook answers first
        "dynamodb", region_name="us-east-1", endpoint_url="http://127.0.0.1:9"
    )
    fault = Fault("conflict", 1)

    def hook(model, params, **_):
        body = params.get("body") or b"{}"
        return before_call_outcome(
            fault.answer({"name": "before-call", "operation": model.name, "body": body.decode()})
        )

    client.meta.events.register("before-call.dynamodb", hook)
    with pytest.raises(ClientError) as raised:
        client.transact_write_items(
            TransactItems=[
                {
                    "ConditionCheck": {
                        "TableName": "any",
                        "Key": {"PK": {"S": "X"}, "SK": {"S": "Y"}},
                        "ConditionExpression": "attribute_exists(PK)",
                    }
                }
            ]
        )
    caught = raised.value.response
    assert fault.fired
    assert caught["Error"]["Code"] == "TransactionCanceledException"
    assert [r["Code"] for r in caught["CancellationReasons"]] == ["TransactionConflict"]
    assert json.dumps(caught)  # plain data, as botocore parses it
