"""One measured request per endpoint (four for GET /articles), with its unmeasured preparation.

`prepare` brings the table into the state the request needs (through the handlers, unmeasured) and
returns the request; it can run any number of times, so the latency loop repeats it. Every
scenario's share of the traffic mix and the sequential round trips docs/data-model.md promises are
listed next to it.
"""

from __future__ import annotations

import itertools
import json
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qs, urlsplit

from bench.harness import Harness
from bench.seed import BODY, CREATED_TAG, DESCRIPTION, FOLLOWED, Fixture

MIX_GROUPS = {
    "reads": "article reads and lists",
    "social": "profiles and tags",
    "comments": "comment lists",
    "writes": "writes",
    "auth": "auth",
}


@dataclass
class Request:
    function: str
    path: str | None = None
    query: str = ""
    body: Any = None
    token: str | None = None
    expect: int | None = 200  # None: any answer below 500
    headers: dict[str, str] = field(default_factory=dict)
    event: dict[str, Any] | None = None  # a non-HTTP event (a stream batch) sent as it is
    env: dict[str, str] = field(default_factory=dict)  # environment for this request only

    def ok(self, status: int) -> bool:
        return status == self.expect if self.expect is not None else status < 500


@dataclass
class Context:
    harness: Harness
    fixture: Fixture
    tokens: dict[str, str] = field(default_factory=dict)
    state: dict[str, Any] = field(default_factory=dict)
    counter: Any = field(default_factory=itertools.count)

    def __post_init__(self) -> None:
        from conduit.security.tokens import issue_token

        for user in (self.fixture.viewer, self.fixture.actor):
            self.tokens[user.username] = issue_token(user.uid)
        self.tokens[self.fixture.admin.username] = issue_token(self.fixture.admin.uid, "admin")

    @property
    def viewer(self) -> str:
        return self.tokens[self.fixture.viewer.username]

    @property
    def actor(self) -> str:
        return self.tokens[self.fixture.actor.username]

    @property
    def admin(self) -> str:
        return self.tokens[self.fixture.admin.username]

    def next(self) -> int:
        return next(self.counter)

    def run(self, request: Request) -> Any:
        """An unmeasured request (preparation); fails loudly if it does not succeed."""
        status, body = self.harness.invoke(request.function, event_for(self.harness, request))
        if not request.ok(status):
            raise RuntimeError(f"preparation {request.function} {request.path} -> {status} {body}")
        return body


@dataclass
class Scenario:
    name: str
    function: str
    group: str
    weight: float  # percent of the traffic mix
    doc_row: str | None  # its row in docs/data-model.md's round-trip table
    prepare: Callable[[Context], Request]
    note: str = ""


def event_for(harness: Harness, request: Request) -> dict[str, Any]:
    event = request.event if request.event is not None else _http_event(harness, request)
    return {**event, "_bench_env": request.env} if request.env else event


def _http_event(harness: Harness, request: Request) -> dict[str, Any]:
    return harness.event(
        request.function,
        path=request.path,
        query=request.query,
        body=request.body,
        token=request.token,
        headers=request.headers,
    )


# preparation helpers --------------------------------------------------------------------------------


def _new_article(ctx: Context, tags: list[str]) -> str:
    title = f"Bench scratch {ctx.next()}"
    article = {"title": title, "description": DESCRIPTION, "body": BODY, "tagList": tags}
    body = ctx.run(Request("ArticleCreateFunction", body={"article": article}, token=ctx.actor, expect=201))
    return body["article"]["slug"]


def _scratch(ctx: Context) -> str:
    if "scratch" not in ctx.state:
        ctx.state["scratch"] = _new_article(ctx, ["tag-002"])
    return ctx.state["scratch"]


def _toggle(ctx: Context, key: str, want: bool, on: Request, off: Request) -> None:
    """Make sure a follow/favorite is in the state the measured request starts from."""
    if ctx.state.get(key, False) != want:
        ctx.run(on if want else off)
    ctx.state[key] = not want  # the measured request flips it


def _follow_requests(ctx: Context) -> tuple[Request, Request]:
    path = f"/api/profiles/{ctx.fixture.authors[-1].username}/follow"
    return Request("ProfileFollowFunction", path, token=ctx.actor), Request(
        "ProfileUnfollowFunction", path, token=ctx.actor
    )


