"""The functions' environment in template.yaml: every variable it sets is one the code reads."""

from __future__ import annotations

from conduit.settings import Settings
from tests.template.helpers import globals_function, load

# Read by Powertools (conduit.observability) and the Lambda runtime, not by conduit.settings.
RUNTIME_VARIABLES = {
    "LOG_LEVEL",
    "POWERTOOLS_LOGGER_SAMPLE_RATE",
    "POWERTOOLS_METRICS_NAMESPACE",
    "POWERTOOLS_SERVICE_NAME",
}


def _declared() -> dict[str, set[str]]:
    tpl = load()
    found = {"Globals": set((globals_function(tpl).get("Environment") or {}).get("Variables") or {})}
    for name, props in tpl.functions().items():
        found[name] = set((props.get("Environment") or {}).get("Variables") or {})
    return found


def test_every_function_variable_is_a_setting():
    settings = set(Settings.variables())
    unknown = {where: names - settings - RUNTIME_VARIABLES for where, names in _declared().items()}
    assert {where: names for where, names in unknown.items() if names} == {}


def test_the_graphql_switches_reach_the_graphql_functions():
    declared = _declared()
    graphql = [name for name in declared if "Graphql" in name]
    assert graphql, "the template's GraphQL functions"
    for name in graphql:
        assert {"GRAPHIQL_ENABLED", "GRAPHQL_INTROSPECTION"} <= declared[name] | declared["Globals"], name
