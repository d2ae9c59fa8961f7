"""The "typical design" baseline of the cold-start bench (bench/coldstart.py): how a Python Lambda API
is usually written, doing the same DynamoDB calls as the layer for the same requests (docs/data-model.md
round trips), so that the two first responses can be compared.

Everything at module top, as the Powertools and boto3 examples do: Powertools Logger, Tracer, Metrics
and `APIGatewayHttpResolver`, `boto3.resource` for the table, pydantic models, PyJWT, argon2-cffi, and
the JWT secret through Powertools `parameters` (its boto3 SSM provider). It answers every RealWorld
endpoint (GET routes read the items the layer wrote; writes go under a `TYPICAL#` prefix so that the
layer's listings never see them, except the deletes, which delete an article or comment of their own),
with the calls of the layer's docs/data-model.md round trips where a typical team would make them, and
registration queues its verification email on SQS as ours does. Bench-only: not deployed, not imported by
the layer.
"""

from __future__ import annotations

import json
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


class UserChanges(BaseModel):
    email: str | None = Field(None, min_length=3, max_length=254)
    username: str | None = Field(None, min_length=1, max_length=64)
    password: str | None = Field(None, min_length=8, max_length=128)
    bio: str | None = Field(None, max_length=1000)
    image: str | None = Field(None, max_length=2048)


class UserChangesRequest(BaseModel):
    user: UserChanges


class ArticleChanges(BaseModel):
    title: str | None = Field(None, min_length=1, max_length=200)
    description: str | None = Field(None, min_length=1, max_length=500)
    body: str | None = Field(None, min_length=1, max_length=50_000)
    tag_list: list[str] | None = Field(None, alias="tagList", max_length=20)


class ArticleChangesRequest(BaseModel):
    article: ArticleChanges


class NewComment(BaseModel):
    body: str = Field(min_length=1, max_length=10_000)


class NewCommentRequest(BaseModel):
    comment: NewComment


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
    token = uuid.uuid4().hex  # the email verification, as ours: a stored token and a queued email
    table.put_item(Item={"PK": f"TYPICAL#VERIFY#{token}", "SK": "VERIFY", "userId": uid, "email": given.email})
    sqs = boto3.client("sqs")  # this function's module top, in a function per route
    message = {"kind": "verify-email", "to": given.email, "data": {"username": given.username, "token": token}}
    sqs.send_message(QueueUrl=os.environ["EMAIL_QUEUE_URL"], MessageBody=json.dumps(message))
    metrics.add_metric(name="UserRegistered", unit=MetricUnit.Count, value=1)
    return Response(201, "application/json", body={"user": {**_user(user), "token": _token(uid)}})


@app.get("/api/user")
@tracer.capture_method
def current_user() -> dict:
    uid = viewer(required=True)
    user = table.get_item(Key={"PK": f"USER#{uid}", "SK": "PROFILE"})["Item"]
    return {"user": {**_user(user), "token": _token(str(uid))}}


@app.put("/api/user")
@tracer.capture_method
def update_user() -> dict:
    uid = viewer(required=True)
    changes = UserChangesRequest.model_validate(app.current_event.json_body).user.model_dump(exclude_unset=True)
    quota("write", str(uid))
    user = table.get_item(Key={"PK": f"USER#{uid}", "SK": "PROFILE"})["Item"]
    names = {f"#{field}": field for field in changes}
    values = {f":{field}": value for field, value in changes.items()}
    update = "SET " + ", ".join(f"#{field} = :{field}" for field in changes)
    dynamodb.meta.client.transact_write_items(
        TransactItems=[
            {
                "Update": {
                    "TableName": table.name,
                    "Key": {"PK": f"USER#{uid}", "SK": "PROFILE"},
                    "UpdateExpression": update,
                    "ExpressionAttributeNames": names,
                    "ExpressionAttributeValues": {key: value for key, value in values.items()},
                }
            }
        ]
    )
    return {"user": {**_user({**user, **changes}), "token": _token(str(uid))}}