def _favorite_requests(ctx: Context) -> tuple[Request, Request]:
    path = f"/api/articles/{ctx.fixture.target_slug}/favorite"
    return Request("ArticleFavoriteFunction", path, token=ctx.actor), Request(
        "ArticleUnfavoriteFunction", path, token=ctx.actor
    )


# the scenarios -------------------------------------------------------------------------------------------


def register(ctx: Context) -> Request:
    name = f"bench_new_{ctx.next()}"
    ctx.state["registered"] = name
    user = {"username": name, "email": f"{name}@bench.example", "password": ctx.fixture.password}
    return Request("UsersRegisterFunction", body={"user": user}, expect=201)


def login(ctx: Context) -> Request:
    user = {"email": ctx.fixture.viewer.email, "password": ctx.fixture.password}
    return Request("UsersLoginFunction", body={"user": user})


def user_get(ctx: Context) -> Request:
    return Request("UserGetFunction", token=ctx.viewer)


def user_update(ctx: Context) -> Request:
    return Request("UserUpdateFunction", body={"user": {"bio": f"Bio number {ctx.next()}"}}, token=ctx.actor)


def profile_get(ctx: Context) -> Request:
    return Request("ProfileGetFunction", f"/api/profiles/{ctx.fixture.authors[0].username}", token=ctx.viewer)


def follow(ctx: Context) -> Request:
    on, off = _follow_requests(ctx)
    _toggle(ctx, "following", False, on, off)
    return on


def unfollow(ctx: Context) -> Request:
    on, off = _follow_requests(ctx)
    _toggle(ctx, "following", True, on, off)
    return off


def list_articles(query_for: Callable[[Fixture], str]) -> Callable[[Context], Request]:
    def prepare(ctx: Context) -> Request:
        return Request("ArticlesListFunction", query=query_for(ctx.fixture), token=ctx.viewer)

    return prepare


def feed(ctx: Context) -> Request:
    return Request("ArticlesFeedFunction", token=ctx.viewer)


def stream_event(*records: tuple[str, dict[str, str], dict[str, Any]]) -> dict[str, Any]:
    """A DynamoDB Streams batch as Lambda delivers it: (eventName, keys, image) per record."""
    from conduit.store.client import to_ddb

    out = []
    for n, (name, key, image) in enumerate(records):
        change = {"Keys": to_ddb(key), "SequenceNumber": f"{n + 1:024d}", "StreamViewType": "NEW_AND_OLD_IMAGES"}
        change["NewImage" if name == "INSERT" else "OldImage"] = to_ddb({**key, **image})
        out.append({"eventName": name, "eventSource": "aws:dynamodb", "dynamodb": change})
    return {"Records": out}


def article_record(name: str, author: str, aid: str) -> tuple[str, dict[str, str], dict[str, Any]]:
    from conduit.store import keys

    return name, keys.article(aid), {"id": aid, "authorId": author}


def follow_record(name: str, follower: str, followee: str) -> tuple[str, dict[str, str], dict[str, Any]]:
    from conduit.store import keys

    return name, keys.follow(follower, followee), {"GSI1PK": keys.followers_partition(followee), "GSI1SK": follower}


def feed_fanout_read(ctx: Context) -> Request:
    """The viewer's feed with FEED_MODE=fan-out, after the consumer backfilled its 10 follows."""
    if not ctx.state.get("feed_backfilled"):
        viewer = ctx.fixture.viewer.uid
        records = [follow_record("INSERT", viewer, author.uid) for author in ctx.fixture.authors[:FOLLOWED]]
        ctx.run(Request("FeedFanoutFunction", event=stream_event(*records)))
        ctx.state["feed_backfilled"] = True
    return Request("ArticlesFeedFunction", token=ctx.viewer, env={"FEED_MODE": "fan-out"})


def feed_fanout_publish(ctx: Context) -> Request:
    """The consumer's work for one published article of an author with one follower (the viewer)."""
    from conduit.store.ids import new_id

    author = ctx.fixture.authors[0].uid
    return Request("FeedFanoutFunction", event=stream_event(article_record("INSERT", author, new_id())))


FOLD_MARKERS = 10  # pending favorite markers in the measured stream batch


