"""A create re-sent with its Idempotency-Key after a 503 that hid a commit: exactly one resource.

`lost` on the create's TransactWriteItems makes it commit while the function sees a read timeout:
the API answers 503 without knowing the create happened, and Powertools forgets the failed
request. The client sends the same request again with the same key; it must get 201 with the
resource the first attempt made (store/receipts.py), never a second article or comment and never a
409 for its own registration. Before the receipts, the re-send made a second article or comment
and answered a registration with 409 "has already been taken".

Also pinned: a first attempt that did not commit is created once by the re-send; the key with
another body is a 422 and writes nothing; a registration re-sent after its password changed gets a
token the API refuses; without a key a re-send is a new request (ordinary POST semantics).
"""

from __future__ import annotations

import uuid
from typing import Any

from tests.graphql.helpers import ARTICLE_FIELDS, COMMENT_FIELDS, assert_code, data, gql
from tests.reliability.apiclient import Api, unique
from tests.reliability.faults import Fault
from tests.reliability.test_faults import assert_clean_unavailable

TRANSACTION = "TransactWriteItems"
REGISTER = "mutation($u: RegisterInput!) { register(user: $u) { email token username bio image } }"
CREATE = f"mutation($a: NewArticleInput!) {{ createArticle(article: $a) {{ {ARTICLE_FIELDS} }} }}"
ADD_COMMENT = (
    f"mutation($s: String!, $c: NewCommentInput!) {{ addComment(slug: $s, comment: $c) {{ {COMMENT_FIELDS} }} }}"
)
MISMATCH = {"errors": {"Idempotency-Key": ["was already used with a different request"]}}


def a_key() -> dict[str, str]:
    return {"Idempotency-Key": f"retry-{uuid.uuid4()}"}


def new_user() -> dict[str, str]:
    name = unique("eo")
    return {"username": name, "email": f"{name}@example.com", "password": "password123"}


def new_article(title: str | None = None) -> dict[str, Any]:
    return {"title": title or unique("Exactly once "), "description": "d", "body": "b", "tagList": ["once"]}


def lost_commit(api: Api, path: str, **request: Any) -> None:
    """Send the request with its create's transaction committing and every answer lost: a 503."""
    with Fault("lost", at=1, operation=TRANSACTION) as fault:
        response = api.post(path, **request)
    assert fault.fired, fault.describe()
    assert_clean_unavailable(response, f"POST {path} with its commit's answer lost")


def articles_of(api: Api, username: str) -> list[dict[str, Any]]:
    listed = api.ok("GET", "/articles", params={"author": username, "limit": 20})
    assert listed["articlesCount"] == len(listed["articles"]), listed
    return listed["articles"]


def comments_on(api: Api, slug: str) -> list[dict[str, Any]]:
    return api.ok("GET", f"/articles/{slug}/comments")["comments"]


# --- REST ------------------------------------------------------------------------------------------


def test_a_registration_re_sent_after_a_lost_commit_is_the_same_user(api, assert_consistent):
    user, key = new_user(), a_key()
    lost_commit(api, "/users", json={"user": user}, headers=key)
    assert api.post("/users/login", json={"user": user}).status_code == 200, "the first attempt committed"

    again = api.post("/users", json={"user": user}, headers=key)  # before: 409 "has already been taken"
    assert again.status_code == 201, again.text
    answered = again.json()["user"]
    assert (answered["username"], answered["email"]) == (user["username"], user["email"])
    assert api.ok("GET", "/user", token=answered["token"])["user"]["username"] == user["username"]
    replayed = api.post("/users", json={"user": user}, headers=key)
    assert (replayed.status_code, replayed.json()) == (201, again.json()), "from now on Powertools replays it"
    assert_consistent("after the re-sent registration")


def test_an_article_re_sent_after_a_lost_commit_is_published_once(api, assert_consistent):
    author, article, key = api.user("eoa"), new_article(), a_key()
    lost_commit(api, "/articles", json={"article": article}, token=author["token"], headers=key)
    (made,) = articles_of(api, author["username"])  # the first attempt committed

    again = api.post("/articles", json={"article": article}, token=author["token"], headers=key)
    assert again.status_code == 201, again.text  # before: 201, a second article "<slug>-xxxxxx"
    answered = again.json()["article"]
    assert answered["slug"] == made["slug"] and answered["createdAt"] == made["createdAt"]
    assert answered["tagList"] == ["once"] and answered["author"]["username"] == author["username"]
    assert [a["slug"] for a in articles_of(api, author["username"])] == [made["slug"]]
    assert_consistent("after the re-sent article")  # counters: one article, one tag item


def test_a_comment_re_sent_after_a_lost_commit_is_posted_once(api, assert_consistent):
    author = api.user("eoc")
    slug, key = api.article(author["token"])["slug"], a_key()
    comment = {"comment": {"body": "said once"}}
    lost_commit(api, f"/articles/{slug}/comments", json=comment, token=author["token"], headers=key)
    (made,) = comments_on(api, slug)

    again = api.post(f"/articles/{slug}/comments", json=comment, token=author["token"], headers=key)
    assert again.status_code == 201, again.text  # before: a second comment
    answered = again.json()["comment"]
    assert (answered["id"], answered["createdAt"], answered["body"]) == (made["id"], made["createdAt"], "said once")
    assert comments_on(api, slug) == [made]
    assert_consistent("after the re-sent comment")  # the re-send's own comment id is a gap


