"""Administration and moderation over GraphQL: `users`, `setRole`, `suspendUser`, `reinstateUser`,
and moderators deleting other people's content, with the rules and messages of the REST routes."""

from __future__ import annotations

from typing import Any

import pytest

from conduit.graphql import types
from conduit.graphql.paging import encode_cursor
from conduit.services.paging import Page
from tests.graphql.helpers import assert_code, cursor_position, data, gql
from tests.graphql.test_units import _cost
from tools.grant_role import grant

ACCOUNT_FIELDS = "username email role suspended createdAt"
USERS = f"""query($first: Int, $after: String) {{ users(first: $first, after: $after) {{
    pageInfo {{ hasNextPage hasPreviousPage startCursor endCursor }}
    edges {{ cursor node {{ {ACCOUNT_FIELDS} }} }} }} }}"""
SET_ROLE = f"mutation($u: String!, $r: Role!) {{ setRole(username: $u, role: $r) {{ {ACCOUNT_FIELDS} }} }}"
SUSPEND = f"mutation($u: String!) {{ suspendUser(username: $u) {{ {ACCOUNT_FIELDS} }} }}"
REINSTATE = f"mutation($u: String!) {{ reinstateUser(username: $u) {{ {ACCOUNT_FIELDS} }} }}"
ME = "{ me { username } }"


@pytest.fixture
def admin(make_user) -> dict[str, str]:
    user = make_user("gadm")
    assert grant(user["username"], "admin") == 0
    return user


def as_rest(node: dict[str, Any]) -> dict[str, Any]:
    """A UserAccount as GET /api/admin/users shows it (the enum's value is REST's lower-case role)."""
    return {**node, "role": node["role"].lower()}


def _nodes(connection: dict[str, Any]) -> list[dict[str, Any]]:
    return [edge["node"] for edge in connection["edges"]]


# --- who may call them ----------------------------------------------------------------------------

OPERATIONS = {
    "users": ("{ users { edges { node { username } } } }", None, "GET", "/admin/users", None),
    "setRole": (SET_ROLE, {"r": "ADMIN"}, "PUT", "/admin/users/{name}/role", {"role": "admin"}),
    "suspendUser": (SUSPEND, {}, "POST", "/admin/users/{name}/suspend", None),
    "reinstateUser": (REINSTATE, {}, "DELETE", "/admin/users/{name}/suspend", None),
}


@pytest.mark.parametrize("field", list(OPERATIONS))
def test_admin_fields_refuse_plain_users_moderators_and_anonymous_callers_as_rest(client, admin, make_user, field):
    query, variables, method, path, body = OPERATIONS[field]
    target, plain, moderator = make_user("tgt"), make_user("pln"), make_user("mod")
    grant(moderator["username"], "moderator")
    if variables is not None:
        variables = {**variables, "u": target["username"]}
    rest_path = path.format(name=target["username"])
    for caller in (plain, moderator):
        rest = client.request(method, rest_path, token=caller["token"], json=body)
        assert rest.status_code == 403
        answer = gql(client, query, variables, caller["token"])
        assert answer["data"] == {field: None}
        assert_code(answer, "FORBIDDEN", rest.json()["errors"])
        assert rest.json()["errors"] == {"admin": ["forbidden"]}
    rest = client.request(method, rest_path, json=body)
    assert rest.status_code == 401
    assert_code(gql(client, query, variables), "UNAUTHENTICATED", rest.json()["errors"])
    assert rest.json()["errors"] == {"token": ["is missing"]}
    # nothing changed: the target is still a plain, active user
    listed = data(gql(client, USERS, {"first": 100}, admin["token"]))["users"]
    mine = [node for node in _nodes(listed) if node["username"] == target["username"]]
    assert [(node["role"], node["suspended"]) for node in mine] == [("USER", False)]


# --- users ------------------------------------------------------------------------------------------


def test_users_lists_the_same_accounts_as_rest_newest_first(client, admin, make_user):
    made = [make_user("lst") for _ in range(5)]
    first = data(gql(client, USERS, {"first": 5}, admin["token"]))["users"]
    nodes = _nodes(first)
    assert [node["username"] for node in nodes] == [user["username"] for user in reversed(made)]
    assert nodes[0] == {
        "username": made[-1]["username"],
        "email": made[-1]["email"],
        "role": "USER",
        "suspended": False,
        "createdAt": nodes[0]["createdAt"],
    }
    rest = client.get("/admin/users", params={"limit": 5}, token=admin["token"])
    assert rest.status_code == 200
    assert [as_rest(node) for node in nodes] == rest.json()["users"]


