"""Each function's DynamoDB calls are checked against its own role from template.yaml (localapi/iam.py,
localapi/gate.py): a call the role does not allow fails with DynamoDB's AccessDeniedException, as in AWS."""

from __future__ import annotations

import copy
import uuid
from collections.abc import Iterator

import pytest
import requests

from localapi import iam, template
from localapi.cfn import Stack, table_arn
from localapi.runtime import Runtime
from localapi.server import LocalApi
from localapi.template import Template
from tests.conftest import FUNCTION_ENVIRONMENT

TABLE = "conduit-local-iam"
ARN = table_arn(TABLE)


def roles() -> dict[str, iam.Role]:
    real = template.load()
    return iam.roles(Stack(real.raw, {logical: TABLE for logical in real.tables()}))


def test_requests_map_to_the_actions_aws_authorizes():
    assert iam.dynamodb_actions("GetItem", {"TableName": TABLE}) == [("dynamodb:GetItem", ARN)]
    assert iam.dynamodb_actions("Query", {"TableName": TABLE, "IndexName": "ByKind"}) == [
        ("dynamodb:Query", f"{ARN}/index/ByKind")
    ]
    assert iam.dynamodb_actions("BatchGetItem", {"RequestItems": {TABLE: {}}}) == [("dynamodb:BatchGetItem", ARN)]
    transaction = {
        "TransactItems": [
            {"Put": {"TableName": TABLE}},
            {"Update": {"TableName": TABLE}},
            {"Delete": {"TableName": TABLE}},
            {"ConditionCheck": {"TableName": TABLE}},
        ]
    }
    assert [action for action, _ in iam.dynamodb_actions("TransactWriteItems", transaction)] == [
        "dynamodb:PutItem",
        "dynamodb:UpdateItem",
        "dynamodb:DeleteItem",
        "dynamodb:ConditionCheckItem",
    ]


def test_the_templates_roles_resolve_to_the_local_table_and_its_indexes():
    found = roles()
    reader = found["ArticleGetFunction"]
    assert reader.denied([("dynamodb:GetItem", ARN), ("dynamodb:BatchGetItem", ARN)]) is None
    assert reader.denied([("dynamodb:PutItem", ARN)]) == ("dynamodb:PutItem", ARN)
    assert reader.denied([("dynamodb:Query", f"{ARN}/index/ByKind")]) is not None  # it queries no index
    assert found["AdminUsersListFunction"].denied([("dynamodb:Query", f"{ARN}/index/ByKind")]) is None
    assert found["AdminUsersListFunction"].denied([("dynamodb:Query", f"{ARN}/index/TagsByCount")]) is not None
    assert reader.denied([("dynamodb:GetItem", table_arn("another-table"))]) is not None
    assert reader.denied([("dynamodb:Scan", ARN)]) is not None  # no function may Scan
    assert found["OpenapiJsonFunction"].denied([("dynamodb:GetItem", ARN)]) is not None  # no table at all
    writer = found["ArticleCreateFunction"]
    assert writer.denied([("dynamodb:PutItem", ARN), ("dynamodb:UpdateItem", ARN)]) is None


@pytest.fixture(scope="module")
def login_without_write_policy() -> Iterator[tuple[Runtime, str]]:
    """The API from a copy of template.yaml whose login function lacks the UpdateItem its failure counters need."""
    raw = copy.deepcopy(template.load().raw)
    for policy in raw["Resources"]["UsersLoginFunction"]["Properties"]["Policies"]:
        for statement in policy.get("Statement", []) if isinstance(policy, dict) else []:
            actions = statement["Action"] if isinstance(statement["Action"], list) else [statement["Action"]]
            statement["Action"] = [action for action in actions if action != "dynamodb:UpdateItem"]
    runtime = Runtime(
        Template(raw), table_suffix=f"-iam-{uuid.uuid4().hex[:6]}", environment=FUNCTION_ENVIRONMENT
    ).start()
    api = LocalApi(runtime, port=0).start_in_thread()
    yield runtime, f"{api.url}/api"
    api.stop()
    runtime.stop()


def _register_then_fail_a_login(base: str) -> requests.Response:
    name = f"iam{uuid.uuid4().hex[:10]}"
    user = {"username": name, "email": f"{name}@example.com", "password": "password123"}
    assert requests.post(f"{base}/users", json={"user": user}, timeout=60).status_code == 201
    wrong = {"user": {"email": user["email"], "password": "not-the-password"}}
    return requests.post(f"{base}/users/login", json=wrong, timeout=60)


def test_a_missing_permission_fails_the_request_as_in_aws(login_without_write_policy, client):
    runtime, base = login_without_write_policy
    denied = _register_then_fail_a_login(base)
    assert denied.status_code == 500, denied.text  # the handler got AccessDeniedException, as it would in AWS
    assert "AccessDenied" not in denied.text and "Traceback" not in denied.text
    function, action, resource = runtime.gate.denials[-1]
    assert (function, action) == ("UsersLoginFunction", "dynamodb:UpdateItem")
    assert resource == table_arn(next(iter(runtime.table_names.values())))
    # With the real template's policies the same request is the spec's 401.
    assert _register_then_fail_a_login(f"{client.base}/api").status_code == 401
