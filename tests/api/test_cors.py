"""CORS as API Gateway applies the template's CorsConfiguration: preflights, and the allow-origin
header on every response (errors included) when the request carries an Origin."""

from __future__ import annotations

import pytest

from tests.api.helpers import assert_error
from tests.conftest import unique

ORIGIN = "https://app.example.com"


def preflight(client, path: str, method: str, headers: str = "authorization,content-type"):
    return client.request(
        "OPTIONS",
        path,
        headers={
            "Origin": ORIGIN,
            "Access-Control-Request-Method": method,
            "Access-Control-Request-Headers": headers,
        },
    )


def comma_set(value: str) -> set[str]:
    return {part.strip().lower() for part in value.split(",") if part.strip()}


@pytest.mark.parametrize(
    ("path", "method"),
    [
        ("/articles", "POST"),
        ("/articles/some-slug", "PUT"),
        ("/articles/some-slug", "DELETE"),
        ("/user", "GET"),
        ("/users/login", "POST"),
        ("/articles/some-slug/comments/1", "DELETE"),
    ],
)
def test_preflight_is_answered_with_204_and_cors_headers(client, path, method):
    response = preflight(client, path, method)
    assert response.status_code == 204
    assert response.content == b""
    assert response.headers["access-control-allow-origin"] in ("*", ORIGIN)
    assert method in {m.upper() for m in comma_set(response.headers["access-control-allow-methods"])}
    assert {"authorization", "content-type"} <= comma_set(response.headers["access-control-allow-headers"])


def test_preflight_for_a_header_not_allowed_gets_no_cors_headers(client):
    response = preflight(client, "/articles", "POST", headers="x-not-allowed")
    assert "access-control-allow-origin" not in response.headers


@pytest.mark.parametrize("method", ["GET", "POST"])
def test_successful_responses_carry_allow_origin(client, make_user, method):
    headers = {"Origin": ORIGIN}
    if method == "GET":
        response = client.get("/tags", headers=headers)
        assert response.status_code == 200
    else:
        name = unique("cors")
        user = {"username": name, "email": f"{name}@example.com", "password": "password123"}
        response = client.post("/users", json={"user": user}, headers=headers)
        assert response.status_code == 201
    assert response.headers["access-control-allow-origin"] in ("*", ORIGIN)


def test_no_allow_origin_without_origin(client):
    response = client.get("/tags")
    assert response.status_code == 200
    assert "access-control-allow-origin" not in response.headers


def test_error_responses_carry_allow_origin(client, make_user):
    headers = {"Origin": ORIGIN}
    user = make_user("corserr")
    unauthorized = client.get("/user", headers=headers)
    assert_error(unauthorized, 401, {"token": ["is missing"]})
    not_found = client.get(f"/articles/{unique('nope-')}", headers=headers)
    assert_error(not_found, 404, {"article": ["not found"]})
    unprocessable = client.post("/articles", token=user["token"], json={"article": {}}, headers=headers)
    assert unprocessable.status_code == 422
    bad_login = client.post(
        "/users/login", json={"user": {"email": user["email"], "password": "wrong-password"}}, headers=headers
    )
    assert_error(bad_login, 401, {"credentials": ["invalid"]})
    for response in (unauthorized, not_found, unprocessable, bad_login):
        assert response.headers["access-control-allow-origin"] in ("*", ORIGIN)


def test_unknown_route_is_a_gateway_404_with_cors(client):
    response = client.get("/no/such/route", headers={"Origin": ORIGIN})
    assert response.status_code == 404
    assert response.json() == {"message": "Not Found"}
    assert response.headers["access-control-allow-origin"] in ("*", ORIGIN)
    # a known path with a method it does not route
    wrong_method = client.request("PATCH", "/articles", headers={"Origin": ORIGIN})
    assert wrong_method.status_code == 404
    assert wrong_method.json() == {"message": "Not Found"}
