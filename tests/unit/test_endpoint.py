"""The endpoint decorator: authentication modes, status codes, error mapping and what gets logged."""

from __future__ import annotations

import json
import logging
import time
from typing import Any

import jwt
import pytest

from conduit.errors import ArticleNotFound, NotAuthor, Unavailable
from conduit.http import Request, endpoint
from conduit.http.responses import JSON_TYPE
from conduit.security.tokens import issue_token
from conduit.validation import LoginBody, RegisterBody
from tests.unit.helpers import TEST_SECRET, build_event

seen: list[Request] = []


def record_request(request: Request) -> dict[str, Any]:
    seen.append(request)
    return {"viewer": request.viewer}


@pytest.fixture(autouse=True)
def forget_requests():
    seen.clear()
    yield
    seen.clear()


def body_of(response: dict[str, Any]) -> Any:
    return json.loads(response["body"])


# --- statuses and payloads -------------------------------------------------------------------------------


def test_payload_is_returned_as_json():
    handler = endpoint("GET /test/none")(lambda request: {"tags": ["a", "b"]})
    response = handler(build_event(), None)
    assert response["statusCode"] == 200
    assert response["headers"]["content-type"] == JSON_TYPE
    assert body_of(response) == {"tags": ["a", "b"]}


def test_custom_status():
    handler = endpoint("GET /test/none", status=201)(lambda request: {"created": True})
    assert handler(build_event(), None)["statusCode"] == 201


def test_204_has_an_empty_body():
    handler = endpoint("GET /test/none", status=204)(lambda request: None)
    response = handler(build_event(method="DELETE"), None)
    assert response["statusCode"] == 204
    assert response["body"] == ""


def test_context_is_optional_and_name_is_kept():
    def get_tags(request: Request) -> dict[str, Any]:
        return {"tags": []}

    handler = endpoint("GET /test/none")(get_tags)
    assert handler.__name__ == "get_tags"
    assert handler(build_event())["statusCode"] == 200


def test_story_receives_the_parsed_request():
    handler = endpoint("GET /test/none")(record_request)
    handler(build_event(method="POST", path="/api/x", query={"limit": "3"}, path_params={"slug": "s"}), None)
    [request] = seen
    assert (request.method, request.path, request.query, request.path_param("slug")) == (
        "POST",
        "/api/x",
        {"limit": "3"},
        "s",
    )


# --- authentication --------------------------------------------------------------------------------------


def test_required_auth_without_token_is_401_missing():
    handler = endpoint("GET /test/required")(record_request)
    response = handler(build_event(), None)
    assert response["statusCode"] == 401
    assert response["headers"]["content-type"] == JSON_TYPE
    assert body_of(response) == {"errors": {"token": ["is missing"]}}
    assert seen == [], "the story must not run"


@pytest.mark.parametrize("header", ["Basic dXNlcjpwYXNz", "Token", "Bearer   ", ""])
def test_required_auth_with_unusable_header_is_401_missing(header):
    handler = endpoint("GET /test/required")(record_request)
    response = handler(build_event(headers={"authorization": header}), None)
    assert response["statusCode"] == 401
    assert body_of(response) == {"errors": {"token": ["is missing"]}}


@pytest.mark.parametrize("auth", ["required", "optional"])
def test_invalid_token_is_401_invalid(auth):
    handler = endpoint(f"GET /test/{auth}")(record_request)
    response = handler(build_event(token="not.a.jwt"), None)
    assert response["statusCode"] == 401
    assert body_of(response) == {"errors": {"token": ["is invalid"]}}
    assert seen == []


def test_expired_token_is_401_invalid():
    now = int(time.time())
    expired = jwt.encode({"sub": "u1", "iat": now - 9000, "exp": now - 3600}, TEST_SECRET, algorithm="HS256")
    response = endpoint("GET /test/required")(record_request)(build_event(token=expired), None)
    assert response["statusCode"] == 401
    assert body_of(response) == {"errors": {"token": ["is invalid"]}}


@pytest.mark.parametrize("scheme", ["Token", "Bearer"])
def test_required_auth_with_valid_token_sets_the_viewer(scheme):
    token = issue_token("user-42")
    handler = endpoint("GET /test/required")(record_request)
    response = handler(build_event(headers={"authorization": f"{scheme} {token}"}), None)
    assert response["statusCode"] == 200
    assert body_of(response) == {"viewer": "user-42"}
    assert seen[0].viewer == "user-42"
    assert seen[0].token == token


def test_optional_auth_without_token_has_no_viewer():
    response = endpoint("GET /test/optional")(record_request)(build_event(), None)
    assert response["statusCode"] == 200
    assert body_of(response) == {"viewer": None}
    assert seen[0].viewer is None
    assert seen[0].token is None


def test_optional_auth_with_token_sets_the_viewer():
    response = endpoint("GET /test/optional")(record_request)(build_event(token=issue_token("u9")), None)
    assert body_of(response) == {"viewer": "u9"}


def test_no_auth_ignores_the_token():
    response = endpoint("GET /test/none")(record_request)(build_event(token="garbage"), None)
    assert response["statusCode"] == 200
    assert body_of(response) == {"viewer": None}


