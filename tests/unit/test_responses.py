"""Responses: JSON encoding, and the one mapping from errors to status codes and bodies."""

from __future__ import annotations

import json
import logging

import pytest

from conduit.errors import (
    ApiError,
    Conflict,
    Forbidden,
    NotFound,
    PayloadTooLarge,
    ServiceUnavailable,
    Unauthorized,
    Unprocessable,
    UnsupportedMediaType,
    invalid_token,
    missing_token,
)
from conduit.http.responses import JSON_TYPE, Encoded, encode, error_response, json_response


def body_of(response: dict) -> dict:
    return json.loads(response["body"])


def test_json_response_shape():
    response = json_response(200, {"user": {"username": "jake"}})
    assert response == {
        "statusCode": 200,
        "headers": {"content-type": "application/json; charset=utf-8"},
        "body": '{"user":{"username":"jake"}}',
        "isBase64Encoded": False,
    }
    assert JSON_TYPE == "application/json; charset=utf-8"


def test_an_encoded_payload_is_sent_as_it_is():
    # An idempotent create's remembered answer: its bytes, not a re-encoding with other key order.
    body = '{"z":1,"a":{"y":"é","b":2}}'
    assert json_response(201, Encoded(body))["body"] == body
    assert encode({"z": 1, "a": {"y": "é"}}) == '{"z":1,"a":{"y":"é"}}'


def test_json_response_keeps_unicode_readable():
    response = json_response(201, {"title": "日本語 🎉"})
    assert response["statusCode"] == 201
    assert "日本語 🎉" in response["body"]
    assert body_of(response) == {"title": "日本語 🎉"}


def test_json_response_extra_headers():
    response = json_response(200, {"a": 1}, {"x-extra": "1"})
    assert response["headers"] == {"content-type": JSON_TYPE, "x-extra": "1"}


@pytest.mark.parametrize("payload", [None, {"ignored": True}])
def test_204_has_an_empty_body_and_no_content_type(payload):
    response = json_response(204, payload)
    assert response["statusCode"] == 204
    assert response["body"] == ""
    assert "content-type" not in response["headers"]


def test_none_payload_has_an_empty_body():
    assert json_response(200, None)["body"] == ""


@pytest.mark.parametrize(
    ("error", "status", "errors"),
    [
        (ApiError("field", "is odd"), 400, {"field": ["is odd"]}),
        (Unauthorized("token", "is invalid"), 401, {"token": ["is invalid"]}),
        (missing_token(), 401, {"token": ["is missing"]}),
        (invalid_token(), 401, {"token": ["is invalid"]}),
        (Forbidden("article"), 403, {"article": ["forbidden"]}),
        (NotFound("profile"), 404, {"profile": ["not found"]}),
        (Conflict("email"), 409, {"email": ["has already been taken"]}),
        (Conflict("slug", "is in use"), 409, {"slug": ["is in use"]}),
        (PayloadTooLarge("body", "is too large"), 413, {"body": ["is too large"]}),
        (UnsupportedMediaType("body", "must be JSON"), 415, {"body": ["must be JSON"]}),
        (Unprocessable("title", "can't be blank"), 422, {"title": ["can't be blank"]}),
        (ServiceUnavailable(), 503, {"server": ["temporarily unavailable, retry later"]}),
    ],
)
def test_api_errors_map_to_their_status_and_body(error, status, errors):
    response = error_response(error, "req-1")
    assert response["statusCode"] == status
    assert response["headers"]["content-type"] == JSON_TYPE
    assert body_of(response) == {"errors": errors}


def test_error_with_several_messages():
    error = Unprocessable("email", "is invalid").add("username", "can't be blank").add("email", "is too long")
    assert body_of(error_response(error)) == {
        "errors": {"email": ["is invalid", "is too long"], "username": ["can't be blank"]}
    }


def test_service_unavailable_adds_retry_after():
    response = error_response(ServiceUnavailable())
    assert response["statusCode"] == 503
    assert response["headers"]["retry-after"] == "1"
    assert response["headers"]["content-type"] == JSON_TYPE


def test_other_errors_have_no_retry_after():
    assert "retry-after" not in error_response(NotFound("article"))["headers"]


class SecretBearingError(RuntimeError):
    pass


def test_unknown_exception_is_a_500_that_leaks_nothing(caplog):
    try:
        raise SecretBearingError("db password is hunter2 at /var/task/conduit/store/ops.py line 12")
    except SecretBearingError as caught:
        error = caught
    with caplog.at_level(logging.ERROR, logger="conduit"):
        response = error_response(error, "req-9")
    assert response["statusCode"] == 500
    assert response["headers"]["content-type"] == JSON_TYPE
    assert body_of(response) == {"errors": {"server": ["internal error"]}}
    for leak in ("hunter2", "Traceback", "SecretBearingError", "ops.py", "line"):
        assert leak not in response["body"]
    # ...but the traceback is in the log, for the operator.
    [record] = [r for r in caplog.records if r.name == "conduit"]
    assert record.levelno == logging.ERROR
    assert record.exc_info is not None and record.exc_info[1] is error
    assert record.requestId == "req-9"


@pytest.mark.parametrize("error", [KeyError("passwordHash"), ValueError("x"), TypeError("y"), ZeroDivisionError()])
def test_builtin_exceptions_become_500(error):
    response = error_response(error)
    assert response["statusCode"] == 500
    assert body_of(response) == {"errors": {"server": ["internal error"]}}
