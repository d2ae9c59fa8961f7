"""Routes, handlers and sample events agree with each other."""

from __future__ import annotations

import importlib.util
import json
from urllib.parse import parse_qsl

import pytest

from tests.template.helpers import (
    EVENTS_DIR,
    FUNCTIONS_DIR,
    event,
    function_dirs,
    load,
    queue_functions,
    routes_by_dir,
    stream_function_dirs,
)

REALWORLD_ROUTES = 19


def _import_app(function_dir: str) -> object:
    path = FUNCTIONS_DIR / function_dir / "app.py"
    spec = importlib.util.spec_from_file_location(f"template_test_{function_dir}", path)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_there_is_one_function_directory_per_endpoint():
    assert len(function_dirs()) + len(stream_function_dirs()) == len(load().functions())
    assert len(function_dirs()) >= REALWORLD_ROUTES


def test_every_template_function_has_exactly_one_http_api_route():
    tpl = load()
    per_function: dict[str, int] = {}
    for route in tpl.routes():
        per_function[route.function] = per_function.get(route.function, 0) + 1
    streams = {name for name, _ in tpl.stream_functions()} | set(queue_functions(tpl))
    assert per_function == dict.fromkeys(set(tpl.functions()) - streams, 1)


def test_route_keys_are_unique():
    keys = [route.route_key for route in load().routes()]
    assert len(keys) == len(set(keys)) >= REALWORLD_ROUTES


def test_every_decorated_handler_names_its_template_route_and_rule():
    from conduit import authz

    routes = {route.route_key: route for route in load().routes()}
    decorated = set()
    for route in routes.values():
        handler = _import_app(route.code_dir.name).handler
        declared = getattr(handler, "endpoint_route", None)
        if declared is None:
            continue  # not an `endpoint` handler (e.g. static docs)
        assert declared == route.route_key, route.function
        decorated.add(declared)
    assert set(authz.RULES) == decorated, "every authorization rule belongs to exactly one deployed route"


def test_every_route_maps_to_an_app_py_with_a_callable_handler():
    for route in load().routes():
        module_name, _, attribute = route.handler.rpartition(".")
        assert module_name == "app", route
        assert route.code_dir.parent == FUNCTIONS_DIR, f"{route.function}: CodeUri outside functions/"
        assert (route.code_dir / "app.py").is_file(), f"{route.function}: no {route.code_dir}/app.py"
        module = _import_app(route.code_dir.name)
        assert callable(getattr(module, attribute, None)), f"{route.function}: app.{attribute} is not callable"


def test_every_function_directory_has_exactly_one_route():
    by_dir = routes_by_dir(load())
    assert sorted(by_dir) == function_dirs()
    assert {name: len(routes) for name, routes in by_dir.items()} == dict.fromkeys(function_dirs(), 1)


def test_every_function_directory_has_an_event_file():
    assert sorted(p.stem for p in EVENTS_DIR.glob("*.json")) == sorted(function_dirs() + stream_function_dirs())


@pytest.mark.parametrize("function_dir", function_dirs())
def test_event_matches_its_route(function_dir):
    (route,) = routes_by_dir(load())[function_dir]
    ev = event(function_dir)
    ctx = ev["requestContext"]

    assert ev["version"] == "2.0"
    assert ev["routeKey"] == ctx["routeKey"] == route.route_key
    assert ctx["http"]["method"] == route.method
    assert ctx["http"]["path"] == ev["rawPath"]
    matched = route.pattern.match(ev["rawPath"])
    assert matched, f"{ev['rawPath']} does not match {route.path}"
    assert ev.get("pathParameters", {}) == matched.groupdict()

    assert ctx["stage"] == "$default"
    for key in ("accountId", "apiId", "domainName", "requestId", "time"):
        assert isinstance(ctx[key], str) and ctx[key], key
    assert isinstance(ctx["timeEpoch"], int)
    assert ctx["http"]["protocol"] == "HTTP/1.1"
    assert ctx["http"]["sourceIp"] and ctx["http"]["userAgent"]
    assert ev["isBase64Encoded"] is False

    headers = ev["headers"]
    assert all(name == name.lower() for name in headers), "API Gateway lowercases header names"
    assert headers["host"] == ctx["domainName"]
    assert headers["user-agent"] == ctx["http"]["userAgent"]

    query = dict(parse_qsl(ev["rawQueryString"], keep_blank_values=True))
    assert ev.get("queryStringParameters", {}) == query

    if "body" in ev:
        assert route.method in {"POST", "PUT"} or route.route_key == "DELETE /api/user"  # its current password
        assert headers["content-type"] == "application/json"
        assert isinstance(json.loads(ev["body"]), dict)
        assert int(headers["content-length"]) == len(ev["body"].encode("utf-8"))
    else:
        assert "content-type" not in headers
