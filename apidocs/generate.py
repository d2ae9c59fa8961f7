"""The OpenAPI 3.1 document of the API, generated from the code (dev time only; nothing here is deployed).

- paths and methods: template.yaml's HttpApi routes (`localapi.template`), operationId = the function's
  logical id, summary = the first line of its handler module's docstring;
- auth and success status: what the `endpoint` decorator recorded on each handler
  (`handler.endpoint_auth`, `handler.endpoint_status`); handlers without the decorator (the docs) are
  anonymous and answer 200;
- request bodies: the pydantic models of conduit.validation; responses: the TypedDicts of
  conduit.services.views; both turned into JSON Schema by pydantic, under #/components/schemas;
- what cannot be read off a handler is in OPERATIONS below: its request model, response type, tag,
  query parameters and the errors its services raise;
- conditional reads: every GET the decorator (or conduit.static) answers carries an ETag and answers
  If-None-Match with a 304;
- OpenAPI links (`_links`): which response value feeds which later call (an article's slug, a comment's
  id, a username); tests/fuzz follows them for its stateful scenarios.

`python -m apidocs` writes docs/openapi.json and functions/openapi_json/openapi.json (the copy that
GET /api/openapi.json serves; byte-identical, and tests/docs fails when either is stale).
"""

from __future__ import annotations

import importlib.util
import json
import os
import re
import sys
import tomllib
from collections.abc import Callable
from dataclasses import dataclass, field
from http import HTTPStatus
from types import ModuleType
from typing import Any, NotRequired
from unittest import mock

from pydantic import TypeAdapter
from pydantic.json_schema import GenerateJsonSchema
from typing_extensions import TypedDict  # pydantic reads typing.TypedDict only on Python 3.12+

from localapi import template as cfn

ROOT = cfn.ROOT
OUTPUTS = (ROOT / "docs" / "openapi.json", ROOT / "functions" / "openapi_json" / "openapi.json")
OPENAPI_VERSION = "3.1.0"
REF_TEMPLATE = "#/components/schemas/{model}"
JSON = "application/json"

USERS, PROFILE, ARTICLES, FAVORITES, COMMENTS, TAGS, ADMIN, GRAPHQL, DOCS = (
    "User and Authentication",
    "Profile",
    "Articles",
    "Favorites",
    "Comments",
    "Tags",
    "Administration",
    "GraphQL",
    "Docs",
)
TAGS_DESCRIBED = {
    USERS: "Registration, login and the current user.",
    PROFILE: "Profiles, and following them.",
    ARTICLES: "Articles, the global list and the feed.",
    FAVORITES: "Favoriting articles.",
    COMMENTS: "Comments on articles.",
    TAGS: "The most used tags.",
    ADMIN: "User administration (admins only).",
    GRAPHQL: "The same API as GraphQL (Strawberry); its schema is introspectable where enabled.",
    DOCS: "This document and its interactive page.",
}


class GenericErrorModel(TypedDict):
    """Every error: the failing field (or resource) and its messages."""

    errors: dict[str, list[str]]


class GraphQLRequest(TypedDict):
    """A GraphQL-over-HTTP request."""

    query: str
    variables: NotRequired[dict[str, Any] | None]
    operationName: NotRequired[str | None]


class GraphQLResponse(TypedDict):
    """A GraphQL result: `data`, and `errors` with a machine-readable `extensions.code`."""

    data: NotRequired[dict[str, Any] | None]
    errors: NotRequired[list[dict[str, Any]]]


class GraphQLErrorExtensions(TypedDict):
    code: str


class GraphQLError(TypedDict):
    message: str
    extensions: GraphQLErrorExtensions


class GraphQLErrorResponse(TypedDict):
    """A request the GraphQL layer could not run, with `extensions.code` (BAD_REQUEST, NOT_FOUND,
    BAD_USER_INPUT)."""

    errors: list[GraphQLError]


