"""IAM, the table, the HTTP API, the layer and the outputs; and cfn-lint over the whole template."""

from __future__ import annotations

import fnmatch
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from cfnlint.api import lint_file

from tests.template.helpers import (
    ROOT,
    TABLE,
    load,
    policy_statements,
    queue_functions,
    resources_of_type,
    table_grants,
    table_resource,
)


def _actions(node: Any) -> Iterator[tuple[str, str]]:
    """Every (key, action) under an Action or NotAction key, anywhere in `node`."""
    if isinstance(node, dict):
        for key, value in node.items():
            if key in ("Action", "NotAction"):
                for action in value if isinstance(value, list) else [value]:
                    yield key, action
            else:
                yield from _actions(value)
    elif isinstance(node, list):
        for item in node:
            yield from _actions(item)


def _grants(pattern: Any, action: str) -> bool:
    return isinstance(pattern, str) and fnmatch.fnmatchcase(action.lower(), pattern.lower())


def test_the_template_declares_iam_actions():
    found = [action for _, action in _actions(load().raw)]
    assert "dynamodb:Query" in found and "dynamodb:PutItem" in found


def test_no_policy_grants_scan_or_a_dynamodb_wildcard():
    for key, action in _actions(load().raw):
        assert key == "Action", "NotAction with Allow grants everything else"
        assert isinstance(action, str), action
        assert not _grants(action, "dynamodb:Scan"), f"{action} grants dynamodb:Scan"
        assert action != "*", "every action of every service"
        if action.lower().startswith("dynamodb:"):
            assert not set("*?") & set(action), f"{action}: no wildcards on DynamoDB actions"


def test_table_statements_are_scoped_to_the_table_and_its_indexes():
    """Every statement granting a DynamoDB action names the table or one of its indexes, never "*"."""
    tpl = load()
    indexes = {
        f"index/{gsi['IndexName']}" for gsi in tpl.resources["ConduitTable"]["Properties"]["GlobalSecondaryIndexes"]
    }
    for name in tpl.functions():
        for statement in policy_statements(tpl, name):
            actions = statement["Action"] if isinstance(statement["Action"], list) else [statement["Action"]]
            if not any(action.lower().startswith("dynamodb:") for action in actions):
                continue
            assert all(action.lower().startswith("dynamodb:") for action in actions), f"{name}: {actions}"
            assert statement["Effect"] == "Allow", name
            targets = statement["Resource"] if isinstance(statement["Resource"], list) else [statement["Resource"]]
            for target in targets:
                assert table_resource(target) in {TABLE, *indexes}, f"{name}: {target}"


def test_index_statements_only_query():
    tpl = load()
    for name in tpl.functions():
        for action, resource in table_grants(tpl, name):
            if resource != TABLE:
                assert action == "dynamodb:Query", f"{name}: {action} on {resource}"


def test_table_is_retained_on_demand_with_pitr_and_sse():
    tables = resources_of_type(load(), "AWS::DynamoDB::Table")
    assert list(tables) == ["ConduitTable"]
    table = tables["ConduitTable"]
    assert table["DeletionPolicy"] == "Retain"
    assert table["UpdateReplacePolicy"] == "Retain"
    props = table["Properties"]
    assert props["BillingMode"] == "PAY_PER_REQUEST"
    assert props["PointInTimeRecoverySpecification"]["PointInTimeRecoveryEnabled"] is True
    assert props["SSESpecification"]["SSEEnabled"] is True


def test_http_api_cors_allows_the_clients_headers_and_methods():
    apis = resources_of_type(load(), "AWS::Serverless::HttpApi")
    assert list(apis) == ["HttpApi"]
    cors = apis["HttpApi"]["Properties"]["CorsConfiguration"]
    headers = {header.lower() for header in cors["AllowHeaders"]}
    assert {"authorization", "content-type"} <= headers
    methods = {method.upper() for method in cors["AllowMethods"]}
    assert {"GET", "POST", "PUT", "DELETE", "OPTIONS"} <= methods
    assert cors.get("AllowCredentials") is not True, "credentials with a configurable (default '*') origin"