def test_a_create_whose_first_attempt_did_not_commit_is_made_once_by_the_re_send(api, assert_consistent):
    author, article, key = api.user("eon"), new_article(), a_key()
    with Fault("internal", at=1, operation=TRANSACTION) as fault:
        first = api.post("/articles", json={"article": article}, token=author["token"], headers=key)
    assert fault.fired
    assert_clean_unavailable(first, "article create failing before its commit")
    assert articles_of(api, author["username"]) == []
    again = api.post("/articles", json={"article": article}, token=author["token"], headers=key)
    assert again.status_code == 201, again.text
    assert [a["slug"] for a in articles_of(api, author["username"])] == [again.json()["article"]["slug"]]
    user, key = new_user(), a_key()
    with Fault("timeout", at=1, operation=TRANSACTION):
        assert_clean_unavailable(api.post("/users", json={"user": user}, headers=key), "registration")
    assert api.post("/users", json={"user": user}, headers=key).status_code == 201
    assert api.post("/users/login", json={"user": user}).status_code == 200
    assert_consistent("after creates re-sent over a failure before the commit")


def test_the_key_with_another_body_after_a_lost_commit_is_422_and_writes_nothing(api, assert_consistent):
    author, key = api.user("eom"), a_key()
    lost_commit(api, "/articles", json={"article": new_article()}, token=author["token"], headers=key)
    other = api.post("/articles", json={"article": new_article()}, token=author["token"], headers=key)
    assert (other.status_code, other.json()) == (422, MISMATCH)  # before: 201, a second article
    assert len(articles_of(api, author["username"])) == 1
    slug = articles_of(api, author["username"])[0]["slug"]
    on_another = api.post(f"/articles/{slug}/comments", json={"comment": {"body": "x"}}, token=author["token"])
    assert on_another.status_code == 201
    comment_key = a_key()
    lost_commit(
        api, f"/articles/{slug}/comments", json={"comment": {"body": "y"}}, token=author["token"], headers=comment_key
    )
    reworded = api.post(
        f"/articles/{slug}/comments", json={"comment": {"body": "z"}}, token=author["token"], headers=comment_key
    )
    assert (reworded.status_code, reworded.json()) == (422, MISMATCH)
    assert sorted(c["body"] for c in comments_on(api, slug)) == ["x", "y"]
    assert_consistent("after a key re-used with another body")


def test_a_registration_re_sent_after_its_password_changed_gets_a_refused_token(api):
    user, key = new_user(), a_key()
    lost_commit(api, "/users", json={"user": user}, headers=key)
    token = api.post("/users/login", json={"user": user}).json()["user"]["token"]
    api.ok("PUT", "/user", token=token, json={"user": {"password": "another-password"}})
    again = api.post("/users", json={"user": user}, headers=key)
    assert again.status_code == 201, again.text  # the same request, the same answer: it was registered
    refused = api.get("/user", token=again.json()["user"]["token"])
    assert refused.status_code == 401, "the old password's registration does not outlive its change"


def test_without_a_key_a_re_send_is_a_new_request(api, assert_consistent):
    """Ordinary POST semantics: the API cannot tell a re-send from a second article."""
    author, article = api.user("eow"), new_article()
    lost_commit(api, "/articles", json={"article": article}, token=author["token"])
    assert api.post("/articles", json={"article": article}, token=author["token"]).status_code == 201
    assert len(articles_of(api, author["username"])) == 2
    assert_consistent("after a re-send without a key")


# --- GraphQL ---------------------------------------------------------------------------------------


def lost_mutation(api: Api, query: str, variables: dict[str, Any], token: str | None, key: dict[str, str]) -> None:
    with Fault("lost", at=1, operation=TRANSACTION) as fault:
        answer = gql(api, query, variables, token, key)
    assert fault.fired, fault.describe()
    assert_code(answer, "UNAVAILABLE")


def test_graphql_creates_re_sent_after_lost_commits_make_one_of_each(api, assert_consistent):
    user, key = new_user(), a_key()
    lost_mutation(api, REGISTER, {"u": user}, None, key)
    registered = data(gql(api, REGISTER, {"u": user}, None, key))["register"]  # before: CONFLICT
    assert registered["username"] == user["username"]
    token = registered["token"]
    assert api.ok("GET", "/user", token=token)["user"]["email"] == user["email"]

    key, article = a_key(), new_article()
    lost_mutation(api, CREATE, {"a": article}, token, key)
    (made,) = articles_of(api, user["username"])
    created = data(gql(api, CREATE, {"a": article}, token, key))["createArticle"]  # before: a second one
    assert (created["slug"], created["createdAt"]) == (made["slug"], made["createdAt"])
    assert len(articles_of(api, user["username"])) == 1

    key = a_key()
    comment = {"s": made["slug"], "c": {"body": "graphql once"}}
    lost_mutation(api, ADD_COMMENT, comment, token, key)
    added = data(gql(api, ADD_COMMENT, comment, token, key))["addComment"]
    assert [c["id"] for c in comments_on(api, made["slug"])] == [added["id"]]
    assert_consistent("after the re-sent GraphQL creates")
