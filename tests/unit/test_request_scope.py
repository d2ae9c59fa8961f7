"""ClientRequestTokens derived from the request (store.request_scope), carried by every transaction."""

from __future__ import annotations

import asyncio

from botocore.stub import ANY

from conduit.http.endpoint import endpoint
from conduit.store import ops, request_scope, transactions

ACTIONS = [transactions.put_new({"PK": "A", "SK": "B"})]


def _expect_transaction(stub, token=None) -> None:
    expected = {"TransactItems": ANY}
    if token is not None:
        expected["ClientRequestToken"] = token
    stub.add_response("transact_write_items", {}, expected)


def test_tokens_are_short_stable_and_distinct_per_transaction():
    first, second = request_scope.token_for("req-1", 1), request_scope.token_for("req-1", 2)
    assert first == request_scope.token_for("req-1", 1), "the same request and ordinal give the same token"
    assert len({first, second, request_scope.token_for("req-2", 1)}) == 3
    assert all(1 <= len(token) <= 36 for token in (first, second)), "DynamoDB takes 1 to 36 characters"


def test_outside_a_request_there_is_no_token():
    assert request_scope.transaction_token() is None
    with request_scope.serving(""):
        assert request_scope.transaction_token() is None


def test_each_transaction_of_a_request_takes_the_next_ordinal():
    with request_scope.serving("req-1"):
        assert request_scope.transaction_token() == request_scope.token_for("req-1", 1)
        assert request_scope.transaction_token() == request_scope.token_for("req-1", 2)
        with request_scope.serving("req-2"):
            assert request_scope.transaction_token() == request_scope.token_for("req-2", 1)
        assert request_scope.transaction_token() == request_scope.token_for("req-1", 3)
    assert request_scope.transaction_token() is None


def test_tasks_of_one_request_share_its_ordinals():
    """GraphQL resolvers run as asyncio tasks, each with a copy of the context."""

    async def two_tasks() -> list[str | None]:
        async def draw() -> str | None:
            return request_scope.transaction_token()

        return list(await asyncio.gather(draw(), draw()))

    with request_scope.serving("req-9"):
        drawn = asyncio.run(two_tasks())
        assert sorted(drawn) == sorted(request_scope.token_for("req-9", n) for n in (1, 2))
        assert request_scope.transaction_token() == request_scope.token_for("req-9", 3)


def test_transactions_carry_the_requests_tokens(ddb_stub):
    _expect_transaction(ddb_stub, request_scope.token_for("req-1", 1))
    _expect_transaction(ddb_stub, request_scope.token_for("req-1", 2))
    with request_scope.serving("req-1"):
        ops.transact(list(ACTIONS))
        ops.transact(list(ACTIONS))


def test_the_endpoint_serves_each_invocation_as_its_api_gateway_request(ddb_stub, make_event):
    @endpoint("GET /test/none")
    def handler(request):
        ops.transact(list(ACTIONS))
        return {}

    _expect_transaction(ddb_stub, request_scope.token_for("req-123", 1))
    assert handler(make_event("GET", "/test/none"))["statusCode"] == 200
    event = make_event("GET", "/test/none")
    event["requestContext"]["requestId"] = "req-456"
    _expect_transaction(ddb_stub, request_scope.token_for("req-456", 1))
    assert handler(event)["statusCode"] == 200
    assert request_scope.transaction_token() is None, "the scope ends with the invocation"


def test_a_replayed_event_is_a_new_invocation():
    """A saved event keeps its requestId; Lambda's invocation id tells its runs apart."""

    class Context:
        def __init__(self, invocation: str) -> None:
            self.aws_request_id = invocation

    first = request_scope.invocation_id("req-123", Context("inv-1"))
    assert first == "req-123/inv-1"
    assert request_scope.invocation_id("req-123", Context("inv-2")) != first
    assert request_scope.invocation_id("req-123") == "req-123"
    assert request_scope.invocation_id("", Context("inv-1")) == "inv-1"
