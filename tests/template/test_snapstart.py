"""SnapStart and provisioned concurrency: template options, off by default, never both."""

from __future__ import annotations

from typing import Any

import pytest

from tests.template.helpers import globals_function, load

HOT = {"ArticlesListFunction", "ArticleGetFunction"}


def evaluate(node: Any, parameters: dict[str, str]) -> Any:
    """The few intrinsics the template's Rules and Conditions use, on string parameter values."""
    if isinstance(node, dict) and len(node) == 1:
        ((name, value),) = node.items()
        if name == "Ref":
            return parameters[value]
        if name == "Fn::Equals":
            left, right = (evaluate(part, parameters) for part in value)
            return str(left) == str(right)
        if name == "Fn::Not":
            return not evaluate(value[0], parameters)
    return node


def defaults(**overrides: str) -> dict[str, str]:
    found = {name: str(p.get("Default", "")) for name, p in load().raw["Parameters"].items()}
    return {**found, **overrides}


def rule_holds(parameters: dict[str, str]) -> bool:
    return all(
        not evaluate(rule["RuleCondition"], parameters)
        or all(evaluate(assertion["Assert"], parameters) for assertion in rule["Assertions"])
        for rule in load().raw["Rules"].values()
    )


def test_snapstart_is_off_by_default_and_applies_to_published_versions_when_on():
    tpl = load()
    parameter = tpl.raw["Parameters"]["SnapStart"]
    assert parameter["Default"] == "None" and set(parameter["AllowedValues"]) == {"None", "PublishedVersions"}
    fn = globals_function(tpl)
    assert fn["SnapStart"] == {"ApplyOn": {"Ref": "SnapStart"}}
    assert fn["AutoPublishAlias"] == "live"  # SnapStart applies to published versions only
    assert not any("SnapStart" in props for props in tpl.functions().values()), "set in Globals only"


def test_provisioned_concurrency_is_off_by_default_and_only_on_the_hottest_routes():
    tpl = load()
    assert tpl.raw["Parameters"]["ProvisionedConcurrency"]["Default"] == 0
    with_config = {name for name, props in tpl.functions().items() if "ProvisionedConcurrencyConfig" in props}
    assert with_config == HOT
    condition = tpl.raw["Conditions"]["HasProvisionedConcurrency"]
    assert evaluate(condition, defaults()) is False
    assert evaluate(condition, defaults(ProvisionedConcurrency="2")) is True
    for name in HOT:
        config = tpl.functions()[name]["ProvisionedConcurrencyConfig"]["Fn::If"]
        assert config[0] == "HasProvisionedConcurrency"
        assert config[1] == {"ProvisionedConcurrentExecutions": {"Ref": "ProvisionedConcurrency"}}
        assert config[2] == {"Ref": "AWS::NoValue"}


@pytest.mark.parametrize(
    ("snapstart", "provisioned", "accepted"),
    [("None", "0", True), ("PublishedVersions", "0", True), ("None", "3", True), ("PublishedVersions", "3", False)],
)
def test_snapstart_and_provisioned_concurrency_are_never_both_on(snapstart, provisioned, accepted):
    assert rule_holds(defaults(SnapStart=snapstart, ProvisionedConcurrency=provisioned)) is accepted