def test_story_can_require_a_viewer_itself():
    handler = endpoint("GET /test/optional")(lambda request: {"me": request.require_viewer()})
    assert body_of(handler(build_event(), None)) == {"errors": {"token": ["is missing"]}}
    assert body_of(handler(build_event(token=issue_token("u1")), None)) == {"me": "u1"}


# --- errors ----------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("error", "status", "errors"),
    [
        (ArticleNotFound(), 404, {"article": ["not found"]}),
        (NotAuthor("article"), 403, {"article": ["forbidden"]}),
        (Unavailable(), 503, {"server": ["temporarily unavailable, retry later"]}),
    ],
)
def test_api_errors_from_the_story(error, status, errors):
    def story(request: Request) -> None:
        raise error

    response = endpoint("GET /test/none")(story)(build_event(), None)
    assert response["statusCode"] == status
    assert body_of(response) == {"errors": errors}
    assert ("retry-after" in response["headers"]) == (status == 503)


def test_unexpected_exception_is_500_without_details(caplog):
    def story(request: Request) -> None:
        raise RuntimeError("boom: secret internal detail")

    with caplog.at_level(logging.INFO, logger="conduit"):
        response = endpoint("GET /test/none")(story)(build_event(), None)
    assert response["statusCode"] == 500
    assert body_of(response) == {"errors": {"server": ["internal error"]}}
    for leak in ("boom", "secret internal detail", "Traceback", "RuntimeError", 'File "'):
        assert leak not in response["body"]
    assert any(record.levelno == logging.ERROR and record.exc_info for record in caplog.records)


def test_body_errors_are_mapped():
    handler = endpoint("GET /test/none", status=201)(lambda request: {"user": request.body(RegisterBody).user.username})
    assert handler(build_event(method="POST", raw_body="{nope"), None)["statusCode"] == 422
    assert body_of(handler(build_event(method="POST", raw_body="{nope"), None)) == {
        "errors": {"body": ["is not valid JSON"]}
    }
    too_large = handler(build_event(method="POST", raw_body="x" * (64 * 1024 + 1)), None)
    assert too_large["statusCode"] == 413
    invalid = handler(build_event(method="POST", body={"user": {"username": "a b"}}), None)
    assert invalid["statusCode"] == 422
    assert set(body_of(invalid)["errors"]) == {"username", "email", "password"}


def test_malformed_event_is_still_answered():
    response = endpoint("GET /test/required")(record_request)({}, None)
    assert response["statusCode"] == 401


# --- logging ---------------------------------------------------------------------------------------------


def test_one_request_log_line_with_metadata(caplog):
    handler = endpoint("GET /test/none", status=201)(lambda request: {"ok": True})
    with caplog.at_level(logging.INFO, logger="conduit"):
        handler(build_event(method="POST", path="/api/articles"), None)
    [record] = [r for r in caplog.records if r.getMessage() == "request"]
    assert record.name == "conduit"
    assert record.requestId == "req-123"
    assert record.route == "GET /test/none"
    assert record.status == 201
    assert isinstance(record.latencyMs, float) and record.latencyMs >= 0


def test_error_responses_are_logged_with_their_status(caplog):
    with caplog.at_level(logging.INFO, logger="conduit"):
        endpoint("GET /test/required")(record_request)(build_event(), None)
    [record] = [r for r in caplog.records if r.getMessage() == "request"]
    assert record.status == 401


def _everything_logged(records: list[logging.LogRecord]) -> str:
    formatter = logging.Formatter("%(name)s %(levelname)s %(message)s")
    parts = []
    for record in records:
        parts.append(formatter.format(record))  # message, plus traceback text when exc_info is set
        parts.extend(repr(value) for value in vars(record).values())  # every attribute, `extra` included
    return "\n".join(parts)


@pytest.mark.parametrize("outcome", ["ok", "api-error", "crash", "unavailable"])
def test_logs_contain_no_token_password_or_body(caplog, outcome):
    password = "S3cret-P4ssw0rd-do-not-log"
    body_marker = "body-marker-7f3a91"
    token = issue_token("user-1")

    def login(request: Request) -> dict[str, Any]:
        credentials = request.body(LoginBody).user
        assert credentials.password == password
        if outcome == "api-error":
            raise NotAuthor("user")
        if outcome == "unavailable":
            raise Unavailable() from ConnectionError("dynamodb unreachable")
        if outcome == "crash":
            raise RuntimeError("unexpected failure")
        return {"user": {"email": credentials.email}}

    event = build_event(
        method="POST",
        path="/api/users/login",
        body={"user": {"email": "jake@example.com", "password": password, "note": body_marker}},
        headers={"authorization": f"Token {token}"},
    )
    with caplog.at_level(logging.DEBUG):
        response = endpoint("GET /test/optional")(login)(event, None)

    assert response["statusCode"] == {"ok": 200, "api-error": 403, "crash": 500, "unavailable": 503}[outcome]
    conduit_records = [r for r in caplog.records if r.name == "conduit" or r.name.startswith("conduit.")]
    assert any(r.getMessage() == "request" for r in conduit_records)
    logged = _everything_logged(conduit_records)
    for secret in (password, token, body_marker, token.split(".")[1], token.split(".")[2]):
        assert secret not in logged
    assert "jake@example.com" not in logged