def favorites_fold(ctx: Context) -> Request:
    """The stream's fold of one busy article: FOLD_MARKERS favorites (or their withdrawals) pending,
    left unfolded as on an article too busy for the requests' own fold (store.favorites.QUIET_PENDING)."""
    from conduit.store import articles, favorites, keys

    aid = articles.find_by_slug(_scratch(ctx)).article_id
    fans = [author.uid for author in ctx.fixture.authors[:FOLD_MARKERS]]
    quiet, favorites.QUIET_PENDING = favorites.QUIET_PENDING, 0
    try:
        for uid in fans:
            if not favorites.favorite(aid, uid):
                favorites.unfavorite(aid, uid)
    finally:
        favorites.QUIET_PENDING = quiet
    records = [("MODIFY", keys.pending_favorite(aid, uid), {"delta": 1}) for uid in fans]
    return Request("FavoritesFoldFunction", event=stream_event(*records))


def article_create(ctx: Context) -> Request:
    article = {
        "title": f"Bench created {ctx.next()}",
        "description": DESCRIPTION,
        "body": BODY,
        "tagList": ["tag-000", CREATED_TAG],
    }
    return Request("ArticleCreateFunction", body={"article": article}, token=ctx.actor, expect=201)


def article_get(ctx: Context) -> Request:
    return Request("ArticleGetFunction", f"/api/articles/{ctx.fixture.target_slug}", token=ctx.viewer)


def article_update(ctx: Context) -> Request:
    from conduit.services.slugs import slugify

    if "editable" not in ctx.state:
        ctx.state["editable"] = _new_article(ctx, ["tag-003"])
        ctx.state["edits"] = 0
    slug = ctx.state["editable"]
    ctx.state["edits"] += 1
    title = f"Bench edited {'AB'[ctx.state['edits'] % 2]}"
    ctx.state["editable"] = slugify(title)
    change = {"title": title, "body": f"Edited body {ctx.state['edits']}"}
    return Request("ArticleUpdateFunction", f"/api/articles/{slug}", body={"article": change}, token=ctx.actor)


def article_delete(ctx: Context) -> Request:
    slug = _new_article(ctx, ["tag-001"])
    for n in range(2):
        comment = {"comment": {"body": f"Doomed comment {n}"}}
        ctx.run(
            Request(
                "CommentCreateFunction", f"/api/articles/{slug}/comments", body=comment, token=ctx.viewer, expect=201
            )
        )
    ctx.run(Request("ArticleFavoriteFunction", f"/api/articles/{slug}/favorite", token=ctx.viewer))
    return Request("ArticleDeleteFunction", f"/api/articles/{slug}", token=ctx.actor, expect=204)


def favorite(ctx: Context) -> Request:
    on, off = _favorite_requests(ctx)
    _toggle(ctx, "favorited", False, on, off)
    return on


def unfavorite(ctx: Context) -> Request:
    on, off = _favorite_requests(ctx)
    _toggle(ctx, "favorited", True, on, off)
    return off


def comments_list(ctx: Context) -> Request:
    return Request("CommentsListFunction", f"/api/articles/{ctx.fixture.target_slug}/comments", token=ctx.viewer)


def comment_create(ctx: Context) -> Request:
    body = {"comment": {"body": f"Comment number {ctx.next()}"}}
    return Request(
        "CommentCreateFunction", f"/api/articles/{_scratch(ctx)}/comments", body=body, token=ctx.actor, expect=201
    )


def comment_delete(ctx: Context) -> Request:
    path = f"/api/articles/{_scratch(ctx)}/comments"
    created = ctx.run(
        Request("CommentCreateFunction", path, body={"comment": {"body": "Soon gone"}}, token=ctx.actor, expect=201)
    )
    return Request("CommentDeleteFunction", f"{path}/{created['comment']['id']}", token=ctx.actor, expect=204)


def tags_list(ctx: Context) -> Request:
    return Request("TagsListFunction")


def admin_users(ctx: Context) -> Request:
    return Request("AdminUsersListFunction", token=ctx.admin)


def admin_role(ctx: Context) -> Request:
    ctx.state["role"] = "user" if ctx.state.get("role") == "moderator" else "moderator"
    path = "/api/admin/users/user_000001/role"
    return Request("AdminUserRoleFunction", path, body={"role": ctx.state["role"]}, token=ctx.admin)