@dataclass(frozen=True)
class Operation:
    """What the docs need about one function that its handler does not say."""

    tag: str
    response: Any = None  # the success body's type (TypedDict); None: no body, or `content` below
    request: Any = None  # the JSON body's type: a conduit.validation model (request.body(model))
    errors: tuple[int, ...] = ()  # raised by its services; the ones the decorator raises are added
    query: tuple[str, ...] = ()  # names in QUERY_PARAMETERS
    content: dict[str, dict[str, Any]] = field(default_factory=dict)  # media type -> schema (non-JSON)
    auth: str = "none"  # for handlers without the `endpoint` decorator (which records its own)
    graphql_errors: tuple[int, ...] = ()  # statuses answered with a GraphQL error body (GRAPHQL_ERRORS)


def _operations() -> dict[str, Operation]:
    """Function directory -> Operation (imported late: conduit is on sys.path only once the layer is)."""
    from conduit.services import views
    from conduit.validation import (
        DeleteAccountBody,
        LoginBody,
        NewArticleBody,
        NewCommentBody,
        PasswordResetBody,
        PasswordResetConfirmBody,
        RegisterBody,
        RoleChange,
        UpdateArticleBody,
        UpdateUserBody,
        VerifyEmailBody,
    )

    return {
        "users_register": Operation(USERS, views.SingleUser, RegisterBody, errors=(409,)),
        "users_login": Operation(USERS, views.SingleUser, LoginBody, errors=(401, 429)),
        "password_reset": Operation(USERS, views.Accepted, PasswordResetBody),
        "password_reset_confirm": Operation(USERS, views.SingleUser, PasswordResetConfirmBody),
        "verify_email": Operation(USERS, views.Accepted, VerifyEmailBody),
        "verify_email_resend": Operation(USERS, views.Accepted),
        "user_get": Operation(USERS, views.SingleUser),
        "user_export_start": Operation(USERS, views.SingleExport),
        "user_export_get": Operation(USERS, views.SingleExport, errors=(404,)),
        "user_delete": Operation(USERS, views.SingleDeletion, DeleteAccountBody, errors=(403,)),
        "admin_user_delete": Operation(ADMIN, views.SingleDeletion, errors=(404,)),
        "admin_deletion_get": Operation(ADMIN, views.SingleDeletion, errors=(404,)),
        "user_update": Operation(USERS, views.SingleUser, UpdateUserBody, errors=(409,)),
        "profile_get": Operation(PROFILE, views.SingleProfile, errors=(404,)),
        "profile_follow": Operation(PROFILE, views.SingleProfile, errors=(404, 422)),
        "profile_unfollow": Operation(PROFILE, views.SingleProfile, errors=(404,)),
        "articles_list": Operation(
            ARTICLES, views.MultipleArticles, errors=(422,), query=("tag", "author", "favorited", "limit", "offset")
        ),
        "articles_feed": Operation(ARTICLES, views.MultipleArticles, errors=(422,), query=("limit", "offset")),
        "article_create": Operation(ARTICLES, views.SingleArticle, NewArticleBody),
        "article_get": Operation(ARTICLES, views.SingleArticle, errors=(404,)),
        "article_update": Operation(ARTICLES, views.SingleArticle, UpdateArticleBody, errors=(403, 404)),
        "article_delete": Operation(ARTICLES, errors=(403, 404)),
        "article_favorite": Operation(FAVORITES, views.SingleArticle, errors=(404,)),
        "article_unfavorite": Operation(FAVORITES, views.SingleArticle, errors=(404,)),
        "comments_list": Operation(
            COMMENTS, views.MultipleComments, errors=(404, 422), query=("commentsLimit", "commentsOffset", "after")
        ),
        "comment_create": Operation(COMMENTS, views.SingleComment, NewCommentBody, errors=(404,)),
        "comment_delete": Operation(COMMENTS, errors=(403, 404)),
        "tags_list": Operation(TAGS, views.Tags),
        "admin_users_list": Operation(ADMIN, views.AdminUsers, errors=(422,), query=("usersLimit", "offset")),
        "admin_user_role": Operation(ADMIN, views.SingleAdminUser, RoleChange, errors=(404, 422)),
        "admin_user_suspend": Operation(ADMIN, views.SingleAdminUser, errors=(404, 422)),
        "admin_user_unsuspend": Operation(ADMIN, views.SingleAdminUser, errors=(404, 422)),
        "graphql": Operation(GRAPHQL, GraphQLResponse, GraphQLRequest, auth="optional", graphql_errors=(400, 413)),
        "graphql_get": Operation(
            GRAPHQL,
            query=("query", "variables", "operationName"),
            auth="optional",
            graphql_errors=(400, 404),
            content={
                JSON: {"$ref": REF_TEMPLATE.format(model="GraphQLResponse")},
                "text/html": {"type": "string", "description": "The GraphiQL IDE (browsers, where enabled)"},
            },
        ),
        "openapi_json": Operation(DOCS, content={JSON: {"type": "object", "description": "This document."}}),
        "docs_page": Operation(DOCS, content={"text/html": {"type": "string"}}),
        "docs_assets": Operation(
            DOCS,
            errors=(404,),
            content={
                "text/javascript": {"type": "string"},
                "text/css": {"type": "string"},
                "image/png": {"type": "string", "contentMediaType": "image/png"},
            },
        ),
    }


