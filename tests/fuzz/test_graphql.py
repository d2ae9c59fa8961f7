"""Property-based fuzzing of the GraphQL schema itself (issue 13, row 9): schemathesis builds valid
queries and mutations from the schema's SDL (every root field, its arguments, nested selections) and
POSTs them to /api/graphql as anonymous, a plain user and an admin. Each answer must be a GraphQL
result: no 5xx, JSON, and no error coded INTERNAL_SERVER_ERROR (a resolver's bug, masked for clients
but a failure here). The HTTP-level fuzzing of the same operations (bodies, content types, query
strings) is test_operations.py, from docs/openapi.json.
"""

from __future__ import annotations

from typing import Any

import requests
import schemathesis

from tests.fuzz.support import GRAPHQL_PATH, OPERATION_SETTINGS, Identities, identity_for


def _sdl() -> str:
    from conduit.graphql.asgi import schema_for
    from conduit.settings import Settings

    return schema_for(Settings.from_env()).as_str()


schema = schemathesis.graphql.from_file(_sdl())
_session = requests.Session()


@schemathesis.check
def no_internal_errors(ctx: Any, response: Any, case: Any) -> bool | None:
    """(schemathesis' own not_a_server_error counts any GraphQL error as the server's: an
    UNAUTHENTICATED or NOT_FOUND answer is the API working.)"""
    assert response.status_code == 200, (response.status_code, response.text[:300])
    body = response.json()
    assert isinstance(body, dict) and ("data" in body or "errors" in body), body
    codes = [(e.get("extensions") or {}).get("code") for e in body.get("errors") or []]
    assert "INTERNAL_SERVER_ERROR" not in codes, body
    assert all(codes), f"an error without extensions.code: {body}"
    return None


@schema.parametrize()
@OPERATION_SETTINGS
def test_graphql_operation(case: Any, base_url: str, identities: Identities) -> None:
    identity = identity_for(case)
    headers = {k: v for k, v in (case.headers or {}).items() if k.lower() != "authorization"}
    token = identities.header(identity)
    if token is not None:
        headers["Authorization"] = token
    case.headers = headers
    response = case.call(base_url=f"{base_url}{GRAPHQL_PATH}", session=_session, timeout=30)
    case.validate_response(response, checks=[no_internal_errors], excluded_checks=[_server_error_check()])


def _server_error_check() -> Any:
    from schemathesis.checks import not_a_server_error

    return not_a_server_error