def admin_suspend(ctx: Context) -> Request:
    on, off = _suspend_requests(ctx)
    _toggle(ctx, "suspended", False, on, off)
    return on


def admin_unsuspend(ctx: Context) -> Request:
    on, off = _suspend_requests(ctx)
    _toggle(ctx, "suspended", True, on, off)
    return off


def _suspend_requests(ctx: Context) -> tuple[Request, Request]:
    path = "/api/admin/users/user_000000/suspend"
    return Request("AdminUserSuspendFunction", path, token=ctx.admin), Request(
        "AdminUserUnsuspendFunction", path, token=ctx.admin
    )


# account lifecycle (issue 16) --------------------------------------------------------------------


def _scratch_user(ctx: Context, prefix: str) -> dict[str, Any]:
    """A new user registered through the handler: its view (token, username, email)."""
    name = f"bench_{prefix}_{ctx.next()}"
    user = {"username": name, "email": f"{name}@bench.example", "password": ctx.fixture.password}
    return ctx.run(Request("UsersRegisterFunction", body={"user": user}, expect=201))["user"]


def _reset_user(ctx: Context) -> dict[str, Any]:
    """One user per table whose resets are requested (the fixture's users keep their credentials)."""
    if "reset_user" not in ctx.state:
        ctx.state["reset_user"] = _scratch_user(ctx, "reset")
    return ctx.state["reset_user"]


def _queued(ctx: Context, queue: str, match: Callable[[dict[str, Any]], bool]) -> dict[str, Any]:
    """The last message of `queue` whose body matches (every visible message is taken off the queue)."""
    found = [m for m in ctx.harness.take_messages(queue) if match(json.loads(m["Body"]))]
    if not found:
        raise RuntimeError(f"preparation: no such message on {queue}")
    return found[-1]


def _emailed_token(ctx: Context, kind: str, to: str) -> str:
    message = _queued(ctx, "EmailQueue", lambda body: body["kind"] == kind and body["to"] == to)
    link = json.loads(message["Body"])["data"]["link"]
    return parse_qs(urlsplit(link).query)["token"][0]


def _request_reset(ctx: Context, email: str) -> Request:
    return Request("PasswordResetFunction", body={"user": {"email": email}}, expect=202)


def password_reset(ctx: Context) -> Request:
    return _request_reset(ctx, _reset_user(ctx)["email"])


def password_reset_confirm(ctx: Context) -> Request:
    user = _scratch_user(ctx, "confirm")
    ctx.run(_request_reset(ctx, user["email"]))
    token = _emailed_token(ctx, "password-reset", user["email"])
    body = {"user": {"token": token, "password": f"{ctx.fixture.password}-new"}}
    return Request("PasswordResetConfirmFunction", body=body)


def verify_email(ctx: Context) -> Request:
    user = _scratch_user(ctx, "verify")
    token = _emailed_token(ctx, "verify-email", user["email"])
    return Request("VerifyEmailFunction", body={"user": {"token": token}})


def verify_email_resend(ctx: Context) -> Request:
    return Request("VerifyEmailResendFunction", token=_scratch_user(ctx, "resend")["token"], expect=202)


def user_delete(ctx: Context) -> Request:
    user = _scratch_user(ctx, "leaving")
    body = {"user": {"password": ctx.fixture.password}}
    return Request("UserDeleteFunction", body=body, token=user["token"], expect=202)


def _admin_delete(username: str, admin: str) -> Request:
    return Request("AdminUserDeleteFunction", f"/api/admin/users/{username}", token=admin, expect=202)


def admin_user_delete(ctx: Context) -> Request:
    return _admin_delete(_scratch_user(ctx, "removed")["username"], ctx.admin)


def admin_deletion_get(ctx: Context) -> Request:
    if "deletion" not in ctx.state:
        removed = _scratch_user(ctx, "removed")
        ctx.state["deletion"] = ctx.run(_admin_delete(removed["username"], ctx.admin))["deletion"]["id"]
    return Request("AdminDeletionGetFunction", f"/api/admin/deletions/{ctx.state['deletion']}", token=ctx.admin)


