"""Every mutation over HTTP: the REST writes with the REST rules (validation messages, 401/403/404/409)."""

from __future__ import annotations

from tests.conftest import unique
from tests.graphql.helpers import ARTICLE_FIELDS, assert_code, data, gql, rest_article_input, user_id

REGISTER = "mutation($u: RegisterInput!) { register(user: $u) { email token username bio image } }"
LOGIN = "mutation($u: LoginInput!) { login(user: $u) { email token username } }"
UPDATE_USER = "mutation($u: UpdateUserInput!) { updateUser(user: $u) { email token username bio image } }"
CREATE = f"mutation($a: NewArticleInput!) {{ createArticle(article: $a) {{ {ARTICLE_FIELDS} }} }}"
UPDATE = (
    f"mutation($s: String!, $a: UpdateArticleInput!) {{ updateArticle(slug: $s, article: $a) {{ {ARTICLE_FIELDS} }} }}"
)
DELETE = "mutation($s: String!) { deleteArticle(slug: $s) }"
FAVORITE = "mutation($s: String!) { favorite(slug: $s) { slug favorited favoritesCount } }"
UNFAVORITE = "mutation($s: String!) { unfavorite(slug: $s) { slug favorited favoritesCount } }"
FOLLOW = "mutation($u: String!) { follow(username: $u) { username following } }"
UNFOLLOW = "mutation($u: String!) { unfollow(username: $u) { username following } }"
ADD_COMMENT = """mutation($s: String!, $c: NewCommentInput!) {
  addComment(slug: $s, comment: $c) { id body createdAt updatedAt author { username following } } }"""
DELETE_COMMENT = "mutation($s: String!, $id: Int!) { deleteComment(slug: $s, id: $id) }"


def _new_user() -> dict[str, str]:
    name = unique("gq")
    return {"username": name, "email": f"{name}@example.com", "password": "password123"}


def test_register_then_login_then_me(client):
    new = _new_user()
    registered = data(gql(client, REGISTER, {"u": new}))["register"]
    assert registered["username"] == new["username"] and registered["email"] == new["email"]
    assert registered["bio"] is None and registered["image"] is None
    logged_in = data(gql(client, LOGIN, {"u": {"email": new["email"], "password": new["password"]}}))["login"]
    assert logged_in["username"] == new["username"]
    me = data(gql(client, "{ me { username } }", token=logged_in["token"]))["me"]
    assert me == {"username": new["username"]}
    # the token works over REST too: one API, two transports
    assert client.get("/user", token=registered["token"]).json()["user"]["username"] == new["username"]


def test_register_conflicts_and_invalid_input(client, make_user):
    taken = make_user("taken")
    answer = gql(client, REGISTER, {"u": {**_new_user(), "username": taken["username"]}})
    assert answer["data"] == {"register": None}
    assert_code(answer, "CONFLICT", {"username": ["has already been taken"]})
    answer = gql(client, REGISTER, {"u": {"email": "not-an-email", "password": "short"}})
    error = assert_code(
        answer,
        "BAD_USER_INPUT",
        {
            "username": ["can't be blank"],
            "email": ["is invalid"],
            "password": ["is too short (minimum is 8 characters)"],
        },
    )
    assert error["message"] == (
        "username can't be blank; email is invalid; password is too short (minimum is 8 characters)"
    )


def test_login_with_a_wrong_password_is_unauthenticated(client, make_user):
    ada = make_user("ada")
    answer = gql(client, LOGIN, {"u": {"email": ada["email"], "password": "wrong-password"}})
    assert_code(answer, "UNAUTHENTICATED", {"credentials": ["invalid"]})


def test_update_user_changes_only_the_given_fields(client, make_user):
    ada = make_user("ada")
    changed = data(
        gql(client, UPDATE_USER, {"u": {"bio": "Analyst", "image": "https://img.example/a.png"}}, ada["token"])
    )
    assert changed["updateUser"] == {
        "email": ada["email"],
        "token": ada["token"],
        "username": ada["username"],
        "bio": "Analyst",
        "image": "https://img.example/a.png",
    }
    cleared = data(gql(client, UPDATE_USER, {"u": {"image": ""}}, ada["token"]))["updateUser"]
    assert cleared["image"] is None and cleared["bio"] == "Analyst"
    assert_code(gql(client, UPDATE_USER, {"u": {"bio": "x"}}), "UNAUTHENTICATED", {"token": ["is missing"]})
    answer = gql(client, UPDATE_USER, {"u": {"email": None, "image": "ftp://x"}}, ada["token"])
    assert_code(answer, "BAD_USER_INPUT", {"email": ["can't be blank"], "image": ["must be an http(s) URL"]})