def _links() -> dict[str, dict[str, dict[str, str]]]:
    """Source operationId -> target operationId -> the target's parameters, as runtime expressions.

    OpenAPI links: which value of a success response feeds which later call (the article a create
    returns is the one to get, edit, favorite, comment on and delete). Clients read them; the
    stateful schema fuzzing (tests/fuzz) follows them to build whole scenarios."""
    article = {"slug": "$response.body#/article/slug"}
    on_article = (
        "ArticleGetFunction",
        "ArticleUpdateFunction",
        "ArticleDeleteFunction",
        "ArticleFavoriteFunction",
        "ArticleUnfavoriteFunction",
        "CommentsListFunction",
        "CommentCreateFunction",
    )
    user = {"username": "$response.body#/user/username"}
    on_user = (
        "ProfileGetFunction",
        "ProfileFollowFunction",
        "ProfileUnfollowFunction",
        "AdminUserRoleFunction",
        "AdminUserSuspendFunction",
        "AdminUserUnsuspendFunction",
    )
    return {
        "ArticleCreateFunction": dict.fromkeys(on_article, article),
        "ArticleUpdateFunction": dict.fromkeys(on_article, article),  # the slug follows the title
        "CommentCreateFunction": {
            "CommentDeleteFunction": {"slug": "$request.path.slug", "id": "$response.body#/comment/id"},
            "CommentsListFunction": {"slug": "$request.path.slug"},
        },
        "UsersRegisterFunction": dict.fromkeys(on_user, user),
        "UserUpdateFunction": {"ProfileGetFunction": user},  # the username may have changed
        "ProfileFollowFunction": {"ProfileUnfollowFunction": {"username": "$response.body#/profile/username"}},
        "AdminUserSuspendFunction": {"AdminUserUnsuspendFunction": user},
    }


