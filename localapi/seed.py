"""Demo data loaded through the real endpoints, so a newcomer sees a working app at once."""

from __future__ import annotations

import json
from typing import Any

from localapi.server import LocalApi
from tools.grant_role import grant

PASSWORD = "password123"
USERS = [
    ("ada", "Mathematician; wrote the first program.", "https://api.dicebear.com/7.x/initials/svg?seed=ada"),
    ("grace", "Compilers, COBOL and nanoseconds.", None),
    ("linus", None, None),
]
ARTICLES = [
    ("ada", "Notes on the Analytical Engine", "What a machine can compute", "It weaves algebraic patterns.",
     ["history", "computing"]),
    ("grace", "Finding the first bug", "A moth in relay 70", "Taped into the log book, 1947.",
     ["history", "debugging"]),
    ("grace", "Why compilers matter", "Humans write, machines translate", "English-like code for everyone.",
     ["compilers", "computing"]),
    ("linus", "Just a hobby project", "Won't be big and professional", "Free software for 386 clones.",
     ["kernels", "computing"]),
]  # fmt: skip


def seed(api: LocalApi) -> dict[str, str]:
    """Create users, articles, follows, favorites and comments; returns each user's token."""
    tokens: dict[str, str] = {}
    for username, bio, image in USERS:
        user = {"username": username, "email": f"{username}@example.com", "password": PASSWORD}
        status, body = _call(api, "POST", "/api/users", {"user": user})
        if status == 409:
            status, body = _call(api, "POST", "/api/users/login", {"user": user})
        tokens[username] = body["user"]["token"]
        _call(api, "PUT", "/api/user", {"user": {"bio": bio, "image": image}}, tokens[username])
    grant("ada", "admin")  # demo roles, set the way the first admin is made in AWS
    grant("grace", "moderator")
    slugs = []
    for author, title, description, text, tags in ARTICLES:
        article = {"title": title, "description": description, "body": text, "tagList": tags}
        status, body = _call(api, "POST", "/api/articles", {"article": article}, tokens[author])
        slugs.append(body["article"]["slug"])
    _call(api, "POST", "/api/profiles/grace/follow", None, tokens["ada"])
    _call(api, "POST", "/api/profiles/ada/follow", None, tokens["linus"])
    _call(api, "POST", f"/api/articles/{slugs[1]}/favorite", None, tokens["ada"])
    _call(api, "POST", f"/api/articles/{slugs[1]}/favorite", None, tokens["linus"])
    _call(api, "POST", f"/api/articles/{slugs[0]}/comments", {"comment": {"body": "Poetical science!"}},
          tokens["grace"])  # fmt: skip
    return tokens


def _call(api: LocalApi, method: str, path: str, payload: Any, token: str | None = None) -> tuple[int, Any]:
    headers = [("content-type", "application/json")]
    if token:
        headers.append(("authorization", f"Token {token}"))
    body = json.dumps(payload).encode() if payload is not None else b""
    status, _, raw, _ = api.handle(method, path, headers, body, "127.0.0.1")
    if status >= 500:
        raise RuntimeError(f"seeding failed: {method} {path} -> {status} {raw!r}")
    return status, json.loads(raw) if raw else None
