"""checkov findings on template.yaml (scripts/template-checks): fixed in the template, or skipped with a reason."""

from __future__ import annotations

import re

from tests.template.helpers import globals_function, load, resources_of_type

# Skipped on every function, each with a reason true for this project (see the functions' Metadata).
FUNCTION_SKIPS = {"CKV_AWS_116", "CKV_AWS_117", "CKV_AWS_173"}
# Fixed in the template rather than skipped.
FIXED = {"CKV_AWS_115", "CKV_AWS_158"}


def _skips(resource: dict) -> list[dict]:
    return (resource.get("Metadata") or {}).get("checkov", {}).get("skip", [])


def test_every_checkov_skip_names_a_check_and_gives_a_reason():
    for name, resource in load().resources.items():
        for skip in _skips(resource):
            assert re.fullmatch(r"CKV2?_AWS_\d+", skip.get("id", "")), f"{name}: {skip}"
            assert len(str(skip.get("comment", "")).strip()) >= 20, f"{name}: {skip['id']} needs a one-line reason"
            assert skip["id"] not in FIXED, f"{name}: {skip['id']} is fixed in the template, not skipped"


def test_every_function_skips_only_the_checks_that_do_not_apply():
    tpl = load()
    for name, resource in resources_of_type(tpl, "AWS::Serverless::Function").items():
        assert {skip["id"] for skip in _skips(resource)} == FUNCTION_SKIPS, name


def test_concurrency_limit_and_log_encryption_are_template_options():
    tpl = load()
    params = tpl.raw["Parameters"]
    assert params["FunctionReservedConcurrency"]["Default"] == 0
    assert globals_function(tpl)["ReservedConcurrentExecutions"] == {
        "Fn::If": ["HasReservedConcurrency", {"Ref": "FunctionReservedConcurrency"}, {"Ref": "AWS::NoValue"}]
    }
    assert params["LogsKmsKeyArn"]["Default"] == ""
    for name, group in resources_of_type(tpl, "AWS::Logs::LogGroup").items():
        assert group["Properties"]["KmsKeyId"] == {
            "Fn::If": ["HasLogsKmsKey", {"Ref": "LogsKmsKeyArn"}, {"Ref": "AWS::NoValue"}]
        }, name