PATH_PARAMETERS: dict[str, tuple[str, dict[str, Any]]] = {
    "username": ("Username of the profile", {"type": "string"}),
    "slug": ("Slug of the article", {"type": "string"}),
    "id": ("Id of the comment", {"type": "integer", "minimum": 0}),
    "asset": ("File name of a Swagger UI asset", {"type": "string"}),  # enum: the handler's ASSETS
}
ERRORS: dict[int, tuple[str, str, str]] = {  # status -> (component name, description, example field)
    401: ("Unauthorized", "Missing or invalid token, suspended user, or wrong login credentials", "token"),
    403: ("Forbidden", "Not allowed: not the author (nor a moderator), or not an admin", "article"),
    404: ("NotFound", "Not found: the key names the resource (article, profile, comment)", "article"),
    409: ("Conflict", "Already taken (username or email)", "username"),
    413: ("PayloadTooLarge", "Request body too large", "body"),
    415: (
        "UnsupportedMediaType",
        "The body is not `application/json` (parameters allowed; a charset must be UTF-8)",
        "body",
    ),
    422: ("Unprocessable", "Invalid request: each failing field with its messages", "title"),
    429: ("TooManyRequests", "Rate limit reached (writes per minute, failed logins); retry later", "rate"),
    503: ("ServiceUnavailable", "A dependency is throttled or unavailable; nothing changed, retry later", "server"),
}
# GraphQL refusals (conduit.graphql.asgi): status -> (component name, description, example code, message)
GRAPHQL_ERRORS: dict[int, tuple[str, str, str, str]] = {
    400: (
        "GraphQLBadRequest",
        "Not a GraphQL request: no or blank query, a body or `variables` that is not a JSON object (or not "
        "UTF-8, or nested deeper than 20 levels), a Content-Type other than application/json, a batch, a "
        "mutation over GET, an unknown operationName",
        "BAD_REQUEST",
        "No GraphQL query found in the request",
    ),
    404: (
        "GraphQLNotFound",
        "The GraphiQL page where it is disabled (GraphiqlEnabled=false)",
        "NOT_FOUND",
        "Not Found",
    ),
    413: (
        "GraphQLPayloadTooLarge",
        "Request body too large (REST's limit)",
        "BAD_USER_INPUT",
        "body is too large (maximum is 65536 bytes)",
    ),
}
EXAMPLE_MESSAGES = {
    401: "is missing",
    403: "forbidden",
    404: "not found",
    409: "has already been taken",
    413: "is too large (maximum is 65536 bytes)",
    415: "must be JSON (Content-Type: application/json)",
    422: "can't be blank",
    429: "limit reached, retry later",
    503: "temporarily unavailable, retry later",
}


class _Schemas(GenerateJsonSchema):
    """pydantic's JSON Schema, without the titles it derives from field names ("Createdat"), and
    without `default: null` on optional request fields: absent means "unchanged", not null."""

    def field_title_should_be_set(self, schema: Any) -> bool:
        return False

    def default_schema(self, schema: Any) -> Any:
        json_schema = super().default_schema(schema)
        if "default" in json_schema and json_schema["default"] is None:
            del json_schema["default"]
        return json_schema


def load_handler(route: cfn.Route) -> tuple[ModuleType, Callable[..., Any]]:
    """The route's app module and handler, imported as Lambda would (the layer on sys.path)."""
    for layer in cfn.load().layer_dirs():
        if str(layer) not in sys.path:
            sys.path.insert(0, str(layer))
    module_name, _, attribute = route.handler.rpartition(".")
    path = route.code_dir / f"{module_name.replace('.', '/')}.py"
    spec = importlib.util.spec_from_file_location(f"apidocs_{route.code_dir.name}", path)
    assert spec and spec.loader, path
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module, getattr(module, attribute)


