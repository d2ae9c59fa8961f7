"""store.ops: DynamoDB faults become domain errors (botocore Stubber, no DynamoDB needed)."""

from __future__ import annotations

from typing import Any

import pytest
from botocore.exceptions import ClientError, ConnectTimeoutError, EndpointConnectionError, ReadTimeoutError
from botocore.stub import ANY

from conduit.errors import StorageUnavailable
from conduit.http.error_map import status_of
from conduit.store import client as store_client
from conduit.store import keys, ops, transactions
from conduit.store.ops import ConditionFailed, TransactionCancelled

RETRYABLE = [
    "ProvisionedThroughputExceededException",
    "ThrottlingException",
    "InternalServerError",
    "RequestLimitExceeded",
    "TransactionConflictException",
    "LimitExceededException",
]
USER_KEY = keys.user("u1")


def ddb_key(key: dict[str, str]) -> dict[str, Any]:
    return {name: {"S": value} for name, value in key.items()}


# --- happy paths (so the stubs below exercise the same calls) -------------------------------------------


def test_get_item_deserialises_and_uses_the_table_name(set_env):
    set_env(TABLE_NAME="conduit-unit")
    from botocore.stub import Stubber

    with Stubber(store_client.dynamodb()) as stub:
        stub.add_response(
            "get_item",
            {"Item": {"PK": {"S": "USER#u1"}, "SK": {"S": "PROFILE"}, "count": {"N": "3"}, "tags": {"L": []}}},
            {"TableName": "conduit-unit", "Key": ddb_key(USER_KEY), "ConsistentRead": True},
        )
        item = ops.get_item(USER_KEY, consistent=True)
        stub.assert_no_pending_responses()
    assert item == {"PK": "USER#u1", "SK": "PROFILE", "count": 3, "tags": []}
    assert type(item["count"]) is int


def test_get_item_missing_is_none(ddb_stub):
    ddb_stub.add_response("get_item", {})
    assert ops.get_item(USER_KEY) is None


def test_transact_fills_in_the_table_name(ddb_stub):
    actions = [transactions.put_new({"PK": "A", "SK": "B"}), transactions.delete({"PK": "C", "SK": "D"})]
    ddb_stub.add_response(
        "transact_write_items",
        {},
        {
            "TransactItems": [
                {
                    "Put": {
                        "TableName": "conduit",
                        "Item": {"PK": {"S": "A"}, "SK": {"S": "B"}},
                        "ConditionExpression": "attribute_not_exists(PK)",
                    }
                },
                {"Delete": {"TableName": "conduit", "Key": {"PK": {"S": "C"}, "SK": {"S": "D"}}}},
            ]
        },
    )
    ops.transact(actions)


def test_query_follows_pages_up_to_the_limit(ddb_stub):
    page = {
        "Items": [{"PK": {"S": "P"}, "SK": {"S": f"S{i}"}} for i in range(2)],
        "LastEvaluatedKey": {"PK": {"S": "P"}},
    }
    ddb_stub.add_response(
        "query",
        page,
        {
            "TableName": "conduit",
            "KeyConditionExpression": ANY,
            "ExpressionAttributeValues": ANY,
            "ExpressionAttributeNames": ANY,
            "ScanIndexForward": True,
            "Limit": 3,
        },
    )
    ddb_stub.add_response(
        "query",
        page,
        {
            "TableName": "conduit",
            "KeyConditionExpression": ANY,
            "ExpressionAttributeValues": ANY,
            "ExpressionAttributeNames": ANY,
            "ScanIndexForward": True,
            "Limit": 1,
            "ExclusiveStartKey": {"PK": {"S": "P"}},
        },
    )
    items = ops.query("P", limit=3)
    assert len(items) == 4  # DynamoDB honours Limit; the stub does not, and ops stops once it has enough
    assert items[0] == {"PK": "P", "SK": "S0"}


# --- retryable faults → StorageUnavailable ---------------------------------------------------------------


def call(operation: str) -> None:
    if operation == "get_item":
        ops.get_item(USER_KEY)
    elif operation == "put_item":
        ops.put_item({"PK": "USER#u1", "SK": "PROFILE", "bio": "x"}, "attribute_not_exists(PK)")
    elif operation == "update_item":
        ops.update_item(USER_KEY, "SET bio = :bio", "attribute_exists(PK)", bio="x")
    elif operation == "delete_item":
        ops.delete_item(USER_KEY, "attribute_exists(PK)")
    elif operation == "query":
        ops.query("USER#u1", sk_prefix="FOLLOWS#", limit=10)
    elif operation == "transact_write_items":
        ops.transact([transactions.put_new({"PK": "USER#u1", "SK": "PROFILE"})])
    elif operation == "batch_get_item":
        ops.batch_get([USER_KEY])
    else:  # pragma: no cover
        raise AssertionError(operation)


