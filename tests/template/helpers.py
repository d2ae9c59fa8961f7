"""What the template tests read: template.yaml (CloudFormation tags kept as {"Ref": ...}), functions/, events/."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from localapi import template as cfn
from localapi.template import Route, Template

ROOT = cfn.ROOT
FUNCTIONS_DIR = ROOT / "functions"
EVENTS_DIR = ROOT / "events"
READ_ONLY_POSTS = {"POST /api/users/login"}
# The API docs: files packaged with their functions, served with no table access and no tokens.
STATIC_ROUTES = {"GET /api/openapi.json", "GET /api/docs", "GET /api/docs/{asset}"}


def load() -> Template:
    return cfn.load()


def function_dirs() -> list[str]:
    """The HTTP functions' directories (one route each); stream consumers apart (stream_function_dirs)."""
    streams = set(stream_function_dirs())
    return sorted(
        path.name
        for path in FUNCTIONS_DIR.iterdir()
        if path.is_dir() and not path.name.startswith("__") and path.name not in streams
    )


def stream_function_dirs() -> list[str]:
    """Directories of the functions invoked by an event source, the table's stream or a queue (no route, no
    authz rule, no OpenAPI entry)."""
    functions = load().functions()
    return sorted(Path(functions[name]["CodeUri"]).name for name in event_functions(load()))


def event_functions(tpl: Template) -> set[str]:
    """Functions with no HttpApi route: consumers of the table's stream or of an SQS queue."""
    return set(tpl.functions()) - {route.function for route in tpl.routes()}


def queue_functions(tpl: Template) -> dict[str, str]:
    """Function -> the logical id of the SQS queue it consumes."""
    found = {}
    for name, props in tpl.functions().items():
        for event in (props.get("Events") or {}).values():
            if event.get("Type") == "SQS":
                target = event["Properties"]["Queue"]["Fn::GetAtt"]
                found[name] = target[0] if isinstance(target, list) else target.split(".")[0]
    return found


def resources_of_type(tpl: Template, kind: str) -> dict[str, dict[str, Any]]:
    return {name: res for name, res in tpl.resources.items() if res.get("Type") == kind}


def globals_function(tpl: Template) -> dict[str, Any]:
    return tpl.raw.get("Globals", {}).get("Function", {})


def effective(tpl: Template, function: str, key: str) -> Any:
    """A function property as SAM resolves it: the function's own value, else the Globals one."""
    props = tpl.functions()[function]
    return props[key] if key in props else globals_function(tpl).get(key)


def effective_layers(tpl: Template, function: str) -> list[Any]:
    """SAM concatenates Globals Layers with the function's own."""
    return [*(globals_function(tpl).get("Layers") or []), *(tpl.functions()[function].get("Layers") or [])]


def routes_by_dir(tpl: Template) -> dict[str, list[Route]]:
    found: dict[str, list[Route]] = {}
    for route in tpl.routes():
        found.setdefault(route.code_dir.name, []).append(route)
    return found


def is_static(route: Route) -> bool:
    return route.route_key in STATIC_ROUTES


def is_read_only(route: Route) -> bool:
    return route.method == "GET" or route.route_key in READ_ONLY_POSTS


def policy_refs(tpl: Template, function: str) -> list[str]:
    """Names of the template resources a function's Policies reference with !Ref."""
    return [p["Ref"] for p in tpl.functions()[function].get("Policies") or [] if isinstance(p, dict) and "Ref" in p]


def policy_statements(tpl: Template, function: str) -> list[dict[str, Any]]:
    """Every statement of a function's Policies: its managed policies' (!Ref) and its inline documents'."""
    statements: list[dict[str, Any]] = []
    for policy in tpl.functions()[function].get("Policies") or []:
        if isinstance(policy, dict) and "Ref" in policy:
            document = tpl.resources[policy["Ref"]]["Properties"]["PolicyDocument"]
        elif isinstance(policy, dict) and "Statement" in policy:
            document = policy
        else:
            raise AssertionError(f"{function}: {policy!r} is neither a managed policy nor a policy document")
        found = document["Statement"]
        statements.extend(found if isinstance(found, list) else [found])
    return statements


TABLE = "table"


def table_resource(resource: Any) -> str:
    """A policy Resource on the Conduit table, resolved: "table" (its ARN) or "index/<name>" (an index ARN)."""
    if resource == {"Fn::GetAtt": "ConduitTable.Arn"}:
        return TABLE
    sub = resource.get("Fn::Sub") if isinstance(resource, dict) else None
    prefix = "${ConduitTable.Arn}/index/"
    if isinstance(sub, str) and sub.startswith(prefix):
        return f"index/{sub.removeprefix(prefix)}"
    raise AssertionError(f"not a resource of the Conduit table: {resource!r}")


def table_grants(tpl: Template, function: str) -> set[tuple[str, str]]:
    """(DynamoDB action, resolved resource) pairs its policies allow, e.g. ("dynamodb:Query", "index/ByKind")."""
    grants: set[tuple[str, str]] = set()
    for statement in policy_statements(tpl, function):
        actions = statement["Action"] if isinstance(statement["Action"], list) else [statement["Action"]]
        dynamodb = [action for action in actions if action.lower().startswith("dynamodb:")]
        if not dynamodb:
            continue
        assert statement["Effect"] == "Allow" and "Condition" not in statement, f"{function}: {statement}"
        resources = statement["Resource"] if isinstance(statement["Resource"], list) else [statement["Resource"]]
        grants |= {(action, table_resource(resource)) for action in dynamodb for resource in resources}
    return grants


def event(function_dir: str) -> dict[str, Any]:
    return json.loads((EVENTS_DIR / f"{function_dir}.json").read_text(encoding="utf-8"))


def event_path(function_dir: str) -> Path:
    return EVENTS_DIR / f"{function_dir}.json"