def build() -> dict[str, Any]:
    routes = cfn.load().routes()
    handlers = {route.function: load_handler(route) for route in routes}
    operations = _operations()
    unknown = sorted({route.code_dir.name for route in routes} - set(operations))
    if unknown:
        raise LookupError(f"no entry in apidocs.generate._operations() for functions/{', functions/'.join(unknown)}")

    adapters: list[tuple[Any, Any, TypeAdapter[Any]]] = [
        ("error", "serialization", TypeAdapter(GenericErrorModel)),
        ("graphql-error", "serialization", TypeAdapter(GraphQLErrorResponse)),
    ]
    for name, op in sorted(operations.items()):
        if op.request is not None:
            adapters.append((name, "validation", TypeAdapter(op.request)))
        if op.response is not None:
            adapters.append((name, "serialization", TypeAdapter(op.response)))
    refs, definitions = TypeAdapter.json_schemas(adapters, ref_template=REF_TEMPLATE, schema_generator=_Schemas)
    schema_of = {
        key: schema
        for (key, mode), schema in refs.items()
        if key not in ("error", "graphql-error") and mode == "serialization"
    }
    request_of = {key: schema for (key, mode), schema in refs.items() if mode == "validation"}

    links = _links()
    functions = {route.function for route in routes}
    dangling = sorted(({*links} | {target for targets in links.values() for target in targets}) - functions)
    if dangling:
        raise LookupError(f"apidocs.generate._links() names no such function: {', '.join(dangling)}")

    paths: dict[str, dict[str, Any]] = {}
    for route in sorted(routes, key=lambda r: (r.path, r.method)):
        module, handler = handlers[route.function]
        name = route.code_dir.name
        paths.setdefault(route.path, {})[route.method.lower()] = _operation(
            route,
            module,
            handler,
            operations[name],
            request_of.get(name),
            schema_of.get(name),
            links.get(route.function),
        )

    return {
        "openapi": OPENAPI_VERSION,
        "info": {
            "title": "Conduit API",
            "version": _version(),
            "summary": "The RealWorld (Conduit) API, one AWS Lambda function per route.",
            "description": (
                "Implements the RealWorld API spec (https://realworld-docs.netlify.app/). "
                "Authenticated requests send `Authorization: Token <jwt>`, the token that registering "
                'or logging in returns. Errors are `{"errors": {<field>: [<message>, ...]}}`.\n\n'
                "Generated from the code by `python -m apidocs`: do not edit."
            ),
            "license": {"name": "MIT", "identifier": "MIT"},
        },
        "servers": [{"url": "/", "description": "This deployment (the host that serves this document)"}],
        "tags": [{"name": tag, "description": text} for tag, text in TAGS_DESCRIBED.items()],
        "paths": paths,
        "components": {
            "schemas": definitions.get("$defs", {}),
            "responses": {**_error_responses(), **_graphql_error_responses()},
            "parameters": _query_parameters(),
            "headers": {
                "ETag": {
                    "description": "Weak validator of the answer; send it back in If-None-Match",
                    "schema": {"type": "string"},
                }
            },
            "securitySchemes": {
                "Token": {
                    "type": "apiKey",
                    "in": "header",
                    "name": "Authorization",
                    "description": "`Token <jwt>`, the `token` of the user that registering or logging in returns.",
                }
            },
        },
    }


