"""Shared fixtures: the local API (real handlers from template.yaml) on the embedded moto DynamoDB,
or on DYNAMODB_ENDPOINT when it is set (CI runs the API tests against DynamoDB Local too)."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from typing import Any

import pytest
import requests

from localapi import template
from localapi.runtime import Runtime
from localapi.server import LocalApi

# The functions' environment in tests (applied to every function, like `sam local --env-vars`): cheap
# password hashing (production costs are the Settings defaults, see tests/unit), rate limits out of the
# way (tests/api/test_security.py lowers them where it tests them with runtime.configured), role and
# suspension changes visible at once, no tags cache (tests/api/test_caching.py turns it on).
FUNCTION_ENVIRONMENT = {
    "ARGON2_TIME_COST": "1",
    "ARGON2_MEMORY_KIB": "1024",
    "WRITE_QUOTA_PER_MINUTE": "1000000",
    "LOGIN_FAILURES_PER_MINUTE": "1000000",
    "LOGIN_FAILURES_PER_IP_PER_MINUTE": "1000000",
    "AUTH_CACHE_SECONDS": "0",
    "TAGS_CACHE_SECONDS": "0",
}
# The same for code the tests run in this process (tools, unit tests of the layer). Set before the layer's
# settings are first read.
for _name, _value in FUNCTION_ENVIRONMENT.items():
    os.environ.setdefault(_name, _value)


@pytest.fixture(scope="session")
def runtime() -> Iterator[Runtime]:
    suffix = f"-test-{uuid.uuid4().hex[:8]}"
    started = Runtime(
        template.load(),
        endpoint=os.environ.get("DYNAMODB_ENDPOINT"),
        table_suffix=suffix,
        environment=FUNCTION_ENVIRONMENT,
        instrumented=True,  # tests/reliability/faults.py injects faults into the functions' DynamoDB calls
        # New environments forked from a zygote that has imported the third-party modules (localapi/pool.py):
        # the suite starts thousands. LOCALAPI_PREFORK=0 starts each as a new interpreter, as `make api` does.
        prefork=os.environ.get("LOCALAPI_PREFORK", "1") != "0",
    ).start()
    os.environ.update(started.operator_environment())  # this process's own store calls (tools, helpers)
    from conduit.settings import get_settings

    get_settings.cache_clear()
    yield started
    started.stop()


@pytest.fixture(scope="session")
def local_api(runtime: Runtime) -> Iterator[LocalApi]:
    api = LocalApi(runtime, port=0).start_in_thread()
    yield api
    api.stop()


class Client:
    """A tiny HTTP client for the local API: `client.post("/users", json=..., token=...)`."""

    def __init__(self, base: str) -> None:
        self.base = base
        self.session = requests.Session()

    def request(self, method: str, path: str, token: str | None = None, **kwargs: Any) -> requests.Response:
        headers = dict(kwargs.pop("headers", {}) or {})
        if token:
            headers["Authorization"] = f"Token {token}"
        return self.session.request(method, f"{self.base}/api{path}", headers=headers, timeout=30, **kwargs)

    def get(self, path: str, **kwargs: Any) -> requests.Response:
        return self.request("GET", path, **kwargs)

    def post(self, path: str, **kwargs: Any) -> requests.Response:
        return self.request("POST", path, **kwargs)

    def put(self, path: str, **kwargs: Any) -> requests.Response:
        return self.request("PUT", path, **kwargs)

    def delete(self, path: str, **kwargs: Any) -> requests.Response:
        return self.request("DELETE", path, **kwargs)


@pytest.fixture(scope="session")
def client(local_api: LocalApi) -> Client:
    return Client(local_api.url)


def unique(prefix: str) -> str:
    return f"{prefix}{uuid.uuid4().hex[:10]}"


@pytest.fixture
def make_user(client: Client) -> Any:
    """Register a fresh user; returns {"username", "email", "password", "token"}."""

    def make(prefix: str = "u") -> dict[str, str]:
        name = unique(prefix)
        user = {"username": name, "email": f"{name}@example.com", "password": "password123"}
        response = client.post("/users", json={"user": user})
        assert response.status_code == 201, response.text
        return {**user, "token": response.json()["user"]["token"]}

    return make


@pytest.fixture
def make_article(client: Client) -> Any:
    """Publish an article as `token`; returns the article JSON."""

    def make(token: str, title: str | None = None, tags: list[str] | None = None) -> dict[str, Any]:
        article = {"title": title or unique("Title "), "description": "d", "body": "b", "tagList": tags or []}
        response = client.post("/articles", json={"article": article}, token=token)
        assert response.status_code == 201, response.text
        return response.json()["article"]

    return make
