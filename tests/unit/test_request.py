"""Request: parsing an HTTP API (payload 2.0) event, the Authorization header and JSON bodies."""

from __future__ import annotations

import json

import pytest

from conduit.errors import BodyNotJson, InvalidInput, PayloadTooLarge, TokenMissing
from conduit.http.error_map import status_of
from conduit.http.request import MAX_JSON_DEPTH, Request
from conduit.validation import NewCommentBody
from tests.unit.helpers import build_event


def request_with(**kwargs) -> Request:
    return Request.from_event(build_event(**kwargs))


def unprocessable(request: Request) -> dict[str, list[str]]:
    with pytest.raises(InvalidInput) as caught:
        request.json()
    assert status_of(caught.value) == 422
    return caught.value.errors


# --- the event -------------------------------------------------------------------------------------------


def test_from_event_fields():
    request = request_with(
        method="PUT",
        path="/api/articles/my-slug",
        headers={"X-Custom": "v", "Content-Type": "application/json"},
        query={"limit": "5"},
        path_params={"slug": "my-slug"},
        body={"a": 1},
    )
    assert request.method == "PUT"
    assert request.path == "/api/articles/my-slug"
    assert request.headers["x-custom"] == "v"
    assert request.headers["content-type"] == "application/json"
    assert request.query == {"limit": "5"}
    assert request.path_param("slug") == "my-slug"
    assert request.path_param("missing") == ""
    assert request.request_id == "req-123"
    assert request.source_ip == "203.0.113.7"
    assert request.viewer is None
    assert request.token is None


def test_minimal_event_has_safe_defaults():
    request = Request.from_event({})
    assert request.method == "GET"
    assert request.path == "/"
    assert request.headers == {}
    assert request.query == {}
    assert request.path_params == {}
    assert request.raw_body == b""
    assert request.bearer_token() is None


def test_null_collections_in_event():
    event = {"headers": None, "queryStringParameters": None, "pathParameters": None, "body": None}
    request = Request.from_event(event)
    assert (request.headers, request.query, request.path_params, request.raw_body) == ({}, {}, {}, b"")


def test_header_names_are_case_insensitive():
    request = request_with(headers={"AUTHORIZATION": "Token abc"})
    assert request.bearer_token() == "abc"


# --- Authorization ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("header", "token"),
    [
        ("Token abc.def.ghi", "abc.def.ghi"),
        ("Bearer abc.def.ghi", "abc.def.ghi"),
        ("token abc", "abc"),
        ("BEARER abc", "abc"),
        ("  Token   abc  ", "abc"),
    ],
)
def test_token_and_bearer_schemes(header, token):
    assert request_with(headers={"authorization": header}).bearer_token() == token


@pytest.mark.parametrize(
    "header", ["Basic dXNlcjpwYXNz", "Digest abc", "abc.def.ghi", "Token", "Bearer ", "Token    ", "", "Tokenabc"]
)
def test_other_schemes_and_empty_values_are_ignored(header):
    assert request_with(headers={"authorization": header}).bearer_token() is None


def test_no_authorization_header():
    assert request_with().bearer_token() is None


def test_require_viewer():
    request = request_with()
    with pytest.raises(TokenMissing) as caught:
        request.require_viewer()
    assert caught.value.errors == {"token": ["is missing"]}
    request.viewer = "u1"
    assert request.require_viewer() == "u1"


# --- JSON bodies -----------------------------------------------------------------------------------------


def test_json_body_is_decoded():
    assert request_with(body={"user": {"email": "a@b.co"}}).json() == {"user": {"email": "a@b.co"}}


def test_json_body_is_decoded_once():
    request = request_with(body={"a": 1})
    first = request.json()
    request.raw_body = b'{"a": 2}'
    assert request.json() is first


def test_unicode_json_body():
    request = request_with(raw_body=json.dumps({"t": "日本語 🎉"}, ensure_ascii=False))
    assert request.json() == {"t": "日本語 🎉"}


def test_base64_encoded_body():
    event = build_event(raw_body='{"comment": {"body": "h\u00e9llo"}}', base64_encoded=True)
    assert event["isBase64Encoded"] is True
    assert event["body"] != '{"comment": {"body": "h\u00e9llo"}}'
    request = Request.from_event(event)
    assert request.json() == {"comment": {"body": "h\u00e9llo"}}
    assert request.body(NewCommentBody).comment.body == "h\u00e9llo"


@pytest.mark.parametrize(
    "content_type",
    [
        "application/json",
        "application/json; charset=utf-8",
        "APPLICATION/JSON",
        "application/json;charset=UTF-8",
        'application/json; charset="utf-8"',
        " application/json ; charset=utf8",
    ],
)
def test_json_content_types_are_accepted(content_type):
    assert request_with(headers={"content-type": content_type}, body={"a": 1}).json() == {"a": 1}


def test_missing_content_type_is_treated_as_json():
    event = build_event(body={"a": 1})
    del event["headers"]["content-type"]
    assert Request.from_event(event).json() == {"a": 1}