def test_follow_and_unfollow(client, make_user):
    ada, bob = make_user("ada"), make_user("bob")
    followed = data(gql(client, FOLLOW, {"u": ada["username"]}, bob["token"]))["follow"]
    assert followed == {"username": ada["username"], "following": True}
    unfollowed = data(gql(client, UNFOLLOW, {"u": ada["username"]}, bob["token"]))["unfollow"]
    assert unfollowed == {"username": ada["username"], "following": False}
    assert_code(gql(client, FOLLOW, {"u": ada["username"]}), "UNAUTHENTICATED")
    assert_code(gql(client, FOLLOW, {"u": "nobody-xyz-123"}, bob["token"]), "NOT_FOUND", {"profile": ["not found"]})
    assert_code(
        gql(client, FOLLOW, {"u": bob["username"]}, bob["token"]),
        "BAD_USER_INPUT",
        {"profile": ["cannot follow yourself"]},
    )


def test_create_update_delete_article(client, make_user):
    ada = make_user("ada")
    title = unique("GraphQL article ")
    created = data(
        gql(client, CREATE, {"a": {**rest_article_input(title), "tagList": [" b ", "a", "b"]}}, ada["token"])
    )
    article = created["createArticle"]
    assert article["title"] == title and article["tagList"] == ["a", "b"] and article["body"] == "b"
    assert article["author"]["username"] == ada["username"] and article["favoritesCount"] == 0
    assert client.get(f"/articles/{article['slug']}").status_code == 200

    new_title = unique("Renamed ")
    updated = data(gql(client, UPDATE, {"s": article["slug"], "a": {"title": new_title}}, ada["token"]))
    renamed = updated["updateArticle"]
    assert renamed["title"] == new_title and renamed["description"] == "d" and renamed["slug"] != article["slug"]
    assert client.get(f"/articles/{article['slug']}").status_code == 404

    assert data(gql(client, DELETE, {"s": renamed["slug"]}, ada["token"])) == {"deleteArticle": True}
    assert client.get(f"/articles/{renamed['slug']}").status_code == 404
    assert_code(gql(client, DELETE, {"s": renamed["slug"]}, ada["token"]), "NOT_FOUND", {"article": ["not found"]})


def test_article_input_is_validated_by_the_rest_model(client, make_user):
    ada = make_user("ada")
    answer = gql(client, CREATE, {"a": {"title": "  ", "tagList": ["x" * 65]}}, ada["token"])
    assert answer["data"] == {"createArticle": None}
    assert_code(
        answer,
        "BAD_USER_INPUT",
        {
            "title": ["can't be blank"],
            "description": ["can't be blank"],
            "body": ["can't be blank"],
            "tagList": ["is too long (maximum is 64 characters)"],
        },
    )
    assert_code(gql(client, CREATE, {"a": rest_article_input()}), "UNAUTHENTICATED", {"token": ["is missing"]})


def test_only_the_author_may_change_or_delete_an_article(client, make_user, make_article):
    ada, bob = make_user("ada"), make_user("bob")
    slug = make_article(ada["token"])["slug"]
    answer = gql(client, UPDATE, {"s": slug, "a": {"body": "mine now"}}, bob["token"])
    assert answer["data"] == {"updateArticle": None}
    assert_code(answer, "FORBIDDEN", {"article": ["forbidden"]})
    assert_code(gql(client, DELETE, {"s": slug}, bob["token"]), "FORBIDDEN", {"article": ["forbidden"]})
    assert client.get(f"/articles/{slug}").json()["article"]["body"] == "b"
    missing = gql(client, UPDATE, {"s": "no-such-slug-xyz", "a": {"body": "x"}}, bob["token"])
    assert_code(missing, "NOT_FOUND", {"article": ["not found"]})


