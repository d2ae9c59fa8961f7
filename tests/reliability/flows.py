"""The multi-step writes (and a few reads) the fault tests break at every step.

A flow sets up what its request needs through the API, sends the request (`act`), can tell
whether the request's effect is in place (`done`) and checks the end state after a success
(`verify`). `already_done` are the answers a retry may get when the first attempt committed
before the fault (e.g. 404 for re-deleting, 409 for re-registering).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import requests

from tests.reliability.apiclient import Api, unique

Context = dict[str, Any]
SHARED_TAG = "reliability"


@dataclass(frozen=True)
class Flow:
    name: str
    setup: Callable[[Api, Context], Context]
    act: Callable[[Api, Context], requests.Response]
    ok: int
    done: Callable[[Api, Context], bool]
    verify: Callable[[Api, Context], None]
    already_done: tuple[int, ...] = ()


def _pool(api: Api, shared: Context) -> Context:
    """Users reused across the steps of one test (the flow's own objects are fresh each time)."""
    if "author" not in shared:
        shared.update(author=api.user("au"), reader=api.user("rd"), other=api.user("ot"))
    return shared


# --- users ---------------------------------------------------------------------------------------


def _register_setup(api: Api, shared: Context) -> Context:
    name = unique("reg")
    return {"user": {"username": name, "email": f"{name}@example.com", "password": "password123"}}


def _login(api: Api, email: str, password: str = "password123") -> requests.Response:
    return api.post("/users/login", json={"user": {"email": email, "password": password}})


def _register_verify(api: Api, ctx: Context) -> None:
    user = ctx["user"]
    assert _login(api, user["email"]).status_code == 200
    assert api.get(f"/profiles/{user['username']}").json()["profile"]["username"] == user["username"]


REGISTER = Flow(
    "register",
    _register_setup,
    lambda api, ctx: api.post("/users", json={"user": ctx["user"]}),
    201,
    lambda api, ctx: api.get(f"/profiles/{ctx['user']['username']}").status_code == 200,
    _register_verify,
    already_done=(409,),
)


def _update_user_setup(api: Api, shared: Context) -> Context:
    name = unique("new")
    return {"user": api.user("upd"), "changes": {"username": name, "email": f"{name}@example.org", "bio": "moved"}}


def _update_user_verify(api: Api, ctx: Context) -> None:
    me = api.ok("GET", "/user", token=ctx["user"]["token"])["user"]
    changes = ctx["changes"]
    assert (me["username"], me["email"], me["bio"]) == (changes["username"], changes["email"], "moved")
    assert api.get(f"/profiles/{ctx['user']['username']}").status_code == 404
    assert api.get(f"/profiles/{changes['username']}").status_code == 200
    assert _login(api, changes["email"]).status_code == 200
    assert _login(api, ctx["user"]["email"]).status_code == 401


UPDATE_USER = Flow(
    "update user (username + email)",
    _update_user_setup,
    lambda api, ctx: api.put("/user", token=ctx["user"]["token"], json={"user": ctx["changes"]}),
    200,
    lambda api, ctx: api.get(f"/profiles/{ctx['changes']['username']}").status_code == 200,
    _update_user_verify,
)


# --- articles ------------------------------------------------------------------------------------


def _create_setup(api: Api, shared: Context) -> Context:
    pool = _pool(api, shared)
    title = unique("Created ")
    body = {"title": title, "description": "d", "body": "b", "tagList": [unique("tc"), SHARED_TAG]}
    return {**pool, "article": body}


def _by_title(api: Api, ctx: Context) -> list[dict[str, Any]]:
    author = ctx["author"]["username"]
    listed = api.ok("GET", f"/articles?author={author}&limit=100")["articles"]
    return [a for a in listed if a["title"] == ctx["article"]["title"]]


def _create_verify(api: Api, ctx: Context) -> None:
    found = _by_title(api, ctx)
    assert found, "the article was not created"
    for article in found:
        full = api.ok("GET", f"/articles/{article['slug']}")["article"]
        assert full["tagList"] == sorted(ctx["article"]["tagList"])


CREATE_ARTICLE = Flow(
    "create article with tags",
    _create_setup,
    lambda api, ctx: api.post("/articles", token=ctx["author"]["token"], json={"article": ctx["article"]}),
    201,
    lambda api, ctx: bool(_by_title(api, ctx)),
    _create_verify,
)


def _update_article_setup(api: Api, shared: Context) -> Context:
    pool = _pool(api, shared)
    article = api.article(pool["author"]["token"], tags=[unique("old"), SHARED_TAG])
    new_tag = unique("new")
    return {**pool, "slug": article["slug"], "changes": {"title": unique("Renamed "), "tagList": [SHARED_TAG, new_tag]}}


def _update_article_verify(api: Api, ctx: Context) -> None:
    assert api.get(f"/articles/{ctx['slug']}").status_code == 404, "the old slug still resolves"
    mine = api.ok("GET", f"/articles?author={ctx['author']['username']}&limit=100")["articles"]
    renamed = [a for a in mine if a["title"] == ctx["changes"]["title"]]
    assert len(renamed) == 1
    full = api.ok("GET", f"/articles/{renamed[0]['slug']}")["article"]
    assert full["tagList"] == sorted(ctx["changes"]["tagList"])


UPDATE_ARTICLE = Flow(
    "update article (title + tags)",
    _update_article_setup,
    lambda api, ctx: api.put(
        f"/articles/{ctx['slug']}", token=ctx["author"]["token"], json={"article": ctx["changes"]}
    ),
    200,
    lambda api, ctx: api.get(f"/articles/{ctx['slug']}").status_code == 404,
    _update_article_verify,
    already_done=(404,),  # the retry names the old slug, which the first attempt renamed
)


def _delete_setup(api: Api, shared: Context) -> Context:
    pool = _pool(api, shared)
    tag = unique("del")
    article = api.article(pool["author"]["token"], tags=[tag, SHARED_TAG])
    slug = article["slug"]
    api.comment(pool["reader"]["token"], slug, "by the reader")
    api.ok("POST", f"/articles/{slug}/favorite", token=pool["reader"]["token"])
    return {**pool, "slug": slug, "tag": tag}


def _delete_verify(api: Api, ctx: Context) -> None:
    assert api.get(f"/articles/{ctx['slug']}").status_code == 404
    assert api.get(f"/articles/{ctx['slug']}/comments").status_code == 404
    favorited = api.ok("GET", f"/articles?favorited={ctx['reader']['username']}&limit=100")["articles"]
    assert ctx["slug"] not in {a["slug"] for a in favorited}


DELETE_ARTICLE = Flow(
    "delete article with tags, comments and favorites",
    _delete_setup,
    lambda api, ctx: api.delete(f"/articles/{ctx['slug']}", token=ctx["author"]["token"]),
    204,
    lambda api, ctx: api.get(f"/articles/{ctx['slug']}").status_code == 404,
    _delete_verify,
    already_done=(404,),
)


# --- favorites, comments, follows ----------------------------------------------------------------


def _article_setup(api: Api, shared: Context) -> Context:
    pool = _pool(api, shared)
    return {**pool, "slug": api.article(pool["author"]["token"], tags=[SHARED_TAG])["slug"]}


def _seen_by_reader(api: Api, ctx: Context) -> dict[str, Any]:
    return api.ok("GET", f"/articles/{ctx['slug']}", token=ctx["reader"]["token"])["article"]


def _favorite_verify(api: Api, ctx: Context) -> None:
    article = _seen_by_reader(api, ctx)
    assert (article["favorited"], article["favoritesCount"]) == (True, 1)


FAVORITE = Flow(
    "favorite",
    _article_setup,
    lambda api, ctx: api.post(f"/articles/{ctx['slug']}/favorite", token=ctx["reader"]["token"]),
    200,
    lambda api, ctx: _seen_by_reader(api, ctx)["favorited"],
    _favorite_verify,
)


def _favorited_setup(api: Api, shared: Context) -> Context:
    ctx = _article_setup(api, shared)
    api.ok("POST", f"/articles/{ctx['slug']}/favorite", token=ctx["reader"]["token"])
    return ctx


def _unfavorite_verify(api: Api, ctx: Context) -> None:
    article = _seen_by_reader(api, ctx)
    assert (article["favorited"], article["favoritesCount"]) == (False, 0)


UNFAVORITE = Flow(
    "unfavorite",
    _favorited_setup,
    lambda api, ctx: api.delete(f"/articles/{ctx['slug']}/favorite", token=ctx["reader"]["token"]),
    200,
    lambda api, ctx: not _seen_by_reader(api, ctx)["favorited"],
    _unfavorite_verify,
)


def _comments(api: Api, ctx: Context) -> list[dict[str, Any]]:
    return api.ok("GET", f"/articles/{ctx['slug']}/comments")["comments"]


def _comment_verify(api: Api, ctx: Context) -> None:
    found = _comments(api, ctx)
    assert found and {c["body"] for c in found} == {"hello"}
    assert all(c["author"]["username"] == ctx["reader"]["username"] for c in found)


COMMENT_CREATE = Flow(
    "comment create",
    _article_setup,
    lambda api, ctx: api.post(
        f"/articles/{ctx['slug']}/comments", token=ctx["reader"]["token"], json={"comment": {"body": "hello"}}
    ),
    201,
    lambda api, ctx: bool(_comments(api, ctx)),
    _comment_verify,
)


def _commented_setup(api: Api, shared: Context) -> Context:
    ctx = _article_setup(api, shared)
    return {**ctx, "comment": api.comment(ctx["reader"]["token"], ctx["slug"])["id"]}


COMMENT_DELETE = Flow(
    "comment delete",
    _commented_setup,
    lambda api, ctx: api.delete(f"/articles/{ctx['slug']}/comments/{ctx['comment']}", token=ctx["reader"]["token"]),
    204,
    lambda api, ctx: not _comments(api, ctx),
    lambda api, ctx: None if not _comments(api, ctx) else _fail("the comment is still listed"),
    already_done=(404,),
)


def _follow_setup(api: Api, shared: Context) -> Context:
    return {**_pool(api, shared), "followee": api.user("fe")}


def _following(api: Api, ctx: Context) -> bool:
    profile = api.ok("GET", f"/profiles/{ctx['followee']['username']}", token=ctx["reader"]["token"])["profile"]
    return bool(profile["following"])


FOLLOW = Flow(
    "follow",
    _follow_setup,
    lambda api, ctx: api.post(f"/profiles/{ctx['followee']['username']}/follow", token=ctx["reader"]["token"]),
    200,
    _following,
    lambda api, ctx: None if _following(api, ctx) else _fail("not following"),
)


def _followed_setup(api: Api, shared: Context) -> Context:
    ctx = _follow_setup(api, shared)
    api.ok("POST", f"/profiles/{ctx['followee']['username']}/follow", token=ctx["reader"]["token"])
    return ctx


UNFOLLOW = Flow(
    "unfollow",
    _followed_setup,
    lambda api, ctx: api.delete(f"/profiles/{ctx['followee']['username']}/follow", token=ctx["reader"]["token"]),
    200,
    lambda api, ctx: not _following(api, ctx),
    lambda api, ctx: None if not _following(api, ctx) else _fail("still following"),
)


def _fail(message: str) -> None:
    raise AssertionError(message)


WRITES = (
    REGISTER,
    UPDATE_USER,
    CREATE_ARTICLE,
    UPDATE_ARTICLE,
    DELETE_ARTICLE,
    FAVORITE,
    UNFAVORITE,
    COMMENT_CREATE,
    COMMENT_DELETE,
    FOLLOW,
    UNFOLLOW,
)
