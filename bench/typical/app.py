"""The "typical design" baseline of the cold-start bench (bench/coldstart.py): how a Python Lambda API
is usually written, doing the same DynamoDB calls as the layer for the same requests (docs/data-model.md
round trips), so that the two first responses can be compared.

Everything at module top, as the Powertools and boto3 examples do: Powertools Logger, Tracer, Metrics
and `APIGatewayHttpResolver`, `boto3.resource` for the table, pydantic models, PyJWT, argon2-cffi, and
the JWT secret through Powertools `parameters` (its boto3 SSM provider). It writes its own items under a
`TYPICAL#` prefix so that the layer's listings never see them. Bench-only: not deployed, not imported by
the layer.
"""

from __future__ import annotations

import os
import time
import uuid
from decimal import Decimal
from typing import Any

import boto3
import jwt
from argon2 import PasswordHasher
from argon2.exceptions import VerifyMismatchError
from aws_lambda_powertools import Logger, Metrics, Tracer
from aws_lambda_powertools.event_handler import APIGatewayHttpResolver, Response
from aws_lambda_powertools.event_handler.exceptions import NotFoundError, UnauthorizedError
from aws_lambda_powertools.logging import correlation_paths
from aws_lambda_powertools.metrics import MetricUnit
from aws_lambda_powertools.utilities import parameters
from boto3.dynamodb.conditions import Key
from pydantic import BaseModel, ConfigDict, Field

logger = Logger()
tracer = Tracer()
metrics = Metrics()
app = APIGatewayHttpResolver()
dynamodb = boto3.resource("dynamodb", endpoint_url=os.environ.get("DYNAMODB_ENDPOINT") or None)
table = dynamodb.Table(os.environ["TABLE_NAME"])
hasher = PasswordHasher(time_cost=2, memory_cost=19 * 1024, parallelism=1)


class Profile(BaseModel):
    model_config = ConfigDict(extra="ignore")
    username: str = ""
    bio: str | None = None
    image: str | None = None
    following: bool = False


class Article(BaseModel):
    model_config = ConfigDict(extra="ignore", populate_by_name=True)
    slug: str = ""
    title: str = ""
    description: str = ""
    body: str | None = None
    tag_list: list[str] = Field(default_factory=list, alias="tagList")
    created_at: str = Field("", alias="createdAt")
    updated_at: str = Field("", alias="updatedAt")
    favorited: bool = False
    favorites_count: int = Field(0, alias="favoritesCount")
    author: Profile = Field(default_factory=Profile)


class NewArticle(BaseModel):
    title: str = Field(min_length=1, max_length=200)
    description: str = Field(min_length=1, max_length=500)
    body: str = Field(min_length=1, max_length=50_000)
    tag_list: list[str] = Field(default_factory=list, alias="tagList", max_length=20)


class NewArticleRequest(BaseModel):
    article: NewArticle


class Login(BaseModel):
    email: str = Field(min_length=3, max_length=254)
    password: str = Field(min_length=1, max_length=256)


class LoginRequest(BaseModel):
    user: Login


class Registration(Login):
    username: str = Field(min_length=1, max_length=64)


class RegistrationRequest(BaseModel):
    user: Registration


def secret() -> str:
    return parameters.get_parameter(os.environ["JWT_SECRET_PARAMETER"], decrypt=True, max_age=300)


def viewer(required: bool = False) -> str | None:
    header = app.current_event.headers.get("authorization") or ""
    if not header.startswith("Token "):
        if required:
            raise UnauthorizedError("token required")
        return None
    try:
        claims = jwt.decode(header[6:], secret(), algorithms=["HS256"])
    except jwt.PyJWTError as error:
        raise UnauthorizedError("invalid token") from error
    role = {"ProjectionExpression": "#r", "ExpressionAttributeNames": {"#r": "role"}}
    table.get_item(Key={"PK": f"USER#{claims['sub']}", "SK": "PROFILE"}, **role)  # the current role
    return str(claims["sub"])


def quota(kind: str, who: str) -> None:
    window = int(time.time()) // 60 * 60
    table.update_item(
        Key={"PK": f"TYPICAL#QUOTA#{kind}#{who}", "SK": str(window)},
        UpdateExpression="ADD hits :one SET expiresAt = :ttl",
        ExpressionAttributeValues={":one": 1, ":ttl": window + 120},
    )


