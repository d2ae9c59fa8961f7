"""Every sample event through its real handler (tests/conftest.py's runtime: template.yaml on a fresh table)."""

from __future__ import annotations

import json
import uuid
from typing import Any

from tests.template.helpers import event, function_dirs, load, queue_functions, routes_by_dir

# The top-level keys of each endpoint's success body (RealWorld API spec); None: no body (204).
SUCCESS_KEYS: dict[str, set[str] | None] = {
    "users_register": {"user"},
    "users_login": {"user"},
    "password_reset": {"message"},  # 202, whether or not the email is registered
    "password_reset_confirm": {"user"},  # 422 with the committed placeholder token
    "verify_email": {"message"},  # 422 with the committed placeholder token
    "verify_email_resend": {"message"},  # 202
    "user_delete": {"deletion"},  # 403 with the committed password (not the event user's)
    "admin_user_delete": {"deletion"},
    "admin_deletion_get": {"deletion"},
    "user_export_start": {"export"},
    "user_export_get": {"export"},
    "user_get": {"user"},
    "user_update": {"user"},
    "profile_get": {"profile"},
    "profile_follow": {"profile"},
    "profile_unfollow": {"profile"},
    "articles_list": {"articles", "articlesCount"},
    "articles_feed": {"articles", "articlesCount"},
    "article_create": {"article"},
    "article_get": {"article"},
    "article_update": {"article"},
    "article_delete": None,
    "article_favorite": {"article"},
    "article_unfavorite": {"article"},
    "comments_list": {"comments"},
    "comment_create": {"comment"},
    "comment_delete": None,
    "tags_list": {"tags"},
    "graphql": {"data"},  # GraphQL answers {"data": ...}; errors would add "errors"
    "graphql_get": {"data"},
    "admin_users_list": {"users"},
    "admin_user_role": {"user"},
    "admin_user_suspend": {"user"},
    "admin_user_unsuspend": {"user"},
}
# The docs' static answers (not the API's JSON shapes; possibly gzipped): function dir -> content type.
STATIC_TYPES = {"openapi_json": "application/json", "docs_page": "text/html", "docs_assets": "text/css"}
ADMIN_ONLY = {
    "admin_users_list",
    "admin_user_role",
    "admin_user_suspend",
    "admin_user_unsuspend",
    "admin_user_delete",
    "admin_deletion_get",
}
TOKEN_PLACEHOLDER = "REPLACE_WITH_TOKEN"


def _function(function_dir: str) -> str:
    (route,) = routes_by_dir(load())[function_dir]
    return route.function


def _problems(function_dir: str, response: Any) -> list[str]:
    """Why `response` is not a valid payload-v2 answer of this endpoint ([] when it is)."""
    if not isinstance(response, dict):
        return [f"not a dict: {response!r}"]
    status, headers, body = response.get("statusCode"), response.get("headers"), response.get("body")
    problems = []
    if not isinstance(status, int) or isinstance(status, bool) or not 200 <= status < 500:
        problems.append(f"statusCode {status!r}")
    if not isinstance(headers, dict) or not all(isinstance(v, str) for v in headers.values()):
        problems.append(f"headers {headers!r}")
    if not isinstance(body, str):
        return [*problems, f"body {body!r}"]
    if function_dir in STATIC_TYPES:
        content_type = (headers or {}).get("content-type", "")
        if status != 200 or not body or not content_type.startswith(STATIC_TYPES[function_dir]):
            problems.append(f"static answer {status} {content_type!r} {body[:100]!r}")
        return problems
    if response.get("isBase64Encoded", False) is not False:
        problems.append("isBase64Encoded")
    if body == "":
        if not (status == 204 and SUCCESS_KEYS[function_dir] is None):
            problems.append(f"empty body with status {status}")
        return problems
    if "json" not in (headers or {}).get("content-type", ""):
        problems.append(f"content-type {(headers or {}).get('content-type')!r}")
    try:
        payload = json.loads(body)
    except ValueError:
        return [*problems, f"body is not JSON: {body[:200]!r}"]
    if isinstance(status, int) and status < 300:
        if not isinstance(payload, dict) or set(payload) != SUCCESS_KEYS[function_dir]:
            problems.append(f"success body {body[:200]}")
    elif not (
        isinstance(payload, dict)
        and set(payload) == {"errors"}
        and isinstance(payload["errors"], dict)
        and payload["errors"]
        and all(isinstance(msgs, list) and all(isinstance(m, str) for m in msgs) for msgs in payload["errors"].values())
    ):
        problems.append(f"error body {body[:200]}")
    return problems


