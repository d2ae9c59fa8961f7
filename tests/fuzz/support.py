"""What the fuzz tests share: the document under test, the two profiles, the identities and the checks.

Profiles (`FUZZ_PROFILE`, default `bounded`):
- `bounded` runs in every `make test`: few examples per operation, derandomized (the same cases on
  every run, so CI does not turn red by luck) and sized so that tests/fuzz takes well under 2 minutes
  on a 2-core machine;
- `long` (`FUZZ_PROFILE=long`) is the on-demand search: 10x the examples and state machine runs,
  randomized, so each run explores new inputs.
"""

from __future__ import annotations

import os
import uuid
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import Any

import schemathesis
from hypothesis import HealthCheck, Phase, settings
from schemathesis.checks import not_a_server_error
from schemathesis.core import NotSet
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from localapi import database
from tests.conftest import Client, unique
from tools.grant_role import grant

ROOT = Path(__file__).resolve().parents[2]
DOCUMENT = ROOT / "docs" / "openapi.json"

# Not fuzzed, and why:
# - DocsPageFunction (GET /api/docs) answers a fixed HTML page with no input at all; DocsAssetsFunction
#   (GET /api/docs/{asset}) serves the fixed files of the swagger-ui-py package by an enum of names:
#   nothing for a generator to vary (tests/docs covers both, ETags and 404s included).
# GraphqlFunction / GraphqlGetFunction (POST and GET /api/graphql) are fuzzed here as HTTP operations
# (bodies, content types, query strings: every answer a documented status with a GraphQL error body,
# never a 5xx), and by test_graphql.py from the GraphQL schema itself (valid queries and mutations).
EXCLUDED = ("DocsPageFunction", "DocsAssetsFunction")
GRAPHQL_PATH = "/api/graphql"

PROFILE = os.environ.get("FUZZ_PROFILE", "bounded")
if PROFILE not in ("bounded", "long"):
    raise ValueError(f"FUZZ_PROFILE={PROFILE!r}: use 'bounded' (the default) or 'long'")
LONG = PROFILE == "long"

_COMMON: dict[str, Any] = {
    "database": None,  # no .hypothesis/ directory in the work tree; failures print their example
    # Requests are slow next to Hypothesis' budget; filtering is schemathesis' own business.
    "suppress_health_check": [HealthCheck.too_slow, HealthCheck.filter_too_much, HealthCheck.data_too_large],
    "derandomize": not LONG,
    "print_blob": LONG,
}
# Per operation: the fuzzing phase's examples (the examples and coverage phases come on top).
# One request takes a few ms; moto's TransactWriteItems on a busy 2-core machine can take a few
# hundred, and POST /articles with 20 tags (20 tag heads refreshed) once took over 5 s on DynamoDB Local
# at a load average of 12-14. The deadline is the functions' own Timeout (template.yaml Globals: 10 s):
# what the runtime would answer 504 to fails here too; anything faster is the machine's load, not a hang.
OPERATION_SETTINGS = settings(max_examples=250 if LONG else 25, deadline=timedelta(seconds=10), **_COMMON)
# Whole scenarios of linked calls (create article -> get -> comment -> delete ...). Hypothesis times a
# scenario as one example, so no deadline: each request has its own 30 s timeout instead.
STATEFUL_SETTINGS = settings(
    max_examples=300 if LONG else 30,
    stateful_step_count=12,
    deadline=None,
    phases=[Phase.explicit, Phase.reuse, Phase.generate],  # shrinking a scenario costs far more than it finds
    **_COMMON,
)


@contextmanager
def own_table(runtime: Any, label: str) -> Iterator[str]:
    """A new table (from template.yaml, on the runtime's endpoint) that the local API writes to until
    the block ends; then the previous one again, and the new one is dropped."""
    from conduit.settings import get_settings

    (logical,) = runtime.table_names
    name = f"{runtime.table_names[logical]}-{label}-{uuid.uuid4().hex[:6]}"
    database.create_tables(runtime.template, runtime.endpoint, {logical: name})
    saved = os.environ.get("TABLE_NAME")
    try:
        with runtime.using_table(name):
            os.environ["TABLE_NAME"] = name  # this process's own store calls follow the functions
            get_settings.cache_clear()
            yield name
    finally:
        if saved is not None:
            os.environ["TABLE_NAME"] = saved
        get_settings.cache_clear()
        database.client(runtime.endpoint).delete_table(TableName=name)


def empty_table(runtime: Any, name: str) -> None:
    """Delete every item of a test's table (a Scan: tests only). Emptying keeps the functions' warm
    environments, where a new table is a new deployment (new environments for every function)."""
    from tests.reliability.invariants import scan

    ddb = database.client(runtime.endpoint)
    keys = [{"PK": {"S": item["PK"]}, "SK": {"S": item["SK"]}} for item in scan(runtime.endpoint, name)]
    for start in range(0, len(keys), 25):
        batch = [{"DeleteRequest": {"Key": key}} for key in keys[start : start + 25]]
        ddb.batch_write_item(RequestItems={name: batch})