def test_users_pages_with_cursors_like_rest_limit_and_offset(client, admin, make_user):
    for _ in range(6):
        make_user("pag")
    after, offset = None, 0
    for _ in range(3):
        graph = data(gql(client, USERS, {"first": 2, "after": after}, admin["token"]))["users"]
        rest = client.get("/admin/users", params={"limit": 2, "offset": offset}, token=admin["token"]).json()
        assert [as_rest(node) for node in _nodes(graph)] == rest["users"]
        info = graph["pageInfo"]
        assert [cursor_position(edge["cursor"]) for edge in graph["edges"]] == [offset, offset + 1]
        assert info["hasNextPage"] is True and info["hasPreviousPage"] is (offset > 0)
        assert (info["startCursor"], info["endCursor"]) == (graph["edges"][0]["cursor"], graph["edges"][1]["cursor"])
        after, offset = info["endCursor"], offset + 2


def test_users_paging_arguments_are_validated_as_rest(client, admin):
    assert_code(gql(client, USERS, {"first": 0}, admin["token"]), "BAD_USER_INPUT", {"first": ["must be at least 1"]})
    assert_code(
        gql(client, USERS, {"after": "nope"}, admin["token"]), "BAD_USER_INPUT", {"after": ["is not a valid cursor"]}
    )
    assert_code(
        gql(client, USERS, {"after": encode_cursor(5000)}, admin["token"]),
        "BAD_USER_INPUT",
        {"after": ["must be at most 5000"]},
    )
    far = data(gql(client, USERS, {"first": 3, "after": encode_cursor(4998)}, admin["token"]))["users"]
    rest = client.get("/admin/users", params={"limit": 3, "offset": 4999}, token=admin["token"]).json()["users"]
    assert far["edges"] == rest == []
    assert far["pageInfo"] == {"hasNextPage": False, "hasPreviousPage": True, "startCursor": None, "endCursor": None}


@pytest.mark.parametrize(
    ("available", "limit", "next_page"),
    [(0, 3, False), (2, 3, False), (3, 3, False), (4, 3, True), (101, 100, True), (100, 100, False)],
)
def test_has_next_page_reads_one_user_further(monkeypatch, available, limit, next_page):
    asked: list[Page] = []
    accounts = [
        {"username": f"u{i}", "email": f"u{i}@x.io", "role": "user", "suspended": False, "createdAt": "t"}
        for i in range(available)
    ]

    def list_users(page: Page) -> dict[str, Any]:
        asked.append(page)
        return {"users": accounts[: page.limit]}

    monkeypatch.setattr(types.admin_service, "list_users", list_users)
    connection = types.user_connection(Page(limit=limit, offset=7))
    assert asked == [Page(limit=limit + 1, offset=7)]
    assert connection.page_info.has_next_page is next_page
    assert [edge.node.username for edge in connection.edges] == [a["username"] for a in accounts[:limit]]
    assert [edge.cursor for edge in connection.edges] == [encode_cursor(7 + i) for i in range(min(available, limit))]


def test_a_full_page_of_users_is_within_the_cost_limit(client, admin):
    query = f"{{ users(first: 100) {{ pageInfo {{ hasNextPage }} edges {{ cursor node {{ {ACCOUNT_FIELDS} }} }} }} }}"
    assert _cost(query) == 10 + 100 * (2 + 8), "the selection under users counts once per user of the page"
    assert "users" in data(gql(client, query, token=admin["token"]))


# --- setRole ----------------------------------------------------------------------------------------