def _profile_of(username: str, uid: str | None) -> tuple[str, dict[str, Any]]:
    marker = table.get_item(Key={"PK": f"UNAME#{username.lower()}", "SK": "UNAME"}).get("Item")
    if not marker:
        raise NotFoundError("profile")
    target = str(marker["userId"])
    keys = [{"PK": f"USER#{target}", "SK": "PROFILE"}]
    if uid:
        keys.append({"PK": f"USER#{uid}", "SK": f"FOLLOWS#{target}"})
    found = dynamodb.batch_get_item(RequestItems={table.name: {"Keys": keys}})["Responses"][table.name]
    by_sort = {item["SK"]: item for item in found}
    profile = Profile.model_validate({**by_sort.get("PROFILE", {}), "following": f"FOLLOWS#{target}" in by_sort})
    return target, {"profile": profile.model_dump()}


@app.get("/api/profiles/<username>")
@tracer.capture_method
def get_profile(username: str) -> dict:
    return _profile_of(username, viewer())[1]


def _follow(username: str, following: bool) -> dict:
    uid = viewer(required=True)
    quota("write", str(uid))
    marker = table.get_item(Key={"PK": f"UNAME#{username.lower()}", "SK": "UNAME"}).get("Item")
    if not marker:
        raise NotFoundError("profile")
    edge = {"PK": f"TYPICAL#USER#{uid}", "SK": f"FOLLOWS#{marker['userId']}"}
    count = {"PK": f"TYPICAL#USER#{marker['userId']}", "SK": "FOLLOWERS"}
    write = (
        {"Put": {"TableName": table.name, "Item": edge}}
        if following
        else {"Delete": {"TableName": table.name, "Key": edge}}
    )
    bump = "ADD followers :one"
    table_name = table.name
    dynamodb.meta.client.transact_write_items(
        TransactItems=[
            write,
            {
                "Update": {
                    "TableName": table_name,
                    "Key": {"PK": count["PK"], "SK": count["SK"]},
                    "UpdateExpression": bump,
                    "ExpressionAttributeValues": {":one": 1 if following else -1},
                }
            },
        ]
    )
    profile = _profile_of(username, None)[1]
    profile["profile"]["following"] = following
    return profile


@app.post("/api/profiles/<username>/follow")
@tracer.capture_method
def follow(username: str) -> dict:
    return _follow(username, True)


@app.delete("/api/profiles/<username>/follow")
@tracer.capture_method
def unfollow(username: str) -> dict:
    return _follow(username, False)


def _views(articles: list[dict[str, Any]], uid: str | None) -> list[dict]:
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
    return [
        article_view(
            {key: value for key, value in item.items() if key != "body"},
            by_key.get((f"USER#{item.get('authorId')}", "PROFILE")),
            (item["PK"], f"FAVBY#{uid}") in by_key,
            (f"USER#{uid}", f"FOLLOWS#{item.get('authorId')}") in by_key,
        )
        for item in articles
    ]


@app.get("/api/articles/feed")
@tracer.capture_method
def feed() -> dict:
    uid = viewer(required=True)
    edges = table.query(KeyConditionExpression=Key("PK").eq(f"USER#{uid}") & Key("SK").begins_with("FOLLOWS#"))["Items"]
    ids: list[str] = []
    for edge in edges:
        author = edge["SK"].removeprefix("FOLLOWS#")
        page = table.query(
            IndexName="ByOwner",
            KeyConditionExpression=Key("GSI1PK").eq(f"AUTHOR#{author}"),
            ScanIndexForward=False,
            Limit=20,
        )["Items"]
        ids += [item["PK"] for item in page]
    ids = sorted(set(ids), reverse=True)[:20]
    articles = []
    if ids:
        keys = [{"PK": pk, "SK": "ARTICLE"} for pk in ids]
        articles = dynamodb.batch_get_item(RequestItems={table.name: {"Keys": keys}})["Responses"][table.name]
    views = _views(articles, uid)
    return {"articles": views, "articlesCount": len(views)}


def _marker(slug: str) -> dict[str, Any]:
    marker = table.get_item(Key={"PK": f"SLUG#{slug}", "SK": "SLUG"}).get("Item")
    if not marker:
        raise NotFoundError("article")
    return marker