def _exporter(ctx: Context) -> str:
    """The token of one user per table whose data is exported (an article, a follow, a favorite)."""
    if "exporter" not in ctx.state:
        token = _scratch_user(ctx, "exporter")["token"]
        article = {"title": f"Bench export {ctx.next()}", "description": DESCRIPTION, "body": BODY, "tagList": []}
        ctx.run(Request("ArticleCreateFunction", body={"article": article}, token=token, expect=201))
        ctx.run(
            Request("ProfileFollowFunction", f"/api/profiles/{ctx.fixture.authors[0].username}/follow", token=token)
        )
        ctx.run(Request("ArticleFavoriteFunction", f"/api/articles/{ctx.fixture.target_slug}/favorite", token=token))
        ctx.state["exporter"] = token
    return ctx.state["exporter"]


def user_export_start(ctx: Context) -> Request:
    return Request("UserExportStartFunction", token=_exporter(ctx), expect=202)


def _built_export(ctx: Context) -> tuple[str, dict[str, Any]]:
    """A started export: its id and the SQS event that delivers its queued message to the builder."""
    export_id = ctx.run(user_export_start(ctx))["export"]["id"]
    message = _queued(ctx, "ExportQueue", lambda body: body["exportId"] == export_id)
    return export_id, ctx.harness.sqs_event("ExportQueue", [message])


def user_export_get(ctx: Context) -> Request:
    if "export" not in ctx.state:
        export_id, event = _built_export(ctx)
        ctx.run(Request("ExportBuilderFunction", event=event))
        ctx.state["export"] = export_id
    return Request("UserExportGetFunction", f"/api/user/export/{ctx.state['export']}", token=_exporter(ctx))


def email_sender(ctx: Context) -> Request:
    email = _reset_user(ctx)["email"]
    ctx.run(_request_reset(ctx, email))
    message = _queued(ctx, "EmailQueue", lambda body: body["to"] == email)
    return Request("EmailSenderFunction", event=ctx.harness.sqs_event("EmailQueue", [message]))


def account_purge(ctx: Context) -> Request:
    """The first batch (articles phase) of a user's deletion; the user has published one article."""
    user = _scratch_user(ctx, "purged")
    article = {"title": f"Bench purged {ctx.next()}", "description": DESCRIPTION, "body": BODY, "tagList": []}
    ctx.run(Request("ArticleCreateFunction", body={"article": article}, token=user["token"], expect=201))
    uid = ctx.run(_admin_delete(user["username"], ctx.admin))["deletion"]["id"]
    message = _queued(ctx, "AccountDeletionQueue", lambda body: body["userId"] == uid and body["step"] == 0)
    return Request("AccountPurgeFunction", event=ctx.harness.sqs_event("AccountDeletionQueue", [message]))


def export_builder(ctx: Context) -> Request:
    _, event = _built_export(ctx)
    return Request("ExportBuilderFunction", event=event)


ARTICLES_QUERY = (
    "{ articles(first: 20) { totalCount edges { node { slug title description tagList createdAt updatedAt"
    " favorited favoritesCount author { username bio image following } } } } }"
)


def graphql_articles(ctx: Context) -> Request:
    return Request("GraphqlFunction", body={"query": ARTICLES_QUERY}, token=ctx.viewer)


def graphql_get_tags(ctx: Context) -> Request:
    return Request("GraphqlGetFunction", query="query=%7B%20tags%20%7D", token=ctx.viewer)


def article_create_idempotent(ctx: Context) -> Request:
    request = article_create(ctx)
    request.headers = {"idempotency-key": f"bench-{ctx.next()}"}
    return request


def static(function: str, path: str | None = None) -> Callable[[Context], Request]:
    def prepare(ctx: Context) -> Request:
        return Request(function, path)

    return prepare


def generic(function: str, method: str, path: str) -> Scenario:
    """A request for a function the bench has no scenario for: path parameters from the fixture."""

    def prepare(ctx: Context) -> Request:
        values = {"slug": ctx.fixture.target_slug, "username": ctx.fixture.authors[0].username, "id": "1"}
        filled = re.sub(r"\{(\w+)\}", lambda m: values.get(m[1], "x"), path)
        return Request(function, filled, body=None if method == "GET" else {}, token=ctx.viewer, expect=None)

    return Scenario(f"{method} {path.removeprefix('/api')} (generic)", function, "other", 0.0, None, prepare)