def test_set_role_changes_the_role_rest_sees(client, admin, make_user):
    target = make_user("rol")
    changed = data(gql(client, SET_ROLE, {"u": target["username"], "r": "MODERATOR"}, admin["token"]))["setRole"]
    assert changed["username"] == target["username"] and changed["role"] == "MODERATOR"
    assert changed["email"] == target["email"] and changed["suspended"] is False
    listed = client.get("/admin/users", params={"limit": 1}, token=admin["token"]).json()["users"]
    assert listed == [as_rest(changed)], "the same account, role and all, over REST"
    rest = client.put(f"/admin/users/{target['username']}/role", token=admin["token"], json={"role": "admin"})
    again = data(gql(client, SET_ROLE, {"u": target["username"], "r": "ADMIN"}, admin["token"]))["setRole"]
    assert as_rest(again) == rest.json()["user"]
    # the new admin may now use the admin fields themselves
    assert "users" in data(gql(client, "{ users(first: 1) { edges { cursor } } }", token=target["token"]))


def test_set_role_refusals_match_rest(client, admin, make_user):
    own = client.put(f"/admin/users/{admin['username']}/role", token=admin["token"], json={"role": "user"})
    assert own.status_code == 422
    answer = gql(client, SET_ROLE, {"u": admin["username"], "r": "USER"}, admin["token"])
    assert answer["data"] == {"setRole": None}
    assert_code(answer, "BAD_USER_INPUT", own.json()["errors"])
    assert own.json()["errors"] == {"role": ["admins cannot demote themselves"]}
    assert data(gql(client, SET_ROLE, {"u": admin["username"], "r": "ADMIN"}, admin["token"]))["setRole"]["role"] == (
        "ADMIN"
    ), "staying admin is not a demotion"

    unknown = client.put("/admin/users/nobody-here-xyz/role", token=admin["token"], json={"role": "user"})
    assert unknown.status_code == 404
    assert_code(
        gql(client, SET_ROLE, {"u": "nobody-here-xyz", "r": "USER"}, admin["token"]),
        "NOT_FOUND",
        unknown.json()["errors"],
    )
    target = make_user("rol")
    assert_code(gql(client, SET_ROLE, {"u": target["username"], "r": "root"}, admin["token"]), "BAD_USER_INPUT")
    literal = f'mutation {{ setRole(username: "{target["username"]}", role: ROOT) {{ role }} }}'
    assert_code(gql(client, literal, token=admin["token"]), "GRAPHQL_VALIDATION_FAILED")
    rest = client.get("/admin/users", params={"limit": 1}, token=admin["token"]).json()["users"][0]
    assert (rest["username"], rest["role"]) == (target["username"], "user")


def test_the_role_enum_is_the_rule_tables(client):
    query = '{ __type(name: "Role") { kind enumValues { name } } }'
    found = data(gql(client, query))["__type"]
    assert found["kind"] == "ENUM"
    assert [value["name"] for value in found["enumValues"]] == ["USER", "MODERATOR", "ADMIN"]


# --- suspendUser / reinstateUser -----------------------------------------------------------------


def test_suspension_refuses_the_users_token_in_graphql_and_rest_until_reinstated(client, admin, make_user):
    user = make_user("sus")
    suspended = data(gql(client, SUSPEND, {"u": user["username"]}, admin["token"]))["suspendUser"]
    assert (suspended["username"], suspended["suspended"], suspended["role"]) == (user["username"], True, "USER")

    rest = client.get("/user", token=user["token"])
    assert rest.status_code == 401 and rest.json() == {"errors": {"user": ["is suspended"]}}
    assert_code(gql(client, ME, token=user["token"]), "UNAUTHENTICATED", {"user": ["is suspended"]})
    write = gql(
        client,
        'mutation { createArticle(article: {title: "t", description: "d", body: "b"}) { slug } }',
        token=user["token"],
    )
    assert_code(write, "UNAUTHENTICATED", {"user": ["is suspended"]})
    login = gql(
        client,
        "mutation($u: LoginInput!) { login(user: $u) { token } }",
        {"u": {"email": user["email"], "password": user["password"]}},
    )
    assert_code(login, "UNAUTHENTICATED", {"credentials": ["invalid"]})  # as a wrong password (issue 13, row 7)
    listed = client.get("/admin/users", params={"limit": 100}, token=admin["token"]).json()["users"]
    assert [u["suspended"] for u in listed if u["username"] == user["username"]] == [True]

    reinstated = data(gql(client, REINSTATE, {"u": user["username"]}, admin["token"]))["reinstateUser"]
    assert reinstated["suspended"] is False
    assert data(gql(client, ME, token=user["token"]))["me"] == {"username": user["username"]}
    assert client.get("/user", token=user["token"]).status_code == 200