@app.put("/api/articles/<slug>")
@tracer.capture_method
def update_article(slug: str) -> dict:
    uid = viewer(required=True)
    changes = ArticleChangesRequest.model_validate(app.current_event.json_body).article
    quota("write", str(uid))
    marker = _marker(slug)
    key = {"PK": f"ARTICLE#{marker['articleId']}", "SK": "ARTICLE"}
    item = table.get_item(Key=key)["Item"]
    fields = changes.model_dump(exclude_unset=True, by_alias=True)
    client = dynamodb.meta.client
    client.transact_write_items(
        TransactItems=[
            {
                "Update": {
                    "TableName": table.name,
                    "Key": {"PK": key["PK"], "SK": "ARTICLE"},
                    "UpdateExpression": "SET " + ", ".join(f"#{name} = :{name}" for name in fields),
                    "ConditionExpression": "authorId = :me",
                    "ExpressionAttributeNames": {f"#{name}": name for name in fields},
                    "ExpressionAttributeValues": {
                        ":me": str(uid),
                        **{f":{name}": str(value) for name, value in fields.items()},
                    },
                }
            }
        ]
    )
    return {"article": _views([{**item, **fields}], uid)[0]}


@app.delete("/api/articles/<slug>")
@tracer.capture_method
def delete_article(slug: str) -> dict:
    uid = viewer(required=True)
    quota("write", str(uid))
    marker = _marker(slug)
    if marker["authorId"] != uid:
        raise UnauthorizedError("not the author")
    partition = f"ARTICLE#{marker['articleId']}"
    children = table.query(KeyConditionExpression=Key("PK").eq(partition), ProjectionExpression="PK, SK")["Items"]
    with table.batch_writer() as batch:
        for child in children:
            batch.delete_item(Key={"PK": child["PK"], "SK": child["SK"]})
        batch.delete_item(Key={"PK": f"SLUG#{slug}", "SK": "SLUG"})
    table.update_item(
        Key={"PK": "TYPICAL#COUNTER", "SK": "ARTICLES"},
        UpdateExpression="ADD articleCount :minus",
        ExpressionAttributeValues={":minus": -1},
    )
    return {}


def _favorite(slug: str, favorited: bool) -> dict:
    uid = viewer(required=True)
    quota("write", str(uid))
    marker = _marker(slug)
    edge = {"PK": f"TYPICAL#ARTICLE#{marker['articleId']}", "SK": f"FAVBY#{uid}"}
    write = (
        {"Put": {"TableName": table.name, "Item": edge}}
        if favorited
        else {"Delete": {"TableName": table.name, "Key": edge}}
    )
    dynamodb.meta.client.transact_write_items(
        TransactItems=[
            write,
            {
                "Update": {
                    "TableName": table.name,
                    "Key": {"PK": f"TYPICAL#ARTICLE#{marker['articleId']}", "SK": "FAVORITES"},
                    "UpdateExpression": "ADD favoritesCount :one",
                    "ExpressionAttributeValues": {":one": 1 if favorited else -1},
                }
            },
        ]
    )
    keys = [
        {"PK": f"ARTICLE#{marker['articleId']}", "SK": "ARTICLE"},
        {"PK": f"USER#{marker['authorId']}", "SK": "PROFILE"},
    ]
    found = dynamodb.batch_get_item(RequestItems={table.name: {"Keys": keys}})["Responses"][table.name]
    by_sort = {item["SK"]: item for item in found}
    return {"article": article_view(by_sort["ARTICLE"], by_sort.get("PROFILE"), favorited, False)}


@app.post("/api/articles/<slug>/favorite")
@tracer.capture_method
def favorite(slug: str) -> dict:
    return _favorite(slug, True)


@app.delete("/api/articles/<slug>/favorite")
@tracer.capture_method
def unfavorite(slug: str) -> dict:
    return _favorite(slug, False)