def _operation(
    route: cfn.Route,
    module: ModuleType,
    handler: Any,
    op: Operation,
    request: dict[str, Any] | None,
    response: dict[str, Any] | None,
    links: dict[str, dict[str, str]] | None = None,
) -> dict[str, Any]:
    decorated = hasattr(handler, "endpoint_auth")
    auth = getattr(handler, "endpoint_auth", op.auth)
    status = int(getattr(handler, "endpoint_status", 200))
    summary = _summary(module, route.route_key)

    success: dict[str, Any] = {"description": HTTPStatus(status).phrase}
    if response is not None:
        success["content"] = {JSON: {"schema": response}}
    elif op.content:
        success["content"] = {media: {"schema": schema} for media, schema in op.content.items()}
    if links:
        success["links"] = {
            target.removesuffix("Function"): {"operationId": target, "parameters": parameters}
            for target, parameters in sorted(links.items())
        }
    responses: dict[str, Any] = {str(status): success}
    # Conditional reads: the `endpoint` decorator puts a weak ETag on every 200 of a GET and answers
    # If-None-Match with a 304 (conduit.http.caching); conduit.static does the same for the docs.
    conditional = route.method == "GET" and status == 200 and (decorated or (bool(op.content) and op.tag == DOCS))
    if conditional:
        etag = {"ETag": {"$ref": "#/components/headers/ETag"}}
        success["headers"] = etag
        responses["304"] = {"description": "Not Modified: the ETag sent in If-None-Match is current", "headers": etag}
    rule = _rule(handler)
    errors = set(op.errors)
    if decorated:  # what the `endpoint` decorator itself answers (GraphQL reports errors its own way)
        errors.add(503)  # every decorated handler reads DynamoDB
        if auth != "none":
            errors.add(401)  # required: no token; optional too: a token that is sent must be valid
        if request is not None:
            errors |= {413, 415, 422}
    if rule is not None and rule.write:
        errors.add(429)  # the per-user (or per-IP) write quota
    if rule is not None and rule.roles != _all_roles():
        errors.add(403)
    if rule is not None and rule.idempotent:
        errors |= {409, 422}  # the key's first request still running; the key reused with another body
    for code in sorted(errors):
        responses[str(code)] = {"$ref": f"#/components/responses/{ERRORS[code][0]}"}
    for code in op.graphql_errors:
        responses[str(code)] = {"$ref": f"#/components/responses/{GRAPHQL_ERRORS[code][0]}"}

    operation: dict[str, Any] = {
        "operationId": route.function,
        "summary": summary,
        "tags": [op.tag],
        "responses": responses,
    }
    parameters = [_path_parameter(name, module) for name in re.findall(r"\{(\w+)\}", route.path)]
    parameters += [{"$ref": f"#/components/parameters/{name}"} for name in op.query]
    if rule is not None and rule.idempotent:
        parameters.append({"$ref": "#/components/parameters/IdempotencyKey"})
    if conditional:
        parameters.append({"$ref": "#/components/parameters/IfNoneMatch"})
    if parameters:
        operation["parameters"] = parameters
    if request is not None:
        operation["requestBody"] = {"required": True, "content": {JSON: {"schema": request}}}
    if auth == "required":
        operation["security"] = [{"Token": []}]
    elif auth == "optional":
        operation["security"] = [{"Token": []}, {}]
    return operation


def _rule(handler: Any) -> Any:
    """The authorization rule (conduit.authz) of the route the handler's decorator named, if any."""
    route = getattr(handler, "endpoint_route", None)
    if route is None:
        return None
    from conduit.authz import rule_for

    return rule_for(route)


def _all_roles() -> frozenset[Any]:
    from conduit.authz import Role

    return frozenset(Role)


def _summary(module: ModuleType, route_key: str) -> str:
    """The module docstring's first line, without its leading "METHOD /path — " and final period."""
    lines = (module.__doc__ or "").strip().splitlines()
    first = lines[0].strip() if lines else route_key
    summary = first.removeprefix(route_key).lstrip(" —-:").strip() or first
    return (summary[:1].upper() + summary[1:]).rstrip(".")


def _path_parameter(name: str, module: ModuleType) -> dict[str, Any]:
    description, schema = PATH_PARAMETERS[name]
    if name == "asset":
        schema = {**schema, "enum": sorted(module.ASSETS)}
    return {"name": name, "in": "path", "required": True, "description": description, "schema": schema}


