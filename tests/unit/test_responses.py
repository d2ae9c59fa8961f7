"""Responses: JSON encoding, and the one mapping from errors to status codes and bodies."""

from __future__ import annotations

import json
import logging

import pytest

from conduit.errors import (
    AdminOnly,
    AlreadyTaken,
    ArticleNotFound,
    BodyNotJson,
    CommentNotFound,
    CredentialsInvalid,
    DomainError,
    EmailTaken,
    EmailUnverified,
    IdempotencyKeyReused,
    InvalidInput,
    NotAuthor,
    NotFound,
    PayloadTooLarge,
    ProfileNotFound,
    RateLimited,
    RequestInProgress,
    StorageUnavailable,
    TokenInvalid,
    TokenMissing,
    Unavailable,
    UsernameTaken,
    UserSuspended,
    WrongPassword,
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
        (DomainError("field", "is odd"), 400, {"field": ["is odd"]}),
        (TokenMissing(), 401, {"token": ["is missing"]}),
        (TokenInvalid(), 401, {"token": ["is invalid"]}),
        (CredentialsInvalid(), 401, {"credentials": ["invalid"]}),
        (UserSuspended(), 401, {"user": ["is suspended"]}),
        (NotAuthor("article"), 403, {"article": ["forbidden"]}),
        (AdminOnly(), 403, {"admin": ["forbidden"]}),
        (WrongPassword(), 403, {"password": ["is invalid"]}),
        (EmailUnverified(), 403, {"email": ["must be verified before publishing"]}),
        (NotFound("deletion"), 404, {"deletion": ["not found"]}),
        (ArticleNotFound(), 404, {"article": ["not found"]}),
        (CommentNotFound(), 404, {"comment": ["not found"]}),
        (ProfileNotFound(), 404, {"profile": ["not found"]}),
        (EmailTaken(), 409, {"email": ["has already been taken"]}),
        (UsernameTaken(), 409, {"username": ["has already been taken"]}),
        (AlreadyTaken("slug", "is in use"), 409, {"slug": ["is in use"]}),
        (RequestInProgress(), 409, {"Idempotency-Key": ["a request with this key is still in progress"]}),
        (PayloadTooLarge("body", "is too large"), 413, {"body": ["is too large"]}),
        (BodyNotJson("body", "must be JSON"), 415, {"body": ["must be JSON"]}),
        (InvalidInput("title", "can't be blank"), 422, {"title": ["can't be blank"]}),
        (IdempotencyKeyReused(), 422, {"Idempotency-Key": ["was already used with a different request"]}),
        (RateLimited(17), 429, {"rate": ["limit reached, retry later"]}),
        (Unavailable(), 503, {"server": ["temporarily unavailable, retry later"]}),
        (StorageUnavailable(), 503, {"server": ["temporarily unavailable, retry later"]}),
    ],
)
def test_domain_errors_map_to_their_status_and_body(error, status, errors):
    response = error_response(error, "req-1")
    assert response["statusCode"] == status
    assert response["headers"]["content-type"] == JSON_TYPE
    assert body_of(response) == {"errors": errors}


def test_error_with_several_messages():
    error = InvalidInput("email", "is invalid").add("username", "can't be blank").add("email", "is too long")
    assert body_of(error_response(error)) == {
        "errors": {"email": ["is invalid", "is too long"], "username": ["can't be blank"]}
    }


def test_rate_limited_says_when_to_retry():
    assert error_response(RateLimited(17))["headers"]["retry-after"] == "17"


def test_service_unavailable_adds_retry_after():
    response = error_response(StorageUnavailable())
    assert response["statusCode"] == 503
    assert response["headers"]["retry-after"] == "1"
    assert response["headers"]["content-type"] == JSON_TYPE


def test_other_errors_have_no_retry_after():
    assert "retry-after" not in error_response(ArticleNotFound())["headers"]


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
