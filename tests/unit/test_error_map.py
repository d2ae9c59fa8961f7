"""Domain errors carry no HTTP status; one table (conduit.http.error_map) gives REST and GraphQL theirs.

The store and the services speak in domain errors only: they import nothing of the HTTP edge and
raise no error that knows its status (checked over their source, so a new module is covered too).
"""

from __future__ import annotations

import ast
import inspect
from pathlib import Path

import pytest

from conduit import errors
from conduit.graphql.errors import api_error_extensions
from conduit.http import error_map

LAYER = Path(errors.__file__).parent
DOMAIN_PACKAGES = ("store", "services")
HTTP_MODULES = ("http", "http.client", "conduit.http", "conduit.graphql", "starlette", "strawberry")
STATUS_NAMES = {"status", "status_code", "http_status", "statusCode"}

DOMAIN_ERRORS = [
    cls for name, cls in vars(errors).items() if inspect.isclass(cls) and issubclass(cls, errors.DomainError)
]


def domain_modules() -> list[Path]:
    return sorted(path for package in DOMAIN_PACKAGES for path in (LAYER / package).rglob("*.py"))


@pytest.mark.parametrize("cls", DOMAIN_ERRORS, ids=lambda cls: cls.__name__)
def test_every_domain_error_has_its_own_row_and_no_status(cls):
    assert cls in error_map.TABLE
    assert not STATUS_NAMES & {name for klass in cls.__mro__ for name in vars(klass)}


def test_the_table_lists_only_domain_errors():
    assert set(error_map.TABLE) == set(DOMAIN_ERRORS)


def test_an_error_defined_elsewhere_takes_its_nearest_base_row():
    class Gone(errors.ArticleNotFound):
        pass

    assert error_map.status_of(Gone()) == 404
    assert error_map.code_of(Gone()) == "NOT_FOUND"


@pytest.mark.parametrize("path", domain_modules(), ids=lambda path: f"{path.parent.name}/{path.name}")
def test_store_and_services_know_nothing_of_http(path):
    tree = ast.parse(path.read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            imported = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module:
            imported = [node.module] + [f"{node.module}.{alias.name}" for alias in node.names]
            if node.module == "conduit":
                imported += [f"conduit.{alias.name}" for alias in node.names]
        elif isinstance(node, ast.ClassDef):
            statuses = [
                target.id
                for statement in node.body
                if isinstance(statement, ast.Assign | ast.AnnAssign)
                for target in (statement.targets if isinstance(statement, ast.Assign) else [statement.target])
                if isinstance(target, ast.Name) and target.id in STATUS_NAMES
            ]
            assert not statuses, f"{path.name}: class {node.name} carries {statuses}"
            continue
        else:
            continue
        for name in imported:
            assert not any(name == module or name.startswith(module + ".") for module in HTTP_MODULES), (
                f"{path.name}:{node.lineno} imports {name}"
            )


@pytest.mark.parametrize(
    ("error", "code"),
    [
        (errors.TokenMissing(), "UNAUTHENTICATED"),
        (errors.UserSuspended(), "UNAUTHENTICATED"),
        (errors.NotAuthor("comment"), "FORBIDDEN"),
        (errors.AdminOnly(), "FORBIDDEN"),
        (errors.CommentNotFound(), "NOT_FOUND"),
        (errors.UsernameTaken(), "CONFLICT"),
        (errors.RequestInProgress(), "CONFLICT"),
        (errors.InvalidInput("limit", "must be at least 1"), "BAD_USER_INPUT"),
        (errors.PayloadTooLarge("body", "is too large"), "BAD_USER_INPUT"),
        (errors.BodyNotJson("body", "must be JSON"), "BAD_REQUEST"),
        (errors.DomainError("field", "is odd"), "BAD_REQUEST"),
    ],
)
def test_graphql_codes_come_from_the_same_table(error, code):
    assert api_error_extensions(error) == {"code": code, "errors": error.errors}
    assert error_map.code_of(error) == code


@pytest.mark.parametrize(
    ("error", "code", "retry"),
    [(errors.RateLimited(17), "RATE_LIMITED", 17), (errors.StorageUnavailable(), "UNAVAILABLE", 1)],
)
def test_graphql_says_when_to_retry(error, code, retry):
    assert api_error_extensions(error) == {"code": code, "errors": error.errors, "retryAfter": retry}


@pytest.mark.parametrize("old", ["ApiError", "Unauthorized", "Unprocessable", "ServiceUnavailable", "missing_token"])
def test_the_old_status_named_errors_are_gone(old):
    # Each error has one (domain) name; an alias would let HTTP words back into the layer.
    assert not hasattr(errors, old)


def test_both_edges_log_an_unavailable_dependency_as_a_warning(caplog):
    import logging

    from graphql import GraphQLError

    from conduit.graphql.errors import log_unexpected
    from conduit.http.responses import error_response

    unavailable = errors.StorageUnavailable()
    unavailable.__cause__ = ConnectionError("dynamodb unreachable")
    with caplog.at_level(logging.WARNING):
        assert error_response(unavailable, "req-1")["statusCode"] == 503
        log_unexpected([GraphQLError("x", original_error=unavailable), GraphQLError("syntax")])
    warnings = [r for r in caplog.records if r.getMessage() == "dependency unavailable"]
    assert [r.levelno for r in warnings] == [logging.WARNING, logging.WARNING]
    assert all("dynamodb unreachable" in r.cause for r in warnings)