OPERATIONS = [
    "get_item",
    "put_item",
    "update_item",
    "delete_item",
    "query",
    "transact_write_items",
    "batch_get_item",
]


# Every retryable code on get_item, and every operation with (rotating) retryable codes.
RETRYABLE_CASES = sorted(
    {("get_item", code) for code in RETRYABLE}
    | {(operation, RETRYABLE[i % len(RETRYABLE)]) for i, operation in enumerate(OPERATIONS)}
    | {(operation, "ProvisionedThroughputExceededException") for operation in OPERATIONS}
)


@pytest.mark.parametrize(("operation", "code"), RETRYABLE_CASES)
def test_retryable_error_codes_are_service_unavailable(ddb_stub, operation, code):
    ddb_stub.add_client_error(operation, service_error_code=code, service_message="slow down", http_status_code=400)
    with pytest.raises(StorageUnavailable) as caught:
        call(operation)
    assert status_of(caught.value) == 503
    assert caught.value.errors == {"server": ["temporarily unavailable, retry later"]}
    assert isinstance(caught.value.__cause__, ClientError)
    assert caught.value.__cause__.response["Error"]["Code"] == code


@pytest.mark.parametrize("status", [500, 502, 503])
def test_unknown_server_side_errors_are_service_unavailable(ddb_stub, status):
    ddb_stub.add_client_error("get_item", service_error_code="SomethingNew", http_status_code=status)
    with pytest.raises(StorageUnavailable):
        ops.get_item(USER_KEY)


@pytest.mark.parametrize("code", ["ValidationException", "ResourceNotFoundException", "AccessDeniedException"])
def test_client_side_errors_are_not_hidden(ddb_stub, code):
    ddb_stub.add_client_error("get_item", service_error_code=code, service_message="bad", http_status_code=400)
    with pytest.raises(ClientError) as caught:
        ops.get_item(USER_KEY)
    assert caught.value.response["Error"]["Code"] == code


class BrokenClient:
    """Every call fails the way botocore fails once its own retries are used up."""

    def __init__(self, error: Exception) -> None:
        self.error = error
        self.calls: list[str] = []

    def __getattr__(self, name: str) -> Any:
        def fail(**request: Any) -> Any:
            self.calls.append(name)
            raise self.error

        return fail


@pytest.mark.parametrize(
    "error",
    [
        ReadTimeoutError(endpoint_url="https://dynamodb.us-east-1.amazonaws.com/"),
        ConnectTimeoutError(endpoint_url="https://dynamodb.us-east-1.amazonaws.com/"),
        EndpointConnectionError(endpoint_url="https://dynamodb.us-east-1.amazonaws.com/"),
    ],
    ids=["read-timeout", "connect-timeout", "connection"],
)
@pytest.mark.parametrize("operation", OPERATIONS)
def test_timeouts_and_connection_errors_are_service_unavailable(monkeypatch, error, operation):
    broken = BrokenClient(error)
    monkeypatch.setattr(ops, "dynamodb", lambda: broken)
    with pytest.raises(StorageUnavailable) as caught:
        call(operation)
    assert caught.value.__cause__ is error
    assert broken.calls == [operation]


def test_read_timeout_on_the_real_client_is_service_unavailable(monkeypatch):
    # The client that dynamodb() builds, with its send step failing: botocore retries, then ops translates.
    client = store_client.dynamodb()
    attempts: list[int] = []

    def time_out(request: Any, **kwargs: Any) -> None:
        attempts.append(1)
        raise ReadTimeoutError(endpoint_url=request.url)

    monkeypatch.setattr("botocore.retries.standard.ExponentialBackoff.delay_amount", lambda self, context: 0)
    client.meta.events.register("before-send.dynamodb.GetItem", time_out)
    try:
        with pytest.raises(StorageUnavailable) as caught:
            ops.get_item(USER_KEY)
    finally:
        client.meta.events.unregister("before-send.dynamodb.GetItem", time_out)
    assert isinstance(caught.value.__cause__, ReadTimeoutError)
    assert len(attempts) == 3, "botocore retried the timeout twice before ops translated it"