@pytest.mark.parametrize(
    "content_type",
    [
        "text/plain",
        "application/x-www-form-urlencoded",
        "multipart/form-data; boundary=x",
        "text/html",
        # Types that merely mention JSON were accepted before (a substring test): issue 13, row 9.
        "image/json",
        "application/jsonx",
        "text/json",
        "application/json-patch+json",
        "application/vnd.api+json",
        "application/x-json",
        "json",
        "",
        "application/json; charset=iso-8859-1",
        "application/json; charset=utf-16",
    ],
)
def test_other_content_types_are_unsupported_media_types(content_type):
    request = request_with(headers={"content-type": content_type}, body={"a": 1})
    with pytest.raises(BodyNotJson) as caught:
        request.json()
    assert status_of(caught.value) == 415
    assert caught.value.errors == {"body": ["must be JSON (Content-Type: application/json)"]}


@pytest.mark.parametrize(
    "raw",
    [
        '{"a": 1, "a": 2}',
        '{"user": {"email": "a@b.co", "password": "x", "email": "c@d.co"}}',
        '[{"k": 1}, {"k": 1, "k": 1}]',
        '{"a": {"b": {"c": {"d": 1, "d": 1}}}}',
    ],
)
def test_duplicate_keys_are_unprocessable(raw):
    # Before: json.loads kept the last value, so two parsers (a WAF, a log, this API) could read
    # two different requests in the same bytes (issue 13, row 9).
    assert unprocessable(request_with(raw_body=raw)) == {"body": ["has a duplicate key"]}


def test_same_key_in_different_objects_is_fine():
    assert request_with(raw_body='{"a": {"k": 1}, "b": {"k": 2}}').json() == {"a": {"k": 1}, "b": {"k": 2}}


@pytest.mark.parametrize("raw", ["", "   ", "\n\t"])
def test_empty_body_is_unprocessable(raw):
    assert unprocessable(request_with(raw_body=raw)) == {"body": ["can't be blank"]}


def test_absent_body_is_unprocessable():
    assert unprocessable(request_with()) == {"body": ["can't be blank"]}


@pytest.mark.parametrize("raw", ["{", "{'a': 1}", "not json", '{"a": 1,}', "[1, 2", '{"a": 1} trailing'])
def test_invalid_json_is_unprocessable(raw):
    assert unprocessable(request_with(raw_body=raw)) == {"body": ["is not valid JSON"]}


@pytest.mark.parametrize("raw", [b'{"a": "\xff\xfe"}', b"\xc3\x28", b'{"a": "\xed\xa0\x80"}'])
def test_invalid_utf8_is_unprocessable(raw):
    assert unprocessable(request_with(raw_body=raw)) == {"body": ["is not valid JSON"]}


def test_body_over_max_body_bytes_is_too_large():
    body = json.dumps({"comment": {"body": "x" * (64 * 1024)}})
    with pytest.raises(PayloadTooLarge) as caught:
        request_with(raw_body=body).json()
    assert status_of(caught.value) == 413
    assert caught.value.errors == {"body": ["is too large (maximum is 65536 bytes)"]}


def test_max_body_bytes_from_settings(set_env):
    set_env(MAX_BODY_BYTES="100")
    exactly = '{"a": "' + "x" * 91 + '"}'
    assert len(exactly) == 100
    assert request_with(raw_body=exactly).json() == {"a": "x" * 91}
    with pytest.raises(PayloadTooLarge):
        request_with(raw_body=exactly[:-1] + " }").json()


def test_body_size_is_measured_after_base64_decoding(set_env):
    set_env(MAX_BODY_BYTES="100")
    body = '{"a": "' + "x" * 80 + '"}'  # 90 bytes; about 120 once base64-encoded
    assert request_with(raw_body=body, base64_encoded=True).json() == {"a": "x" * 80}
    with pytest.raises(PayloadTooLarge):
        request_with(raw_body=b'{"a": "' + b"x" * 100 + b'"}').json()


def test_size_limit_is_checked_before_content_type():
    request = request_with(headers={"content-type": "text/plain"}, raw_body="x" * (64 * 1024 + 1))
    with pytest.raises(PayloadTooLarge):
        request.json()


def nested(depth: int) -> str:
    return "[" * depth + "1" + "]" * depth


def test_nesting_at_the_depth_limit_is_accepted():
    decoded = request_with(raw_body=nested(MAX_JSON_DEPTH)).json()
    for _ in range(MAX_JSON_DEPTH):
        decoded = decoded[0]
    assert decoded == 1


@pytest.mark.parametrize("depth", [MAX_JSON_DEPTH + 1, MAX_JSON_DEPTH + 50])
def test_nesting_beyond_the_depth_limit_is_rejected(depth):
    assert unprocessable(request_with(raw_body=nested(depth))) == {"body": ["is nested too deeply"]}


def test_deep_object_nesting_is_rejected():
    raw = '{"a":' * (MAX_JSON_DEPTH + 1) + "1" + "}" * (MAX_JSON_DEPTH + 1)
    assert unprocessable(request_with(raw_body=raw)) == {"body": ["is nested too deeply"]}


def test_pathological_nesting_does_not_crash():
    # Deeper than the interpreter's recursion limit: json.loads gives up with RecursionError.
    raw = "[" * 30_000 + "]" * 30_000
    errors = unprocessable(request_with(raw_body=raw))
    assert errors in ({"body": ["is not valid JSON"]}, {"body": ["is nested too deeply"]})


def test_body_validates_with_a_model():
    request = request_with(body={"comment": {"body": ""}})
    with pytest.raises(InvalidInput) as caught:
        request.body(NewCommentBody)
    assert caught.value.errors == {"body": ["can't be blank"]}
