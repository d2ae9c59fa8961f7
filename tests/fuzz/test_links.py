"""Every OpenAPI link of docs/openapi.json leads somewhere: take a fresh success answer of the link's
source operation, resolve the link's runtime expressions against that request and response, call the
target, and expect the target's documented success. Each request and answer goes through the same
checks as the fuzzing (support.CHECKS).

The stateful fuzzing (test_stateful.py) follows the same links at random; this walks each of them on
purpose, so a wrong expression (`$response.body#/article/slug` naming the wrong field) or a target that
cannot use the value fails here every time, whatever Hypothesis happens to draw.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
import requests

from tests.conftest import Client
from tests.fuzz.support import CHECKS, load_schema, register

schema = load_schema()
ADMIN = "the admin's token"
RESPONSES = {
    operation["operationId"]: operation["responses"]
    for methods in schema.raw_schema["paths"].values()
    for operation in methods.values()
}


@dataclass
class Answer:
    """One call: the path parameters sent and the JSON body received."""

    path: dict[str, Any]
    body: Any


class Caller:
    """Calls operations by operationId through schemathesis (so every answer is checked), as an admin:
    admins may do everything the links lead to (they author their own articles, follow others, and
    manage users)."""

    def __init__(self, base_url: str, token: str) -> None:
        self.base_url = base_url
        self.token = token
        self.session = requests.Session()

    def call(
        self, operation_id: str, path: dict[str, Any] | None = None, body: Any = None, authorization: str | None = ADMIN
    ) -> tuple[int, Answer]:
        """`authorization`: the header to send; ADMIN (the default): the admin's token; None: none."""
        operation = schema.find_operation_by_id(operation_id)
        headers = (
            {} if authorization is None else {"Authorization": self.token if authorization is ADMIN else authorization}
        )
        kwargs: dict[str, Any] = {"path_parameters": path or {}, "headers": headers}
        if body is not None:
            kwargs["body"] = body
            kwargs["media_type"] = "application/json"
        case = operation.Case(**kwargs)
        response = case.call(base_url=self.base_url, session=self.session, timeout=30)
        case.validate_response(response, checks=CHECKS)
        return response.status_code, Answer(path or {}, response.json() if response.content else None)

    def ok(self, operation_id: str, path: dict[str, Any] | None = None, body: Any = None, **kwargs: Any) -> Answer:
        status, answer = self.call(operation_id, path, body, **kwargs)
        assert status == success_status(operation_id), (operation_id, status, answer.body)
        return answer


def _name(prefix: str) -> str:
    return f"{prefix}{uuid.uuid4().hex[:10]}"


def _new_user(caller: Caller) -> Answer:
    name = _name("lnk")
    body = {"user": {"username": name, "email": f"{name}@example.com", "password": "password123"}}
    return caller.ok("UsersRegisterFunction", body=body, authorization=None)


def _new_article(caller: Caller) -> Answer:
    return caller.ok(
        "ArticleCreateFunction", body={"article": {"title": _name("Links "), "description": "d", "body": "b"}}
    )


def _renamed_article(caller: Caller) -> Answer:
    slug = _new_article(caller).body["article"]["slug"]
    return caller.ok("ArticleUpdateFunction", {"slug": slug}, {"article": {"title": _name("Renamed ")}})


def _new_comment(caller: Caller) -> Answer:
    slug = _new_article(caller).body["article"]["slug"]
    return caller.ok("CommentCreateFunction", {"slug": slug}, {"comment": {"body": "c"}})


def _updated_user(caller: Caller) -> Answer:
    token = _new_user(caller).body["user"]["token"]
    return caller.ok("UserUpdateFunction", body={"user": {"username": _name("lnk")}}, authorization=f"Token {token}")


def _followed(caller: Caller) -> Answer:
    return caller.ok("ProfileFollowFunction", {"username": _new_user(caller).body["user"]["username"]})


def _suspended(caller: Caller) -> Answer:
    return caller.ok("AdminUserSuspendFunction", {"username": _new_user(caller).body["user"]["username"]})


# A fresh success answer of each link source (every link is walked from its own, so a DELETE target
# does not take away what the next link needs).
SOURCES: dict[str, Callable[[Caller], Answer]] = {
    "ArticleCreateFunction": _new_article,
    "ArticleUpdateFunction": _renamed_article,
    "CommentCreateFunction": _new_comment,
    "UsersRegisterFunction": _new_user,
    "UserUpdateFunction": _updated_user,
    "ProfileFollowFunction": _followed,
    "AdminUserSuspendFunction": _suspended,
}
# The body a target needs, when it needs one.
BODIES: dict[str, Any] = {
    "ArticleUpdateFunction": {"article": {"body": "edited through a link"}},
    "CommentCreateFunction": {"comment": {"body": "commented through a link"}},
    "AdminUserRoleFunction": {"role": "moderator"},
}


def success_status(operation_id: str) -> int:
    return min(int(code) for code in RESPONSES[operation_id] if code.startswith("2"))


def links() -> list[tuple[str, str, dict[str, Any]]]:
    found = []
    for methods in schema.raw_schema["paths"].values():
        for operation in methods.values():
            for response in operation["responses"].values():
                for name, link in response.get("links", {}).items():
                    found.append((operation["operationId"], name, link))
    return sorted(found, key=lambda item: (item[0], item[1]))


def resolve(expression: str, source: Answer) -> Any:
    """The two kinds of runtime expressions the document uses."""
    if expression.startswith("$request.path."):
        return source.path[expression.removeprefix("$request.path.")]
    prefix = "$response.body#/"
    assert expression.startswith(prefix), expression
    value = source.body
    for part in expression.removeprefix(prefix).split("/"):
        value = value[int(part)] if isinstance(value, list) else value[part]
    return value


def test_every_source_of_a_link_is_covered():
    assert {source for source, _, _ in links()} == set(SOURCES)


@pytest.mark.parametrize(("source", "name", "link"), links(), ids=[f"{s}->{n}" for s, n, _ in links()])
def test_the_link_leads_to_a_success(base_url, source, name, link):
    caller = Caller(base_url, register(Client(base_url), "admin"))
    produced = SOURCES[source](caller)
    parameters = {key: resolve(expression, produced) for key, expression in link["parameters"].items()}
    target = link["operationId"]
    caller.ok(target, parameters, BODIES.get(target))