def test_client_configuration(set_env):
    set_env(AWS_REGION="eu-west-1")
    client = store_client.dynamodb()
    assert client is store_client.dynamodb(), "one client per container"
    assert client.meta.region_name == "eu-west-1"
    assert client.meta.endpoint_url == "https://dynamodb.eu-west-1.amazonaws.com"
    assert client.meta.config.read_timeout == 1  # DynamoDB answers in milliseconds (see store/client.py)
    assert client.meta.config.connect_timeout == 1
    assert client.meta.config.retries == {"mode": "standard", "total_max_attempts": 3}


def test_a_local_emulator_gets_more_time_to_answer(set_env):
    set_env(AWS_REGION="eu-west-1", DYNAMODB_ENDPOINT="http://localhost:8000")
    client = store_client.dynamodb()
    assert client.meta.endpoint_url == "http://localhost:8000"
    assert client.meta.config.read_timeout == store_client.LOCAL_READ_TIMEOUT_SECONDS
    assert client.meta.config.retries == {"mode": "standard", "total_max_attempts": 3}


# --- conditional writes → ConditionFailed ----------------------------------------------------------------


OLD_ITEM = {"PK": {"S": "USER#u1"}, "SK": {"S": "PROFILE"}, "username": {"S": "jake"}, "followers": {"N": "7"}}


@pytest.mark.parametrize("operation", ["put_item", "update_item", "delete_item"])
def test_condition_failure_carries_the_old_item(ddb_stub, operation):
    ddb_stub.add_client_error(
        operation,
        service_error_code="ConditionalCheckFailedException",
        service_message="The conditional request failed",
        modeled_fields={"Item": OLD_ITEM},
    )
    with pytest.raises(ConditionFailed) as caught:
        call(operation)
    assert caught.value.item == {"PK": "USER#u1", "SK": "PROFILE", "username": "jake", "followers": 7}


@pytest.mark.parametrize("operation", ["put_item", "update_item", "delete_item"])
def test_condition_failure_without_an_item(ddb_stub, operation):
    ddb_stub.add_client_error(operation, service_error_code="ConditionalCheckFailedException")
    with pytest.raises(ConditionFailed) as caught:
        call(operation)
    assert caught.value.item is None


def test_conditional_writes_ask_for_the_old_item(ddb_stub):
    ddb_stub.add_response(
        "put_item",
        {},
        {
            "TableName": "conduit",
            "Item": {"PK": {"S": "USER#u1"}, "SK": {"S": "PROFILE"}, "bio": {"S": "x"}},
            "ConditionExpression": "attribute_not_exists(PK)",
            "ReturnValuesOnConditionCheckFailure": "ALL_OLD",
        },
    )
    ops.put_item({"PK": "USER#u1", "SK": "PROFILE", "bio": "x", "image": None}, "attribute_not_exists(PK)")


# --- transactions → TransactionCancelled -----------------------------------------------------------------


def cancel(ddb_stub, *codes: str) -> None:
    reasons = [{"Code": code, "Message": f"{code} reason"} if code != "None" else {"Code": "None"} for code in codes]
    ddb_stub.add_client_error(
        "transact_write_items",
        service_error_code="TransactionCanceledException",
        service_message=f"Transaction cancelled, please refer cancellation reasons for specific reasons {codes}",
        modeled_fields={"CancellationReasons": reasons},
    )


def test_cancelled_transaction_reports_reasons(ddb_stub):
    cancel(ddb_stub, "None", "ConditionalCheckFailed", "None")
    with pytest.raises(TransactionCancelled) as caught:
        ops.transact(
            [
                transactions.put_new({"PK": "A", "SK": "1"}),
                transactions.put_new({"PK": "B", "SK": "2"}),
                transactions.put({"PK": "C", "SK": "3"}),
            ]
        )
    cancelled = caught.value
    assert cancelled.reasons == ["None", "ConditionalCheckFailed", "None"]
    assert [cancelled.failed(i) for i in range(3)] == [False, True, False]
    assert cancelled.failed(3) is False
    assert cancelled.failed(100) is False


def test_cancelled_transaction_with_several_failed_conditions(ddb_stub):
    cancel(ddb_stub, "ConditionalCheckFailed", "ConditionalCheckFailed")
    with pytest.raises(TransactionCancelled) as caught:
        ops.transact([transactions.put_new({"PK": "A", "SK": "1"}), transactions.put_new({"PK": "B", "SK": "2"})])
    assert caught.value.failed(0) and caught.value.failed(1)
    assert caught.value.failed(-1) is False, "a negative index names no action"