def article_view(item: dict[str, Any], author: dict[str, Any] | None, favorited: bool, following: bool) -> dict:
    profile = Profile.model_validate({**(author or {}), "following": following})
    view = Article.model_validate({**item, "favorited": favorited, "author": profile})
    return view.model_dump(by_alias=True)


@app.get("/api/articles/<slug>")
@tracer.capture_method
def get_article(slug: str) -> dict:
    uid = viewer()
    marker = table.get_item(Key={"PK": f"SLUG#{slug}", "SK": "SLUG"}).get("Item")
    if not marker:
        raise NotFoundError("article")
    aid, author_id = marker["articleId"], marker["authorId"]
    keys = [{"PK": f"ARTICLE#{aid}", "SK": "ARTICLE"}, {"PK": f"USER#{author_id}", "SK": "PROFILE"}]
    if uid:
        keys += [{"PK": f"ARTICLE#{aid}", "SK": f"FAVBY#{uid}"}, {"PK": f"USER#{uid}", "SK": f"FOLLOWS#{author_id}"}]
    found = dynamodb.batch_get_item(RequestItems={table.name: {"Keys": keys}})["Responses"][table.name]
    by_key = {(item["PK"], item["SK"]): item for item in found}
    item = by_key[(f"ARTICLE#{aid}", "ARTICLE")]
    author = by_key.get((f"USER#{author_id}", "PROFILE"))
    favorited = (f"ARTICLE#{aid}", f"FAVBY#{uid}") in by_key
    following = (f"USER#{uid}", f"FOLLOWS#{author_id}") in by_key
    return {"article": article_view(item, author, favorited, following)}


@app.get("/api/articles")
@tracer.capture_method
def list_articles() -> dict:
    uid = viewer()
    limit = int(app.current_event.get_query_string_value("limit", "20"))
    page = table.query(
        IndexName="ByKind", KeyConditionExpression=Key("GSI2PK").eq("ARTICLES"), ScanIndexForward=False, Limit=limit
    )["Items"]
    keys = [{"PK": item["PK"], "SK": "ARTICLE"} for item in page] + [{"PK": "COUNTER", "SK": "ARTICLES"}]
    articles = dynamodb.batch_get_item(RequestItems={table.name: {"Keys": keys}})["Responses"][table.name]
    articles = [item for item in articles if item["SK"] == "ARTICLE"]
    authors = {item.get("authorId") for item in articles if item.get("authorId")}
    related = [{"PK": f"USER#{author}", "SK": "PROFILE"} for author in authors]
    if uid:
        related += [{"PK": item["PK"], "SK": f"FAVBY#{uid}"} for item in articles]
        related += [{"PK": f"USER#{uid}", "SK": f"FOLLOWS#{author}"} for author in authors]
    found = []
    for start in range(0, len(related), 100):
        chunk = related[start : start + 100]
        found += dynamodb.batch_get_item(RequestItems={table.name: {"Keys": chunk}})["Responses"][table.name]
    by_key = {(item["PK"], item["SK"]): item for item in found}
    views = [
        article_view(
            {key: value for key, value in item.items() if key != "body"},
            by_key.get((f"USER#{item.get('authorId')}", "PROFILE")),
            (item["PK"], f"FAVBY#{uid}") in by_key,
            (f"USER#{uid}", f"FOLLOWS#{item.get('authorId')}") in by_key,
        )
        for item in articles
    ]
    return {"articles": views, "articlesCount": len(views)}


