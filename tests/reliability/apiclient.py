"""A thread-safe HTTP caller for the local API (one requests.Session per thread)."""

from __future__ import annotations

import threading
import uuid
from typing import Any

import requests


class Api:
    def __init__(self, base: str) -> None:
        self.base = base.rstrip("/")
        self._local = threading.local()

    def _session(self) -> requests.Session:
        session = getattr(self._local, "session", None)
        if session is None:
            session = self._local.session = requests.Session()
        return session

    def call(self, method: str, path: str, token: str | None = None, **kwargs: Any) -> requests.Response:
        headers = dict(kwargs.pop("headers", {}) or {})
        if token:
            headers["Authorization"] = f"Token {token}"
        return self._session().request(method, f"{self.base}/api{path}", headers=headers, timeout=30, **kwargs)

    def get(self, path: str, **kwargs: Any) -> requests.Response:
        return self.call("GET", path, **kwargs)

    def post(self, path: str, **kwargs: Any) -> requests.Response:
        return self.call("POST", path, **kwargs)

    def put(self, path: str, **kwargs: Any) -> requests.Response:
        return self.call("PUT", path, **kwargs)

    def delete(self, path: str, **kwargs: Any) -> requests.Response:
        return self.call("DELETE", path, **kwargs)

    # --- setup helpers (assert success: they are not what a test is about) ---

    def user(self, prefix: str = "r") -> dict[str, str]:
        name = unique(prefix)
        user = {"username": name, "email": f"{name}@example.com", "password": "password123"}
        response = self.post("/users", json={"user": user})
        assert response.status_code == 201, response.text
        return {**user, "token": response.json()["user"]["token"]}

    def article(self, token: str, title: str | None = None, tags: list[str] | None = None) -> dict[str, Any]:
        body = {"title": title or unique("Title "), "description": "d", "body": "b", "tagList": tags or []}
        response = self.post("/articles", json={"article": body}, token=token)
        assert response.status_code == 201, response.text
        return response.json()["article"]

    def comment(self, token: str, slug: str, body: str = "c") -> dict[str, Any]:
        response = self.post(f"/articles/{slug}/comments", json={"comment": {"body": body}}, token=token)
        assert response.status_code == 201, response.text
        return response.json()["comment"]

    def ok(self, method: str, path: str, token: str | None = None, **kwargs: Any) -> Any:
        response = self.call(method, path, token=token, **kwargs)
        assert response.status_code < 300, f"{method} {path}: {response.status_code} {response.text}"
        return response.json() if response.content else None


def unique(prefix: str) -> str:
    return f"{prefix}{uuid.uuid4().hex[:10]}"