def test_cancelled_transaction_without_reasons(ddb_stub):
    ddb_stub.add_client_error("transact_write_items", service_error_code="TransactionCanceledException")
    with pytest.raises(TransactionCancelled) as caught:
        ops.transact([transactions.put_new({"PK": "A", "SK": "1"})])
    assert caught.value.reasons == []
    assert caught.value.failed(0) is False


@pytest.mark.parametrize(
    "codes",
    [
        ("None", "ThrottlingError"),
        ("TransactionConflict", "None"),
        ("ConditionalCheckFailed", "ProvisionedThroughputExceeded", "ThrottlingError"),
    ],
)
def test_transaction_cancelled_by_throttling_or_conflict_is_retryable(ddb_stub, codes, monkeypatch):
    monkeypatch.setattr(ops.time, "sleep", lambda seconds: None)
    for _ in range(ops.TRANSACTION_ATTEMPTS if "TransactionConflict" in codes else 1):
        cancel(ddb_stub, *codes)
    with pytest.raises(StorageUnavailable) as caught:
        ops.transact([transactions.put({"PK": str(i), "SK": "x"}) for i in range(len(codes))])
    assert isinstance(caught.value.__cause__, ClientError)


def test_a_transaction_conflict_is_sent_again_after_a_jittered_pause(ddb_stub, monkeypatch):
    pauses: list[float] = []
    monkeypatch.setattr(ops.time, "sleep", pauses.append)
    for _ in range(ops.TRANSACTION_ATTEMPTS - 1):
        cancel(ddb_stub, "None", "TransactionConflict")
    ddb_stub.add_response("transact_write_items", {})
    ops.transact([transactions.put({"PK": str(i), "SK": "x"}) for i in range(2)])
    assert len(pauses) == ops.TRANSACTION_ATTEMPTS - 1
    assert all(0 <= pause <= ops.CONFLICT_PAUSE_SECONDS * 2**n for n, pause in enumerate(pauses))


def test_a_condition_failure_is_not_sent_again(ddb_stub, monkeypatch):
    monkeypatch.setattr(ops.time, "sleep", lambda seconds: pytest.fail("no pause for a failed condition"))
    cancel(ddb_stub, "ConditionalCheckFailed", "None")
    with pytest.raises(TransactionCancelled):
        ops.transact([transactions.put({"PK": str(i), "SK": "x"}) for i in range(2)])


def test_transaction_cancelled_is_an_exception_with_a_message():
    error = TransactionCancelled(["None", "ConditionalCheckFailed"])
    assert "ConditionalCheckFailed" in str(error)
    assert ConditionFailed(None).item is None


# --- batch get -------------------------------------------------------------------------------------------


def test_batch_get_retries_unprocessed_keys(ddb_stub):
    first, second = keys.user("u1"), keys.user("u2")
    ddb_stub.add_response(
        "batch_get_item",
        {
            "Responses": {"conduit": [{"PK": {"S": "USER#u1"}, "SK": {"S": "PROFILE"}}]},
            "UnprocessedKeys": {"conduit": {"Keys": [ddb_key(second)]}},
        },
    )
    ddb_stub.add_response(
        "batch_get_item",
        {"Responses": {"conduit": [{"PK": {"S": "USER#u2"}, "SK": {"S": "PROFILE"}}]}},
        {"RequestItems": {"conduit": {"Keys": [ddb_key(second)]}}},
    )
    found = ops.batch_get([first, second, first])
    assert set(found) == {("USER#u1", "PROFILE"), ("USER#u2", "PROFILE")}


def test_batch_get_gives_up_on_persistently_unprocessed_keys(ddb_stub):
    for _ in range(5):
        ddb_stub.add_response(
            "batch_get_item",
            {"Responses": {"conduit": []}, "UnprocessedKeys": {"conduit": {"Keys": [ddb_key(USER_KEY)]}}},
        )
    with pytest.raises(StorageUnavailable):
        ops.batch_get([USER_KEY])


def test_dynamodb_client_makes_three_attempts_in_all():
    config = store_client.dynamodb().meta.config
    assert config.retries["total_max_attempts"] == 3
    # Three attempts of connect + read timeout, and botocore's longest backoffs between them (1 s, then
    # 2 s), fit inside the functions' 10 s timeout with room to answer 503.
    assert 3 * (config.connect_timeout + config.read_timeout) + 1 + 2 < 10