def _comment_views(comments: list[dict[str, Any]], uid: str | None) -> list[dict]:
    authors = {item["authorId"] for item in comments}
    keys = [{"PK": f"USER#{author}", "SK": "PROFILE"} for author in authors]
    if uid:
        keys += [{"PK": f"USER#{uid}", "SK": f"FOLLOWS#{author}"} for author in authors]
    found = dynamodb.batch_get_item(RequestItems={table.name: {"Keys": keys}})["Responses"][table.name] if keys else []
    by_key = {(item["PK"], item["SK"]): item for item in found}
    views = []
    for item in comments:
        author = by_key.get((f"USER#{item['authorId']}", "PROFILE"), {})
        following = (f"USER#{uid}", f"FOLLOWS#{item['authorId']}") in by_key
        profile = Profile.model_validate({**author, "following": following}).model_dump()
        views.append({key: item.get(key) for key in ("id", "body", "createdAt", "updatedAt")} | {"author": profile})
    return views


@app.get("/api/articles/<slug>/comments")
@tracer.capture_method
def list_comments(slug: str) -> dict:
    uid = viewer()
    marker = _marker(slug)
    partition = Key("PK").eq(f"ARTICLE#{marker['articleId']}") & Key("SK").begins_with("COMMENT#")
    comments = table.query(KeyConditionExpression=partition, ScanIndexForward=False, Limit=20)["Items"]
    return {"comments": _comment_views(comments, uid)}


@app.post("/api/articles/<slug>/comments")
@tracer.capture_method
def add_comment(slug: str) -> Response:
    uid = viewer(required=True)
    new = NewCommentRequest.model_validate(app.current_event.json_body).comment
    quota("write", str(uid))
    marker = _marker(slug)
    counter = table.update_item(
        Key={"PK": f"TYPICAL#ARTICLE#{marker['articleId']}", "SK": "COMMENTSEQ"},
        UpdateExpression="ADD seq :one",
        ExpressionAttributeValues={":one": 1},
        ReturnValues="UPDATED_NEW",
    )
    number = int(counter["Attributes"]["seq"])
    now = time.strftime("%Y-%m-%dT%H:%M:%S.000Z", time.gmtime())
    item = {
        "PK": f"TYPICAL#ARTICLE#{marker['articleId']}",
        "SK": f"COMMENT#{number:012d}",
        "id": number,
        "body": new.body,
        "authorId": uid,
        "createdAt": now,
        "updatedAt": now,
    }
    dynamodb.meta.client.transact_write_items(
        TransactItems=[
            {
                "Put": {
                    "TableName": table.name,
                    "Item": item,
                    "ConditionExpression": "attribute_not_exists(PK)",
                }
            }
        ]
    )
    return Response(201, "application/json", body={"comment": _comment_views([item], uid)[0]})


@app.delete("/api/articles/<slug>/comments/<comment_id>")
@tracer.capture_method
def delete_comment(slug: str, comment_id: str) -> dict:
    uid = viewer(required=True)
    quota("write", str(uid))
    marker = _marker(slug)
    key = {"PK": f"ARTICLE#{marker['articleId']}", "SK": f"COMMENT#{int(comment_id):012d}"}
    dynamodb.meta.client.transact_write_items(
        TransactItems=[
            {
                "Delete": {
                    "TableName": table.name,
                    "Key": key,
                    "ConditionExpression": "authorId = :me",
                    "ExpressionAttributeValues": {":me": str(uid)},
                }
            }
        ]
    )
    return {}


@app.get("/api/tags")
@tracer.capture_method
def list_tags() -> dict:
    counts: dict[str, int] = {}
    for number in range(8):
        partition = "TAGS" if number == 0 else f"TAGS#{number}"
        page = table.query(
            IndexName="TagsByCount",
            KeyConditionExpression=Key("GSI3PK").eq(partition),
            ScanIndexForward=False,
            Limit=20,
        )["Items"]
        for row in page:
            tag = str(row["PK"]).removeprefix("TAG#")
            counts[tag] = counts.get(tag, 0) + int(row.get("tagCount", 0))
    return {"tags": sorted((tag for tag, count in counts.items() if count > 0), key=lambda tag: -counts[tag])[:20]}


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
