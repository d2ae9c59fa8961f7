"""docs/openapi.json: generated from the code, current, a valid OpenAPI 3.1 document, every route of
the template, and a superset of the RealWorld API spec (paths, status codes, required properties)."""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import urlsplit

import pytest
from openapi_spec_validator import OpenAPIV31SpecValidator, validate

from apidocs import generate
from localapi import template
from tests.docs.helpers import DOCUMENT, SERVED_COPY, committed, operations, realworld, resolve


@pytest.fixture(scope="module")
def generated_text() -> str:
    return generate.render(generate.build())


# (a) drift
def test_the_committed_document_is_what_the_generator_writes(generated_text):
    assert DOCUMENT.read_text(encoding="utf-8") == generated_text, "stale: run .venv/bin/python -m apidocs"


def test_the_served_copy_is_byte_identical_to_the_committed_document():
    assert SERVED_COPY.read_bytes() == DOCUMENT.read_bytes(), "stale: run .venv/bin/python -m apidocs"


def test_the_generator_is_deterministic(generated_text):
    assert generate.render(generate.build()) == generated_text
    assert generated_text.endswith("}\n") and not generated_text.endswith("\n\n")
    assert generated_text.splitlines()[1].startswith('  "'), "2-space indent"


def test_check_mode_reports_nothing_stale():
    assert generate.main(["--check"]) == 0


# (b) routes
def test_every_template_route_is_documented_and_nothing_else():
    documented = {key: op["operationId"] for key, op in operations(committed()).items()}
    expected = {(route.method, route.path): route.function for route in template.load().routes()}
    assert documented == expected


def test_auth_and_success_status_come_from_the_handlers():
    ops = operations(committed())
    table = generate._operations()
    decorated = 0
    for route in template.load().routes():
        _, handler = generate.load_handler(route)
        op = ops[(route.method, route.path)]
        auth = getattr(handler, "endpoint_auth", table[route.code_dir.name].auth)
        status = str(getattr(handler, "endpoint_status", 200))
        assert min(code for code in op["responses"] if code < "300") == status, route.route_key
        expected_security = {"required": [{"Token": []}], "optional": [{"Token": []}, {}], "none": None}[auth]
        assert op.get("security") == expected_security, route.route_key
        if hasattr(handler, "endpoint_auth"):
            decorated += 1
            assert "503" in op["responses"], route.route_key
            if auth != "none":
                assert "401" in op["responses"], route.route_key
    assert decorated >= 19


def test_path_parameters_match_the_route_templates():
    doc = committed()
    for (method, path), op in operations(doc).items():
        declared = (resolve(doc, parameter) for parameter in op.get("parameters", []))
        names = {parameter["name"] for parameter in declared if parameter["in"] == "path"}
        assert names == set(re.findall(r"\{(\w+)\}", path)), (method, path)


def test_list_endpoints_document_their_query_parameters():
    doc = committed()
    ops = operations(doc)

    def query(key: tuple[str, str]) -> set[str]:
        found = (resolve(doc, p) for p in ops[key].get("parameters", []))
        return {p["name"] for p in found if p["in"] == "query"}

    assert query(("GET", "/api/articles")) == {"tag", "author", "favorited", "limit", "offset"}
    assert query(("GET", "/api/articles/feed")) == {"limit", "offset"}
    assert query(("GET", "/api/articles/{slug}/comments")) == {"limit", "offset", "after"}


def test_every_status_the_graphql_functions_answer_is_documented():
    """issue 13, row 10: GET/POST /api/graphql answered 400 (and GET 404) with GraphQL error bodies
    that the document did not list."""
    ops = operations(committed())
    assert set(ops[("POST", "/api/graphql")]["responses"]) == {"200", "400", "413"}
    assert set(ops[("GET", "/api/graphql")]["responses"]) == {"200", "400", "404"}
    error = committed()["components"]["schemas"]["GraphQLErrorResponse"]
    assert error["required"] == ["errors"]