def test_success_shapes_cover_every_function():
    assert sorted({*SUCCESS_KEYS, *STATIC_TYPES}) == function_dirs()


def test_every_event_file_gets_a_valid_v2_response(runtime):
    statuses, problems = {}, {}
    for function_dir in function_dirs():
        response = runtime.invoke(_function(function_dir), event(function_dir))
        statuses[function_dir] = response.get("statusCode") if isinstance(response, dict) else None
        found = _problems(function_dir, response)
        if found:
            problems[function_dir] = found
    assert problems == {}, statuses
    # The committed placeholder is not a token: every authenticated event is refused, none crashes.
    for function_dir in function_dirs():
        if TOKEN_PLACEHOLDER in json.dumps(event(function_dir)):
            assert statuses[function_dir] == 401, function_dir
    assert statuses["users_register"] in {201, 409}
    assert statuses["tags_list"] == 200
    assert statuses["articles_list"] == 200


def test_authenticated_events_with_a_real_token(runtime):
    """As events/README.md says: register (or log in), paste the token, and the events are accepted."""
    name = f"tpl{uuid.uuid4().hex[:10]}"
    register = event("users_register")
    register["body"] = json.dumps({"user": {"username": name, "email": f"{name}@example.com", "password": "x" * 12}})
    registered = runtime.invoke(_function("users_register"), register)
    assert registered["statusCode"] == 201, registered
    token = json.loads(registered["body"])["user"]["token"]

    statuses, problems = {}, {}
    order = sorted(function_dirs(), key=lambda d: (d.endswith("_delete"), d))  # create before delete
    for function_dir in order:
        raw = json.dumps(event(function_dir))
        if TOKEN_PLACEHOLDER not in raw:
            continue
        response = runtime.invoke(_function(function_dir), json.loads(raw.replace(TOKEN_PLACEHOLDER, token)))
        statuses[function_dir] = response["statusCode"]
        found = _problems(function_dir, response)
        if found:
            problems[function_dir] = found
    assert problems == {}, statuses
    assert len(statuses) == 16 + len(ADMIN_ONLY)
    assert 401 not in statuses.values(), statuses
    assert {statuses[d] for d in ADMIN_ONLY} == {403}, "a plain user is refused on every admin route"
    assert statuses["user_get"] == 200
    assert statuses["user_update"] == 200
    assert statuses["articles_feed"] == 200
    assert statuses["article_create"] == 201
    assert statuses["article_delete"] == 204  # deletes the article article_create.json made


def test_the_queue_event_file_is_consumed_without_failures(runtime):
    """events/email_sender.json: SES (moto) accepts the email from the local sender identity."""
    for name in queue_functions(load()):
        code_dir = load().functions()[name]["CodeUri"].rstrip("/").rsplit("/", 1)[-1]
        assert runtime.invoke(name, event(code_dir)) == {"batchItemFailures": []}, name


def test_the_stream_event_file_is_consumed_without_failures(runtime):
    for name, _ in load().stream_functions():
        code_dir = load().functions()[name]["CodeUri"].rstrip("/").rsplit("/", 1)[-1]
        assert runtime.invoke(name, event(code_dir)) == {"batchItemFailures": []}, name