def test_every_route_is_on_the_templates_http_api():
    tpl = load()
    streams = {name for name, _ in tpl.stream_functions()}
    queues = queue_functions(tpl)
    for name, props in tpl.functions().items():
        for event in props["Events"].values():
            if name in streams:  # the feed consumer: the table's stream, filtered, partial-batch retries
                assert event["Type"] == "DynamoDB", name
                stream = event["Properties"]
                assert stream["Stream"] == {"Fn::GetAtt": "ConduitTable.StreamArn"}, name
                assert stream["FunctionResponseTypes"] == ["ReportBatchItemFailures"], name
                assert stream["BisectBatchOnFunctionError"] is True and 0 < stream["MaximumRetryAttempts"] <= 10
                assert stream["FilterCriteria"]["Filters"], name
                continue
            if name in queues:  # queue consumers: partial-batch retries, the queue's redrive to a DLQ
                assert event["Type"] == "SQS", name
                assert event["Properties"]["FunctionResponseTypes"] == ["ReportBatchItemFailures"], name
                queue = tpl.resources[queues[name]]["Properties"]
                assert queue["RedrivePolicy"]["maxReceiveCount"] <= 10, name
                assert queue["SqsManagedSseEnabled"] is True, name
                continue
            assert event["Type"] == "HttpApi", name
            assert event["Properties"]["ApiId"] == {"Ref": "HttpApi"}, name


@pytest.mark.parametrize("name", ["ConduitLayer", "GraphqlLayer"])
def test_layer_is_built_for_python313_on_arm64(name):
    layer = resources_of_type(load(), "AWS::Serverless::LayerVersion")[name]
    assert layer["Metadata"]["BuildMethod"] == "makefile"
    assert layer["Metadata"].get("BuildArchitecture") == "arm64"
    assert "python3.13" in layer["Properties"]["CompatibleRuntimes"]
    content = ROOT / layer["Properties"]["ContentUri"]
    assert (content / "requirements.txt").is_file()
    makefile = (content / "Makefile").read_text(encoding="utf-8")
    assert f"build-{name}:" in makefile
    assert "--python-version 3.13" in makefile and "aarch64" in makefile
    assert "compileall" in makefile and "--invalidation-mode unchecked-hash" in makefile


def test_outputs_expose_the_api_url():
    outputs = load().raw.get("Outputs", {})
    assert "ApiUrl" in outputs
    value = outputs["ApiUrl"]["Value"]
    assert "${HttpApi}" in value["Fn::Sub"]
    assert value["Fn::Sub"].endswith("/api")


def _errors(matches: list[Any]) -> list[str]:
    return [f"{m.rule.id} {m.message} ({m.filename}:{m.linenumber})" for m in matches if m.rule.id.startswith("E")]


def test_cfn_lint_reports_no_errors():
    assert _errors(lint_file(Path(ROOT / "template.yaml"))) == []


def test_cfn_lint_does_report_errors_of_a_broken_template(tmp_path):
    """Guards the test above against a linter that silently checks nothing: the same call, the same
    configuration, on the template with one error put in."""
    broken = tmp_path / "template.yaml"
    broken.write_text((ROOT / "template.yaml").read_text(encoding="utf-8").replace("python3.13", "python2.7", 1))
    errors = _errors(lint_file(broken))
    assert errors and any("python2.7" in error for error in errors), errors


def test_every_queue_has_a_dead_letter_queue_whose_depth_alarms():
    tpl = load()
    queues = resources_of_type(tpl, "AWS::SQS::Queue")
    dead_letter = {
        props["Properties"]["RedrivePolicy"]["deadLetterTargetArn"]["Fn::GetAtt"].split(".")[0]
        for props in queues.values()
        if "RedrivePolicy" in props["Properties"]
    }
    assert dead_letter and dead_letter <= set(queues)
    alarmed = {
        dimension["Value"]["Fn::GetAtt"].split(".")[0]
        for alarm in resources_of_type(tpl, "AWS::CloudWatch::Alarm").values()
        if alarm["Properties"].get("Namespace") == "AWS/SQS"
        for dimension in alarm["Properties"]["Dimensions"]
    }
    assert dead_letter <= alarmed
    for name, props in queues.items():
        assert props["Properties"]["SqsManagedSseEnabled"] is True, name