def load_schema() -> Any:
    return schemathesis.openapi.from_path(str(DOCUMENT)).exclude(operation_id=list(EXCLUDED))


@dataclass(frozen=True)
class Identities:
    """`Authorization` values: a plain user's token and an admin's."""

    user: str
    admin: str

    def header(self, identity: str) -> str | None:
        """The header to send as `identity`; None: send none."""
        return {"user": self.user, "admin": self.admin}.get(identity)


# anonymous: no Authorization header; user / admin: a valid token; generated: whatever schemathesis
# generated for the Token security scheme (empty, garbage, "[Filtered]"), i.e. invalid tokens.
IDENTITY_NAMES = ("anonymous", "user", "admin", "generated")


def identity_for(case: Any) -> str:
    """Which identity sends `case`: half of the cases carry a valid token (a user's or an admin's).

    Chosen from the case's own content rather than drawn by Hypothesis, because schemathesis runs its
    coverage phase (boundary values, wrong types, probes) only for tests without extra strategies; and
    a hash keeps the choice the same when Hypothesis replays a failing case.
    """
    body = None if isinstance(case.body, NotSet) else case.body
    key = repr((case.method, case.path_parameters, case.query, body))
    return IDENTITY_NAMES[zlib.crc32(key.encode("utf-8", "surrogatepass")) % len(IDENTITY_NAMES)]


def register(client: Client, role: str) -> str:
    """A new user with `role` (user, admin); its `Authorization` value."""
    name = unique(f"fz{role}")
    body = {"user": {"username": name, "email": f"{name}@example.com", "password": "password123"}}
    response = client.post("/users", json=body)
    assert response.status_code == 201, response.text
    if role != "user":
        assert grant(name, role) == 0
    return f"Token {response.json()['user']['token']}"


def apply_identity(case: Any, identity: str, identities: Identities) -> None:
    """Set (or remove) the case's Authorization header for `identity`, in place."""
    if identity == "generated":
        return
    headers = {k: v for k, v in (case.headers or {}).items() if k.lower() != "authorization"}
    value = identities.header(identity)
    if value is not None:
        headers["Authorization"] = value
    case.headers = headers


def graphql_error_body(response: Any) -> None:
    """A GraphQL refusal: `{"errors": [{"message": ..., "extensions": {"code": ...}}, ...]}`."""
    try:
        body = response.json()
    except ValueError as exc:
        raise AssertionError(f"{response.status_code} without a JSON body: {response.text[:200]!r}") from exc
    errors = body.get("errors") if isinstance(body, dict) else None
    if not isinstance(errors, list) or not errors:
        raise AssertionError(f"{response.status_code} body is not a GraphQL error: {body!r}")
    for error in errors:
        message = error.get("message") if isinstance(error, dict) else None
        code = (error.get("extensions") or {}).get("code") if isinstance(error, dict) else None
        if not (isinstance(message, str) and message and isinstance(code, str) and code):
            raise AssertionError(f"{response.status_code} GraphQL error without message or code: {error!r}")


@schemathesis.check
def realworld_error_body(ctx: Any, response: Any, case: Any) -> bool | None:
    """Every 4xx the API answers has the RealWorld body `{"errors": {field: [message, ...]}}`, or on
    /api/graphql a GraphQL error body (graphql_error_body).

    Probes that send a method the route does not have (TRACE, QUERY, ...) never reach a function:
    API Gateway answers them itself (`{"message": "Not Found"}`), so they are not the API's errors.
    """
    if not 400 <= response.status_code < 500 or case.method.upper() != case.operation.method.upper():
        return None
    if case.operation.path == GRAPHQL_PATH:
        graphql_error_body(response)
        return None
    try:
        body = response.json()
    except ValueError as exc:
        raise AssertionError(f"{response.status_code} without a JSON body: {response.text[:200]!r}") from exc
    if not isinstance(body, dict) or set(body) != {"errors"}:
        raise AssertionError(f'{response.status_code} body is not {{"errors": ...}}: {body!r}')
    errors = body["errors"]
    if not isinstance(errors, dict) or not errors:
        raise AssertionError(f"{response.status_code} `errors` is not a non-empty object: {errors!r}")
    for field, messages in errors.items():
        if not (isinstance(field, str) and field):
            raise AssertionError(f"{response.status_code} error field is not a non-empty string: {field!r}")
        if not (isinstance(messages, list) and messages and all(isinstance(m, str) and m.strip() for m in messages)):
            raise AssertionError(
                f"{response.status_code} messages of {field!r} are not non-empty strings: {messages!r}"
            )
    return None


CHECKS = [
    not_a_server_error,
    status_code_conformance,
    response_schema_conformance,
    content_type_conformance,
    response_headers_conformance,
    realworld_error_body,
]
