"""Logs, alarms and the dashboard that operating the stack relies on."""

from __future__ import annotations

import json
import re

from conduit import observability
from tests.template.helpers import globals_function, load, resources_of_type


def _alarms() -> dict[str, dict]:
    return {name: res["Properties"] for name, res in resources_of_type(load(), "AWS::CloudWatch::Alarm").items()}


def _metric_names(props: dict) -> set[str]:
    names = {props.get("MetricName")}
    for query in props.get("Metrics", []):
        names.add(query.get("MetricStat", {}).get("Metric", {}).get("MetricName"))
    return names - {None}


def test_every_alarm_notifies_the_alarm_topic():
    alarms = _alarms()
    assert alarms
    for name, props in alarms.items():
        assert props["AlarmActions"] == [{"Ref": "AlarmTopic"}], name
        assert props["TreatMissingData"] == "notBreaching", name


def test_alarms_cover_api_errors_latency_lambda_and_dynamodb():
    covered = {metric for props in _alarms().values() for metric in _metric_names(props)}
    assert {"5xx", "Count", "Latency", "Errors", "Throttles", "ReadThrottleEvents", "WriteThrottleEvents"} <= covered
    [latency] = [p for p in _alarms().values() if p.get("MetricName") == "Latency"]
    assert latency["ExtendedStatistic"] == "p99"
    [rate] = [p for p in _alarms().values() if "5xx" in _metric_names(p)]
    assert any("errors / requests" in q.get("Expression", "") for q in rate["Metrics"])


def test_alarm_email_is_a_parameter_and_optional():
    tpl = load()
    assert "AlarmEmail" in tpl.raw["Parameters"]
    [subscription] = resources_of_type(tpl, "AWS::SNS::Subscription").values()
    assert subscription["Condition"] == "HasAlarmEmail"
    assert subscription["Properties"]["Endpoint"] == {"Ref": "AlarmEmail"}


def test_dashboard_is_valid_json_with_the_key_graphs():
    [dashboard] = resources_of_type(load(), "AWS::CloudWatch::Dashboard").values()
    body = dashboard["Properties"]["DashboardBody"]["Fn::Sub"]
    parsed = json.loads(re.sub(r"\$\{[^}]+\}", "x", body))
    titles = {widget["properties"]["title"] for widget in parsed["widgets"]}
    assert {"API requests and errors", "API latency", "Business events"} <= titles
    business = next(w for w in parsed["widgets"] if w["properties"]["title"] == "Business events")
    shown = {row[1] for row in business["properties"]["metrics"]}
    assert shown == set(observability.BUSINESS_METRICS)
    assert business["properties"]["metrics"][0][0] == observability.NAMESPACE


def test_logs_are_json_with_retention_and_api_access_logs():
    tpl = load()
    logging_config = globals_function(tpl)["LoggingConfig"]
    assert logging_config["LogFormat"] == "JSON"
    assert logging_config["LogGroup"] == {"Ref": "FunctionsLogGroup"}
    for group in resources_of_type(tpl, "AWS::Logs::LogGroup").values():
        assert group["Properties"]["RetentionInDays"] == {"Ref": "LogRetentionDays"}
    [api] = resources_of_type(tpl, "AWS::Serverless::HttpApi").values()
    access = api["Properties"]["AccessLogSettings"]
    assert access["DestinationArn"] == {"Fn::GetAtt": "ApiAccessLogGroup.Arn"}
    fields = json.loads(access["Format"])
    assert {"requestId", "routeKey", "status", "latencyMs"} <= set(fields)


def test_metrics_namespace_and_log_sampling_are_configured_per_stage():
    variables = globals_function(load())["Environment"]["Variables"]
    assert variables["POWERTOOLS_METRICS_NAMESPACE"] == observability.NAMESPACE
    assert variables["POWERTOOLS_SERVICE_NAME"] == observability.SERVICE
    assert variables["POWERTOOLS_LOGGER_SAMPLE_RATE"] == {"Ref": "LogSampleRate"}