SCENARIOS = [
    Scenario("POST /users", "UsersRegisterFunction", "auth", 0.5, "POST /users", register),
    Scenario("POST /users/login", "UsersLoginFunction", "auth", 3.0, "POST /users/login", login),
    Scenario("GET /user", "UserGetFunction", "auth", 1.5, "GET /user", user_get),
    Scenario("PUT /user (bio)", "UserUpdateFunction", "writes", 0.5, "PUT /user", user_update),
    Scenario("GET /profiles/{u}", "ProfileGetFunction", "social", 7.0, "GET /profiles/{username}", profile_get),
    Scenario(
        "POST /profiles/{u}/follow",
        "ProfileFollowFunction",
        "writes",
        1.0,
        "POST/DELETE /profiles/{username}/follow",
        follow,
    ),
    Scenario(
        "DELETE /profiles/{u}/follow",
        "ProfileUnfollowFunction",
        "writes",
        0.5,
        "POST/DELETE /profiles/{username}/follow",
        unfollow,
    ),
    Scenario(
        "GET /articles",
        "ArticlesListFunction",
        "reads",
        20.0,
        "GET /articles (all / ?tag=)",
        list_articles(lambda f: ""),
    ),
    Scenario(
        "GET /articles?tag=",
        "ArticlesListFunction",
        "reads",
        8.0,
        "GET /articles (all / ?tag=)",
        list_articles(lambda f: f"tag={f.tag}"),
    ),
    Scenario(
        "GET /articles?author=",
        "ArticlesListFunction",
        "reads",
        5.0,
        "GET /articles?author= / ?favorited=",
        list_articles(lambda f: f"author={f.authors[0].username}"),
    ),
    Scenario(
        "GET /articles?favorited=",
        "ArticlesListFunction",
        "reads",
        2.0,
        "GET /articles?author= / ?favorited=",
        list_articles(lambda f: f"favorited={f.viewer.username}"),
    ),
    Scenario(
        "GET /articles/feed", "ArticlesFeedFunction", "reads", 10.0, "GET /articles/feed", feed, "follows 10 authors"
    ),
    Scenario(
        "GET /articles/feed (fan-out)",
        "ArticlesFeedFunction",
        "reads",
        0.0,
        None,
        feed_fanout_read,
        "FEED_MODE=fan-out, 10 follows backfilled",
    ),
    Scenario("POST /articles", "ArticleCreateFunction", "writes", 1.0, "POST /articles", article_create, "2 tags"),
    Scenario(
        "stream: publish -> feeds",
        "FeedFanoutFunction",
        "writes",
        0.0,
        None,
        feed_fanout_publish,
        "article INSERT, 1 follower",
    ),
    Scenario(
        "stream: fold favorites",
        "FavoritesFoldFunction",
        "writes",
        0.0,
        None,
        favorites_fold,
        f"{FOLD_MARKERS} pending markers of one article",
    ),
    Scenario(
        "POST /articles (Idempotency-Key)",
        "ArticleCreateFunction",
        "writes",
        0.0,
        None,
        article_create_idempotent,
        "a client retry-safe create",
    ),
    Scenario("GET /articles/{slug}", "ArticleGetFunction", "reads", 15.0, "GET /articles/{slug}", article_get),
    Scenario(
        "PUT /articles/{slug}",
        "ArticleUpdateFunction",
        "writes",
        0.5,
        "PUT /articles/{slug}",
        article_update,
        "new title",
    ),
    Scenario(
        "DELETE /articles/{slug}",
        "ArticleDeleteFunction",
        "writes",
        0.5,
        "DELETE /articles/{slug}",
        article_delete,
        "with 2 comments, 1 favorite",
    ),
    Scenario(
        "POST /articles/{slug}/favorite",
        "ArticleFavoriteFunction",
        "writes",
        2.5,
        "POST/DELETE /articles/{slug}/favorite",
        favorite,
    ),
    Scenario(
        "DELETE /articles/{slug}/favorite",
        "ArticleUnfavoriteFunction",
        "writes",
        1.0,
        "POST/DELETE /articles/{slug}/favorite",
        unfavorite,
    ),
    Scenario(
        "GET /articles/{slug}/comments",
        "CommentsListFunction",
        "comments",
        10.0,
        "GET /articles/{slug}/comments",
        comments_list,
        "10 comments",
    ),
    Scenario(
        "POST /articles/{slug}/comments",
        "CommentCreateFunction",
        "writes",
        2.0,
        "POST /articles/{slug}/comments",
        comment_create,
    ),
    Scenario(
        "DELETE /articles/{slug}/comments/{id}",
        "CommentDeleteFunction",
        "writes",
        0.5,
        "DELETE /articles/{slug}/comments/{id}",
        comment_delete,
    ),
    Scenario("GET /tags", "TagsListFunction", "social", 8.0, "GET /tags", tags_list),
    Scenario("GET /admin/users", "AdminUsersListFunction", "admin", 0.0, None, admin_users),
    Scenario("PUT /admin/users/{u}/role", "AdminUserRoleFunction", "admin", 0.0, None, admin_role),
    Scenario("POST /admin/users/{u}/suspend", "AdminUserSuspendFunction", "admin", 0.0, None, admin_suspend),
    Scenario("DELETE /admin/users/{u}/suspend", "AdminUserUnsuspendFunction", "admin", 0.0, None, admin_unsuspend),
    Scenario("POST /users/password-reset", "PasswordResetFunction", "lifecycle", 0.0, None, password_reset),
    Scenario(
        "POST /users/password-reset/confirm",
        "PasswordResetConfirmFunction",
        "lifecycle",
        0.0,
        None,
        password_reset_confirm,
        "a fresh emailed token",
    ),
    Scenario("POST /users/verify-email", "VerifyEmailFunction", "lifecycle", 0.0, None, verify_email),
    Scenario("POST /user/verify-email", "VerifyEmailResendFunction", "lifecycle", 0.0, None, verify_email_resend),
    Scenario("DELETE /user", "UserDeleteFunction", "lifecycle", 0.0, None, user_delete, "with the password"),
    Scenario("DELETE /admin/users/{u}", "AdminUserDeleteFunction", "admin", 0.0, None, admin_user_delete),
    Scenario("GET /admin/deletions/{id}", "AdminDeletionGetFunction", "admin", 0.0, None, admin_deletion_get),
    Scenario("POST /user/export", "UserExportStartFunction", "lifecycle", 0.0, None, user_export_start),
    Scenario(
        "GET /user/export/{id}", "UserExportGetFunction", "lifecycle", 0.0, None, user_export_get, "ready: a link"
    ),
    Scenario(
        "queue: email -> SES", "EmailSenderFunction", "lifecycle", 0.0, None, email_sender, "a password reset email"
    ),
    Scenario(
        "queue: account deletion batch",
        "AccountPurgeFunction",
        "lifecycle",
        0.0,
        None,
        account_purge,
        "articles phase, 1 article",
    ),
    Scenario(
        "queue: export -> S3",
        "ExportBuilderFunction",
        "lifecycle",
        0.0,
        None,
        export_builder,
        "1 article, 1 follow, 1 favorite",
    ),
    Scenario("POST /graphql (articles)", "GraphqlFunction", "graphql", 0.0, None, graphql_articles, "as GET /articles"),
    Scenario("GET /graphql?query={tags}", "GraphqlGetFunction", "graphql", 0.0, None, graphql_get_tags),
    Scenario("GET /openapi.json", "OpenapiJsonFunction", "static", 0.0, None, static("OpenapiJsonFunction")),
    Scenario("GET /docs", "DocsPageFunction", "static", 0.0, None, static("DocsPageFunction")),
    Scenario(
        "GET /docs/{asset}",
        "DocsAssetsFunction",
        "static",
        0.0,
        None,
        static("DocsAssetsFunction", "/api/docs/swagger-ui.css"),
    ),
]


def for_template(functions: dict[str, tuple[str, str]]) -> list[Scenario]:
    """The scenarios of the functions the template has, plus a generic one for any other function."""
    chosen = [scenario for scenario in SCENARIOS if scenario.function in functions]
    covered = {scenario.function for scenario in chosen}
    chosen += [generic(name, *functions[name]) for name in sorted(functions) if name not in covered]
    return chosen
