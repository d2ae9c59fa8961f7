"""The one settings object (conduit.settings): each setting declared once, with its variable and default."""

from __future__ import annotations

import os
import re
from dataclasses import fields
from pathlib import Path

import pytest

from conduit.settings import Settings
from tests.unit.conftest import unset_settings_environment
from tests.unit.helpers import TEST_SECRET


def test_every_setting_names_its_variables_once():
    variables = Settings.variables()
    assert len(variables) == len(set(variables)), "one variable, one setting"
    assert all(declared.metadata["env"] for declared in fields(Settings))
    assert {"FEED_MODE", "TABLE_NAME", "AWS_DEFAULT_REGION", "GRAPHQL_MAX_COST", "GRAPHIQL_ENABLED"} <= set(variables)


def test_graphql_settings_live_in_the_settings_object():
    defaults = Settings.from_env({})
    assert (defaults.graphiql, defaults.graphql_introspection) == (True, True)
    limits = (defaults.graphql_max_depth, defaults.graphql_max_tokens, defaults.graphql_max_aliases)
    assert (*limits, defaults.graphql_max_cost) == (8, 2000, 15, 2500)
    chosen = Settings.from_env({"GRAPHIQL_ENABLED": "off", "GRAPHQL_INTROSPECTION": "False", "GRAPHQL_MAX_COST": " 9 "})
    assert (chosen.graphiql, chosen.graphql_introspection, chosen.graphql_max_cost) == (False, False, 9)
    assert Settings.from_env({"GRAPHQL_INTROSPECTION": "maybe"}).graphql_introspection is True, "unknown: default"


@pytest.mark.parametrize(
    ("env", "expected"),
    [
        ({}, "us-east-1"),
        ({"AWS_DEFAULT_REGION": "eu-west-1"}, "eu-west-1"),
        ({"AWS_REGION": "", "AWS_DEFAULT_REGION": "eu-west-1"}, "eu-west-1"),
        ({"AWS_REGION": "ap-south-1", "AWS_DEFAULT_REGION": "eu-west-1"}, "ap-south-1"),
    ],
)
def test_region_is_the_first_variable_set(env, expected):
    assert Settings.from_env(env).region == expected


def test_values_are_parsed_as_before():
    settings = Settings.from_env(
        {"TABLE_NAME": "t", "FEED_MODE": " fan-out ", "APP_URL": "https://app.example/", "JWT_SECRET": ""}
    )
    assert (settings.table_name, settings.feed_mode, settings.app_url) == ("t", "fan-out", "https://app.example")
    assert settings.jwt_secret is None, "blank is unset"
    defaults = Settings.from_env({"PAGE_LIMIT_MAX": " ", "REQUIRE_VERIFIED_EMAIL": "yes"})
    assert (defaults.table_name, defaults.feed_mode, defaults.page_limit_max) == ("conduit", "read-merge", 100)
    assert defaults.require_verified_email is False, "only 'true' turns it on"


def test_unit_tests_start_from_the_defaults(monkeypatch):
    # Whatever the outer environment sets (FEED_MODE was once missing from a hand-kept list here)...
    monkeypatch.setenv("FEED_MODE", "fan-out")
    monkeypatch.setenv("GRAPHQL_MAX_COST", "1")
    unset_settings_environment(monkeypatch)
    assert {name for name in Settings.variables() if name in os.environ} == set()
    assert Settings.from_env() == Settings.from_env({})


def test_this_unit_test_sees_only_the_fixture_environment():
    fixture = {"JWT_SECRET": TEST_SECRET, "ARGON2_TIME_COST": "1", "ARGON2_MEMORY_KIB": "1024"}
    fixture["AWS_REGION"] = "us-east-1"
    assert Settings.from_env() == Settings.from_env(fixture)


def test_the_readme_configuration_table_names_every_variable():
    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8")
    section = readme.split("\n## Configuration\n", 1)[1].split("\n## ", 1)[0]
    rows = [line for line in section.splitlines() if line.startswith("| `")]
    documented = {name for row in rows for name in re.findall(r"`([A-Z][A-Z0-9_]+)`", row.split(" | ")[0])}
    assert set(Settings.variables()) - documented == set()