def test_favorite_and_unfavorite(client, make_user, make_article):
    ada, bob = make_user("ada"), make_user("bob")
    slug = make_article(ada["token"])["slug"]
    assert data(gql(client, FAVORITE, {"s": slug}, bob["token"]))["favorite"] == {
        "slug": slug,
        "favorited": True,
        "favoritesCount": 1,
    }
    again = data(gql(client, FAVORITE, {"s": slug}, bob["token"]))["favorite"]
    assert again["favoritesCount"] == 1, "favoriting twice counts once"
    assert data(gql(client, UNFAVORITE, {"s": slug}, bob["token"]))["unfavorite"]["favoritesCount"] == 0
    assert_code(gql(client, FAVORITE, {"s": slug}), "UNAUTHENTICATED")
    assert_code(gql(client, FAVORITE, {"s": "no-such-slug-xyz"}, bob["token"]), "NOT_FOUND", {"article": ["not found"]})


def test_add_and_delete_comments(client, make_user, make_article):
    ada, bob = make_user("ada"), make_user("bob")
    slug = make_article(ada["token"])["slug"]
    comment = data(gql(client, ADD_COMMENT, {"s": slug, "c": {"body": "Nice"}}, bob["token"]))["addComment"]
    assert comment["body"] == "Nice" and comment["author"] == {"username": bob["username"], "following": False}
    listed = client.get(f"/articles/{slug}/comments").json()["comments"]
    assert [c["id"] for c in listed] == [comment["id"]]

    answer = gql(client, DELETE_COMMENT, {"s": slug, "id": comment["id"]}, ada["token"])
    assert answer["data"] == {"deleteComment": None}
    assert_code(answer, "FORBIDDEN", {"comment": ["forbidden"]})
    assert data(gql(client, DELETE_COMMENT, {"s": slug, "id": comment["id"]}, bob["token"])) == {"deleteComment": True}
    assert client.get(f"/articles/{slug}/comments").json()["comments"] == []
    for comment_id in (comment["id"], -1):
        gone = gql(client, DELETE_COMMENT, {"s": slug, "id": comment_id}, bob["token"])
        assert_code(gone, "NOT_FOUND", {"comment": ["not found"]})

    assert_code(
        gql(client, ADD_COMMENT, {"s": slug, "c": {"body": ""}}, bob["token"]),
        "BAD_USER_INPUT",
        {"body": ["can't be blank"]},
    )
    assert_code(gql(client, ADD_COMMENT, {"s": slug, "c": {"body": "x"}}), "UNAUTHENTICATED")
    assert_code(
        gql(client, ADD_COMMENT, {"s": "no-such-slug-xyz", "c": {"body": "x"}}, bob["token"]),
        "NOT_FOUND",
        {"article": ["not found"]},
    )


def test_moderators_may_delete_other_peoples_comments_as_over_rest(client, make_user, make_article):
    from conduit.store import users

    ada, mod = make_user("ada"), make_user("mod")
    slug = make_article(ada["token"])["slug"]
    comment = data(gql(client, ADD_COMMENT, {"s": slug, "c": {"body": "spam"}}, ada["token"]))["addComment"]
    assert_code(gql(client, DELETE_COMMENT, {"s": slug, "id": comment["id"]}, mod["token"]), "FORBIDDEN")
    users.set_flags(user_id(mod["token"]), role="moderator")
    assert data(gql(client, DELETE_COMMENT, {"s": slug, "id": comment["id"]}, mod["token"])) == {"deleteComment": True}


def test_a_suspended_user_is_refused_as_over_rest(client, make_user):
    from conduit.store import users

    ada = make_user("ada")
    users.set_flags(user_id(ada["token"]), suspended=True)
    rest = client.get("/user", token=ada["token"])
    assert rest.status_code == 401
    assert_code(gql(client, "{ me { username } }", token=ada["token"]), "UNAUTHENTICATED", rest.json()["errors"])


def test_mutations_run_in_order_and_fail_independently(client, make_user):
    ada = make_user("ada")
    query = """mutation {
      first: createArticle(article: {title: "One", description: "d", body: "b"}) { title }
      broken: createArticle(article: {title: ""}) { title }
      third: createArticle(article: {title: "Three", description: "d", body: "b"}) { title }
    }"""
    answer = gql(client, query, token=ada["token"])
    assert answer["data"] == {"first": {"title": "One"}, "broken": None, "third": {"title": "Three"}}
    assert [e["path"] for e in answer["errors"]] == [["broken"]]