@app.post("/api/articles")
@tracer.capture_method
def create_article() -> Response:
    uid = viewer(required=True)
    new = NewArticleRequest.model_validate(app.current_event.json_body).article
    quota("write", uid)
    aid = uuid.uuid4().hex
    slug = f"{new.title.lower().replace(' ', '-')}-{aid[:8]}"
    now = time.strftime("%Y-%m-%dT%H:%M:%S.000Z", time.gmtime())
    item = {
        "PK": f"TYPICAL#ARTICLE#{aid}",
        "SK": "ARTICLE",
        "slug": slug,
        "title": new.title,
        "description": new.description,
        "body": new.body,
        "tagList": new.tag_list,
        "createdAt": now,
        "updatedAt": now,
        "authorId": uid,
        "favoritesCount": 0,
    }
    writes = [
        {"Put": {"TableName": table.name, "Item": item, "ConditionExpression": "attribute_not_exists(PK)"}},
        {
            "Put": {
                "TableName": table.name,
                "Item": {"PK": f"TYPICAL#SLUG#{slug}", "SK": "SLUG", "articleId": aid},
                "ConditionExpression": "attribute_not_exists(PK)",
            }
        },
        {
            "Update": {
                "TableName": table.name,
                "Key": {"PK": "TYPICAL#COUNTER", "SK": "ARTICLES"},
                "UpdateExpression": "ADD articleCount :one",
                "ExpressionAttributeValues": {":one": 1},
            }
        },
    ]
    writes += [
        {
            "Update": {
                "TableName": table.name,
                "Key": {"PK": f"TYPICAL#TAG#{tag}", "SK": "META"},
                "UpdateExpression": "ADD tagCount :one",
                "ExpressionAttributeValues": {":one": 1},
            }
        }
        for tag in new.tag_list
    ]
    dynamodb.meta.client.transact_write_items(TransactItems=writes)
    author = table.get_item(Key={"PK": f"USER#{uid}", "SK": "PROFILE"}).get("Item")
    metrics.add_metric(name="ArticlePublished", unit=MetricUnit.Count, value=1)
    return Response(201, "application/json", body={"article": article_view(item, author, False, False)})


@app.post("/api/users/login")
@tracer.capture_method
def login() -> dict:
    given = LoginRequest.model_validate(app.current_event.json_body).user
    ip = app.current_event.request_context.http.source_ip
    quota("login-ip", ip)
    quota("login-email", given.email.lower())
    marker = table.get_item(Key={"PK": f"EMAIL#{given.email.lower()}", "SK": "EMAIL"}).get("Item")
    if not marker:
        raise UnauthorizedError("email or password is invalid")
    user = table.get_item(Key={"PK": f"USER#{marker['userId']}", "SK": "PROFILE"})["Item"]
    try:
        hasher.verify(user["passwordHash"], given.password)
    except VerifyMismatchError as error:
        raise UnauthorizedError("email or password is invalid") from error
    quota("login-ip-back", ip)
    quota("login-email-back", given.email.lower())
    return {"user": {**_user(user), "token": _token(str(marker["userId"]))}}


@app.post("/api/users")
@tracer.capture_method
def register() -> Response:
    given = RegistrationRequest.model_validate(app.current_event.json_body).user
    quota("register-ip", app.current_event.request_context.http.source_ip)
    uid = uuid.uuid4().hex
    user = {
        "PK": f"TYPICAL#USER#{uid}",
        "SK": "PROFILE",
        "username": given.username,
        "email": given.email,
        "passwordHash": hasher.hash(given.password),
        "bio": None,
        "image": None,
    }
    client = dynamodb.meta.client
    client.transact_write_items(
        TransactItems=[
            {"Put": {"TableName": table.name, "Item": user, "ConditionExpression": "attribute_not_exists(PK)"}},
            {
                "Put": {
                    "TableName": table.name,
                    "Item": {"PK": f"TYPICAL#EMAIL#{given.email.lower()}", "SK": "EMAIL"},
                    "ConditionExpression": "attribute_not_exists(PK)",
                }
            },
            {
                "Put": {
                    "TableName": table.name,
                    "Item": {"PK": f"TYPICAL#UNAME#{given.username.lower()}", "SK": "UNAME"},
                    "ConditionExpression": "attribute_not_exists(PK)",
                }
            },
        ]
    )
    metrics.add_metric(name="UserRegistered", unit=MetricUnit.Count, value=1)
    return Response(201, "application/json", body={"user": {**_user(user), "token": _token(uid)}})


def _user(item: dict[str, Any]) -> dict[str, Any]:
    return {
        key: (int(value) if isinstance(value, Decimal) else value)
        for key, value in item.items()
        if key in ("username", "email", "bio", "image")
    }


def _token(uid: str) -> str:
    now = int(time.time())
    return jwt.encode({"sub": uid, "role": "user", "iat": now, "exp": now + 7 * 24 * 3600}, secret(), algorithm="HS256")


@logger.inject_lambda_context(correlation_id_path=correlation_paths.API_GATEWAY_HTTP)
@tracer.capture_lambda_handler
@metrics.log_metrics
def handler(event: dict, context: Any) -> dict:
    return app.resolve(event, context)