def _query_parameters() -> dict[str, Any]:
    """tag/author/favorited filters and limit/offset paging, with the defaults of conduit.settings."""
    from conduit.services import paging
    from conduit.settings import Settings

    with mock.patch.dict(os.environ, {}, clear=True):  # the code's defaults, not this machine's environment
        settings = Settings.from_env()

    def query(name: str, description: str, schema: dict[str, Any]) -> dict[str, Any]:
        return {"name": name, "in": "query", "required": False, "description": description, "schema": schema}

    return {
        "tag": query("tag", "Only articles with this tag", {"type": "string"}),
        "author": query("author", "Only articles by this user (username)", {"type": "string"}),
        "favorited": query("favorited", "Only articles this user (username) favorited", {"type": "string"}),
        "limit": query(
            "limit",
            f"How many articles to return (at most {min(paging.ARTICLES_PAGE_MAX, settings.page_limit_max)}, "
            "so that a page of the longest articles fits a Lambda response; more is capped)",
            {"type": "integer", "minimum": 1, "default": settings.page_limit_default},
        ),
        "usersLimit": query(
            "limit",
            f"How many users to return (at most {settings.page_limit_max}; more is capped)",
            {"type": "integer", "minimum": 1, "default": settings.page_limit_default},
        ),
        "commentsLimit": query(
            "limit",
            f"How many comments to return (at most {paging.COMMENTS_PAGE_MAX}, so that a page of the longest "
            "comments fits a Lambda response; more is capped)",
            {"type": "integer", "minimum": 1, "default": settings.page_limit_default},
        ),
        "offset": query(
            "offset",
            "How many items to skip",
            {"type": "integer", "minimum": 0, "maximum": settings.page_offset_max, "default": 0},
        ),
        "commentsOffset": query(
            "offset",
            "How many comments to skip (deeper: `after`)",
            {"type": "integer", "minimum": 0, "maximum": paging.COMMENTS_OFFSET_MAX, "default": 0},
        ),
        "after": query(
            "after",
            "Only the comments after the one with this id (a cursor: pass the last id of a page)",
            {"type": "integer", "minimum": 0, "maximum": 999_999_999},
        ),
        "query": query("query", "The GraphQL query (no mutations over GET)", {"type": "string"}),
        "variables": query("variables", "The query's variables, as a JSON object", {"type": "string"}),
        "operationName": query("operationName", "Which operation of the query to run", {"type": "string"}),
        "IdempotencyKey": {
            "name": "Idempotency-Key",
            "in": "header",
            "required": False,
            "description": "Makes a retried create replay its first answer instead of creating twice",
            "schema": {"type": "string", "minLength": 1, "maxLength": 255, "pattern": "^[\\x21-\\x7e]+$"},
        },
        "IfNoneMatch": {
            "name": "If-None-Match",
            "in": "header",
            "required": False,
            "description": "ETags of copies the client holds (or `*`): 304 without a body when one is current",
            "schema": {"type": "string"},
        },
    }


def _error_responses() -> dict[str, Any]:
    found = {}
    for status, (name, description, example_field) in ERRORS.items():
        response: dict[str, Any] = {
            "description": description,
            "content": {
                JSON: {
                    "schema": {"$ref": REF_TEMPLATE.format(model="GenericErrorModel")},
                    "example": {"errors": {example_field: [EXAMPLE_MESSAGES[status]]}},
                }
            },
        }
        if status in {429, 503}:
            response["headers"] = {
                "Retry-After": {"description": "Seconds to wait before retrying", "schema": {"type": "integer"}}
            }
        found[name] = response
    return found


def _graphql_error_responses() -> dict[str, Any]:
    found = {}
    for name, description, code, message in GRAPHQL_ERRORS.values():
        found[name] = {
            "description": description,
            "content": {
                JSON: {
                    "schema": {"$ref": REF_TEMPLATE.format(model="GraphQLErrorResponse")},
                    "example": {"errors": [{"message": message, "extensions": {"code": code}}]},
                }
            },
        }
    return found


def _version() -> str:
    with (ROOT / "pyproject.toml").open("rb") as handle:
        return str(tomllib.load(handle)["project"]["version"])


def render(document: dict[str, Any]) -> str:
    """Deterministic text: sorted keys, 2-space indent, trailing newline."""
    return json.dumps(document, indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def main(argv: list[str] | None = None) -> int:
    import argparse

    parser = argparse.ArgumentParser(prog="python -m apidocs", description="Write docs/openapi.json from the code.")
    parser.add_argument("--check", action="store_true", help="write nothing; exit 1 if a written file is stale")
    args = parser.parse_args(argv)
    text = render(build())
    stale = [path for path in OUTPUTS if not path.is_file() or path.read_text(encoding="utf-8") != text]
    for path in stale:
        if args.check:
            print(f"stale: {path.relative_to(ROOT)} (run: .venv/bin/python -m apidocs)", file=sys.stderr)
        else:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8")
            print(f"wrote {path.relative_to(ROOT)}")
    return 1 if args.check and stale else 0