def test_page_caps_in_the_document_are_the_codes():
    from conduit.services import paging

    parameters = committed()["components"]["parameters"]
    assert f"at most {paging.ARTICLES_PAGE_MAX}" in parameters["limit"]["description"]
    assert f"at most {paging.COMMENTS_PAGE_MAX}" in parameters["commentsLimit"]["description"]
    assert parameters["commentsOffset"]["schema"]["maximum"] == paging.COMMENTS_OFFSET_MAX


def test_bodies_and_errors_use_the_shared_components():
    doc = committed()
    schemas = doc["components"]["schemas"]
    assert doc["components"]["securitySchemes"]["Token"] == {
        **doc["components"]["securitySchemes"]["Token"],
        "type": "apiKey",
        "in": "header",
        "name": "Authorization",
    }
    error = resolve(doc, schemas["GenericErrorModel"])
    assert error["required"] == ["errors"]
    assert error["properties"]["errors"]["additionalProperties"] == {"items": {"type": "string"}, "type": "array"}
    for (method, path), op in operations(doc).items():
        for code, response in op["responses"].items():
            if code >= "400":
                body = resolve(doc, response)["content"]["application/json"]["schema"]
                model = "GraphQLErrorResponse" if path == "/api/graphql" else "GenericErrorModel"
                assert body == {"$ref": f"#/components/schemas/{model}"}, (method, path, code)
        if "requestBody" in op and "503" in op["responses"]:  # the `endpoint` decorator's handlers
            assert {"413", "422"} <= set(op["responses"]), (method, path)
    ops = operations(doc)
    assert ops[("POST", "/api/users")]["requestBody"]["content"]["application/json"]["schema"] == {
        "$ref": "#/components/schemas/RegisterBody"
    }
    assert "409" in ops[("POST", "/api/users")]["responses"]
    assert {"403", "404"} <= set(ops[("DELETE", "/api/articles/{slug}")]["responses"])


def test_info_and_servers():
    doc = committed()
    assert doc["openapi"].startswith("3.1.")
    assert doc["info"]["title"] == "Conduit API"
    assert doc["info"]["version"] == generate._version()
    assert doc["servers"][0]["url"] == "/", "paths carry /api: the document's own host is the server"


# (c) the RealWorld spec
def _realworld_prefix() -> str:
    return urlsplit(realworld()["servers"][0]["url"]).path.rstrip("/")


def _realworld_operations() -> list[tuple[str, str, dict[str, Any]]]:
    return [(method, path, op) for (method, path), op in operations(realworld()).items()]


def test_the_realworld_spec_is_read():
    assert _realworld_prefix() == "/api"
    assert len(_realworld_operations()) == 19


def test_every_realworld_operation_exists_with_its_success_status_and_auth():
    ours = operations(committed())
    for method, path, rw_op in _realworld_operations():
        key = (method, _realworld_prefix() + path)
        assert key in ours, key
        success = {code for code in rw_op["responses"] if str(code).startswith("2")}
        assert {code for code in ours[key]["responses"] if code.startswith("2")} == success, key
        if rw_op.get("security") and {} not in rw_op["security"]:
            assert ours[key].get("security") == [{"Token": []}], key
        else:
            assert ours[key].get("security") in (None, [{"Token": []}, {}]), key


def _types(document: dict[str, Any], schema: dict[str, Any]) -> set[str]:
    schema = resolve(document, schema)
    if "anyOf" in schema:
        return set().union(*(_types(document, branch) for branch in schema["anyOf"]))
    kind = schema.get("type")
    return set(kind) if isinstance(kind, list) else {kind} if kind else set()


def _main_branch(document: dict[str, Any], schema: dict[str, Any]) -> dict[str, Any]:
    """The non-null branch of a nullable schema."""
    schema = resolve(document, schema)
    for branch in schema.get("anyOf", []):
        branch = resolve(document, branch)
        if branch.get("type") != "null":
            return branch
    return schema