def test_suspension_over_rest_and_reinstatement_over_graphql_agree(client, admin, make_user):
    user = make_user("sus")
    rest = client.post(f"/admin/users/{user['username']}/suspend", token=admin["token"])
    assert rest.status_code == 200
    assert_code(gql(client, ME, token=user["token"]), "UNAUTHENTICATED", {"user": ["is suspended"]})
    reinstated = data(gql(client, REINSTATE, {"u": user["username"]}, admin["token"]))["reinstateUser"]
    back = client.delete(f"/admin/users/{user['username']}/suspend", token=admin["token"]).json()["user"]
    assert as_rest(reinstated) == back == {**rest.json()["user"], "suspended": False}


def test_suspension_refusals_match_rest(client, admin):
    for query, method in ((SUSPEND, "POST"), (REINSTATE, "DELETE")):
        own = client.request(method, f"/admin/users/{admin['username']}/suspend", token=admin["token"])
        unknown = client.request(method, "/admin/users/nobody-here-xyz/suspend", token=admin["token"])
        assert (own.status_code, unknown.status_code) == (422, 404)
        assert_code(
            gql(client, query, {"u": admin["username"]}, admin["token"]), "BAD_USER_INPUT", own.json()["errors"]
        )
        assert_code(gql(client, query, {"u": "nobody-here-xyz"}, admin["token"]), "NOT_FOUND", unknown.json()["errors"])
    assert own.json()["errors"] == {"user": ["admins cannot suspend themselves"]}
    assert unknown.json()["errors"] == {"profile": ["not found"]}
    assert data(gql(client, ME, token=admin["token"]))["me"] == {"username": admin["username"]}


# --- moderation ---------------------------------------------------------------------------------------


def test_a_moderator_made_over_graphql_deletes_other_peoples_articles_and_comments(
    client, admin, make_user, make_article
):
    author, moderator, bystander = make_user("aut"), make_user("mod"), make_user("bys")
    slug = make_article(author["token"])["slug"]
    add = 'mutation($s: String!) { addComment(slug: $s, comment: {body: "mine"}) { id } }'
    comment_id = data(gql(client, add, {"s": slug}, author["token"]))["addComment"]["id"]
    delete_comment = "mutation($s: String!, $id: Int!) { deleteComment(slug: $s, id: $id) }"
    delete_article = "mutation($s: String!) { deleteArticle(slug: $s) }"
    for who in (bystander, moderator):
        assert_code(gql(client, delete_article, {"s": slug}, who["token"]), "FORBIDDEN", {"article": ["forbidden"]})
        assert_code(
            gql(client, delete_comment, {"s": slug, "id": comment_id}, who["token"]),
            "FORBIDDEN",
            {"comment": ["forbidden"]},
        )

    assert data(gql(client, SET_ROLE, {"u": moderator["username"], "r": "MODERATOR"}, admin["token"]))
    assert data(gql(client, delete_comment, {"s": slug, "id": comment_id}, moderator["token"])) == {
        "deleteComment": True
    }
    assert client.get(f"/articles/{slug}/comments").json()["comments"] == []
    assert data(gql(client, delete_article, {"s": slug}, moderator["token"])) == {"deleteArticle": True}
    assert client.get(f"/articles/{slug}").status_code == 404

    # and a moderator is still no admin
    assert_code(gql(client, "{ users { edges { cursor } } }", token=moderator["token"]), "FORBIDDEN")


def test_an_admin_deletes_other_peoples_articles_as_over_rest(client, admin, make_user, make_article):
    author = make_user("aut")
    over_graphql, over_rest = make_article(author["token"])["slug"], make_article(author["token"])["slug"]
    deleted = gql(client, "mutation($s: String!) { deleteArticle(slug: $s) }", {"s": over_graphql}, admin["token"])
    assert data(deleted) == {"deleteArticle": True}
    assert client.delete(f"/articles/{over_rest}", token=admin["token"]).status_code == 204
    assert (
        client.get(f"/articles/{over_graphql}").status_code == client.get(f"/articles/{over_rest}").status_code == 404
    )