def _differences(rw: dict[str, Any], ours: dict[str, Any], where: str) -> list[str]:
    """Where our schema lacks a property, a required name, a type or a format that RealWorld's has."""
    rw_doc, our_doc = realworld(), committed()
    rw_types, our_types = _types(rw_doc, rw), _types(our_doc, ours)
    if rw_types != our_types:
        return [f"{where}: type {sorted(rw_types)} != ours {sorted(our_types)}"]
    rw, ours = _main_branch(rw_doc, rw), _main_branch(our_doc, ours)
    found = []
    if rw.get("format") not in (None, "password") and rw.get("format") != ours.get("format"):
        found.append(f"{where}: format {rw['format']} != ours {ours.get('format')}")
    if "object" in rw_types:
        missing = sorted(set(rw.get("required", [])) - set(ours.get("required", [])))
        if missing:
            found.append(f"{where}: not required in ours: {missing}")
        for name, sub in rw.get("properties", {}).items():
            if name not in ours.get("properties", {}):
                found.append(f"{where}.{name}: missing in ours")
            else:
                found += _differences(sub, ours["properties"][name], f"{where}.{name}")
        if isinstance(rw.get("additionalProperties"), dict):
            found += _differences(rw["additionalProperties"], ours.get("additionalProperties") or {}, f"{where}.*")
    if "array" in rw_types:
        found += _differences(rw["items"], ours.get("items", {}), f"{where}[]")
    return found


def _json_schema(document: dict[str, Any], holder: dict[str, Any]) -> dict[str, Any] | None:
    content = resolve(document, holder).get("content") or {}
    return content["application/json"]["schema"] if "application/json" in content else None


def test_request_and_response_schemas_have_every_realworld_property():
    ours = operations(committed())
    problems: list[str] = []
    compared = 0
    for method, path, rw_op in _realworld_operations():
        our_op = ours[(method, _realworld_prefix() + path)]
        where = f"{method} {path}"
        if "requestBody" in rw_op:
            assert "requestBody" in our_op, where
            problems += _differences(
                _json_schema(realworld(), rw_op["requestBody"]),
                _json_schema(committed(), our_op["requestBody"]),
                f"{where} request",
            )
            compared += 1
        for code, response in rw_op["responses"].items():
            rw_schema = _json_schema(realworld(), response)
            if rw_schema is None or not str(code).startswith("2"):
                continue
            our_schema = _json_schema(committed(), our_op["responses"][str(code)])
            assert our_schema is not None, f"{where} {code}: no JSON body in ours"
            problems += _differences(rw_schema, our_schema, f"{where} {code}")
            compared += 1
    assert problems == []
    assert compared == 6 + 17  # request bodies + JSON success bodies (the two deletes answer 204)


def test_the_comparison_catches_a_missing_required_property():
    """Guards the test above: dropping `body` from our single article is reported."""
    article = resolve(committed(), {"$ref": "#/components/schemas/ArticleView"})
    rw_article = realworld()["components"]["schemas"]["Article"]
    weakened = {**article, "required": [name for name in article["required"] if name != "body"]}
    assert _differences(rw_article, weakened, "Article") == ["Article: not required in ours: ['body']"]
    assert {"slug", "title", "description", "body", "tagList", "createdAt", "updatedAt"} <= set(article["required"])
    assert {"favorited", "favoritesCount", "author"} <= set(article["required"])


def test_error_schema_matches_realworlds_generic_error_model():
    rw = realworld()["components"]["schemas"]["GenericErrorModel"]
    ours = {"$ref": "#/components/schemas/GenericErrorModel"}
    assert _differences(rw, ours, "GenericErrorModel") == []


# (d) OpenAPI validity
def test_the_document_is_a_valid_openapi_31_document():
    document = committed()
    validate(document, cls=OpenAPIV31SpecValidator)


def test_the_validator_rejects_a_broken_document():
    broken = committed()
    broken["paths"]["/api/tags"]["get"]["responses"] = {"200": {"content": {}}}  # a response needs a description
    with pytest.raises(Exception, match="description"):
        validate(broken, cls=OpenAPIV31SpecValidator)
