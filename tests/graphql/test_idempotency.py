"""`Idempotency-Key` on the GraphQL creates (register, createArticle, addComment): REST's rules,
through conduit.idempotency under the REST routes' keys, scoped to the caller."""

from __future__ import annotations

import uuid
from types import SimpleNamespace
from typing import Any

from graphql import FragmentDefinitionNode, parse

from conduit.graphql.context import Context
from conduit.graphql.idempotency import create_once, root_fields
from tests.conftest import unique
from tests.graphql.helpers import ARTICLE_FIELDS, COMMENT_FIELDS, assert_code, data, gql, rest_article_input

CREATE = f"mutation($a: NewArticleInput!) {{ createArticle(article: $a) {{ {ARTICLE_FIELDS} }} }}"
REGISTER = "mutation($u: RegisterInput!) { register(user: $u) { email token username bio image } }"
ADD_COMMENT = (
    f"mutation($s: String!, $c: NewCommentInput!) {{ addComment(slug: $s, comment: $c) {{ {COMMENT_FIELDS} }} }}"
)
MISMATCH = {"Idempotency-Key": ["was already used with a different request"]}
ONE_MUTATION = {"Idempotency-Key": ["applies to one mutation: send each create in its own request"]}


def key() -> dict[str, str]:
    return {"Idempotency-Key": uuid.uuid4().hex}


def articles_by(client: Any, username: str) -> int:
    return client.get("/articles", params={"author": username}).json()["articlesCount"]


def test_create_article_with_a_key_runs_once_and_replays_the_first_result(client, make_user):
    author, headers = make_user("idg"), key()
    article = rest_article_input(unique("Idem "))
    first = data(gql(client, CREATE, {"a": article}, author["token"], headers))["createArticle"]
    again = data(gql(client, CREATE, {"a": article}, author["token"], headers))["createArticle"]
    assert again == first
    assert articles_by(client, author["username"]) == 1
    # the same arguments written inline, asking for other fields: the same request, replayed
    inline = f'mutation {{ createArticle(article: {{title: "{article["title"]}", description: "d", body: "b", '
    inline += "tagList: []}) { slug body author { username } } }"
    replayed = data(gql(client, inline, token=author["token"], headers=headers))["createArticle"]
    assert replayed == {"slug": first["slug"], "body": "b", "author": {"username": author["username"]}}
    assert articles_by(client, author["username"]) == 1
    # without a key every request creates
    assert data(gql(client, CREATE, {"a": article}, author["token"]))["createArticle"]["slug"] != first["slug"]
    assert articles_by(client, author["username"]) == 2


def test_the_same_key_with_other_arguments_is_bad_user_input(client, make_user, make_article):
    author, headers = make_user("idg"), key()
    data(gql(client, CREATE, {"a": rest_article_input(unique("First "))}, author["token"], headers))
    answer = gql(client, CREATE, {"a": rest_article_input(unique("Other "))}, author["token"], headers)
    assert answer["data"] == {"createArticle": None}
    error = assert_code(answer, "BAD_USER_INPUT", MISMATCH)
    assert error["message"] == "Idempotency-Key was already used with a different request"
    assert articles_by(client, author["username"]) == 1

    slugs = [make_article(author["token"])["slug"] for _ in range(2)]
    comment_key = key()
    data(gql(client, ADD_COMMENT, {"s": slugs[0], "c": {"body": "hi"}}, author["token"], comment_key))
    other_article = gql(client, ADD_COMMENT, {"s": slugs[1], "c": {"body": "hi"}}, author["token"], comment_key)
    assert_code(other_article, "BAD_USER_INPUT", MISMATCH)
    assert client.get(f"/articles/{slugs[1]}/comments").json()["comments"] == []


def test_register_with_a_key_replays_the_same_user_and_token(client):
    name, headers = unique("idr"), key()
    user = {"username": name, "email": f"{name}@example.com", "password": "password123"}
    first = data(gql(client, REGISTER, {"u": user}, headers=headers))["register"]
    again = data(gql(client, REGISTER, {"u": user}, headers=headers))["register"]
    assert again == first and first["username"] == name
    assert client.get("/user", token=first["token"]).json()["user"]["username"] == name
    other = gql(client, REGISTER, {"u": {**user, "password": "password456"}}, headers=headers)
    assert_code(other, "BAD_USER_INPUT", MISMATCH)
    # without the key, registering the same user again is the usual conflict
    assert_code(gql(client, REGISTER, {"u": user}), "CONFLICT")


def test_add_comment_with_a_key_comments_once(client, make_user, make_article):
    author, reader, headers = make_user("idc"), make_user("idr"), key()
    slug = make_article(author["token"])["slug"]
    variables = {"s": slug, "c": {"body": "Only once"}}
    first = data(gql(client, ADD_COMMENT, variables, reader["token"], headers))["addComment"]
    again = data(gql(client, ADD_COMMENT, variables, reader["token"], headers))["addComment"]
    assert again == first
    listed = client.get(f"/articles/{slug}/comments").json()["comments"]
    assert listed == [first], "one comment, the same over REST"


def test_keys_are_scoped_to_the_caller(client, make_user):
    alice, bob, headers = make_user("ida"), make_user("idb"), key()
    article = rest_article_input(unique("Scoped "))
    a = data(gql(client, CREATE, {"a": article}, alice["token"], headers))["createArticle"]
    b = data(gql(client, CREATE, {"a": article}, bob["token"], headers))["createArticle"]
    assert a["slug"] != b["slug"]
    assert (a["author"]["username"], b["author"]["username"]) == (alice["username"], bob["username"])


def test_the_key_shares_the_rest_routes_records(client, make_user):
    """Same route key and caller as POST /api/articles: a key used over REST is taken for GraphQL
    (as another request: a GraphQL mutation is never the same request as a REST body)."""
    author, headers = make_user("idx"), key()
    article = rest_article_input(unique("Both "))
    assert (
        client.post("/articles", json={"article": article}, token=author["token"], headers=headers).status_code == 201
    )
    assert_code(gql(client, CREATE, {"a": article}, author["token"], headers), "BAD_USER_INPUT", MISMATCH)
    assert articles_by(client, author["username"]) == 1
    # and the other way round
    headers = key()
    data(gql(client, CREATE, {"a": article}, author["token"], headers))
    rest = client.post("/articles", json={"article": article}, token=author["token"], headers=headers)
    assert rest.status_code == 422 and rest.json() == {"errors": MISMATCH}
    assert articles_by(client, author["username"]) == 2


def test_failed_creates_are_not_remembered(client, make_user):
    author, headers = make_user("idf"), key()
    bad = gql(client, CREATE, {"a": {"title": ""}}, author["token"], headers)
    assert_code(
        bad,
        "BAD_USER_INPUT",
        {"title": ["can't be blank"], "description": ["can't be blank"], "body": ["can't be blank"]},
    )
    fixed = data(gql(client, CREATE, {"a": rest_article_input()}, author["token"], headers))["createArticle"]
    assert fixed["author"]["username"] == author["username"]
    anonymous = gql(client, CREATE, {"a": rest_article_input()}, headers=headers)
    assert_code(anonymous, "UNAUTHENTICATED", {"token": ["is missing"]})


def test_a_malformed_key_is_bad_user_input_as_over_rest(client, make_user):
    author = make_user("idm")
    headers = {"Idempotency-Key": "x" * 300}
    rest = client.post("/articles", json={"article": rest_article_input()}, token=author["token"], headers=headers)
    assert rest.status_code == 422
    answer = gql(client, CREATE, {"a": rest_article_input()}, author["token"], headers)
    assert_code(answer, "BAD_USER_INPUT", rest.json()["errors"])
    assert rest.json()["errors"] == {"Idempotency-Key": ["must be 1 to 255 visible ASCII characters"]}
    assert articles_by(client, author["username"]) == 0


def test_several_mutations_with_a_key_are_refused_before_anything_runs(client, make_user):
    author, headers = make_user("ids"), key()
    two = """mutation {
      one: createArticle(article: {title: "One", description: "d", body: "b"}) { slug }
      two: createArticle(article: {title: "Two", description: "d", body: "b"}) { slug }
    }"""
    answer = gql(client, two, token=author["token"], headers=headers)
    assert answer["data"] is None
    error = assert_code(answer, "BAD_USER_INPUT", ONE_MUTATION)
    assert error["message"] == "Idempotency-Key applies to one mutation: send each create in its own request"
    hidden = """mutation { ...Both }
      fragment Both on Mutation {
        createArticle(article: {title: "One", description: "d", body: "b"}) { slug }
        ... on Mutation { follow(username: "nobody-xyz") { username } }
      }"""
    assert_code(gql(client, hidden, token=author["token"], headers=headers), "BAD_USER_INPUT", ONE_MUTATION)
    assert articles_by(client, author["username"]) == 0
    # without the key the same document runs (each mutation on its own), as it always did
    assert data(gql(client, two, token=author["token"]))["two"]["slug"]
    assert articles_by(client, author["username"]) == 2


def test_the_key_is_ignored_where_rest_ignores_it(client, make_user, make_article):
    author, reader, headers = make_user("idi"), make_user("idr"), key()
    slug = make_article(author["token"])["slug"]
    follow = "mutation($u: String!) { __typename follow(username: $u) { following } }"
    followed = data(gql(client, follow, {"u": author["username"]}, reader["token"], headers))
    assert followed == {"__typename": "Mutation", "follow": {"following": True}}
    query = "query($s: String!) { article(slug: $s) { slug } tags }"
    assert data(gql(client, query, {"s": slug}, reader["token"], headers))["article"] == {"slug": slug}
    favorite = "mutation($s: String!) { favorite(slug: $s) { favoritesCount } }"
    assert data(gql(client, favorite, {"s": slug}, reader["token"], headers))["favorite"] == {"favoritesCount": 1}
    unfavorite = "mutation($s: String!) { unfavorite(slug: $s) { favoritesCount } }"
    assert data(gql(client, unfavorite, {"s": slug}, reader["token"], headers))["unfavorite"] == {"favoritesCount": 0}


# --- the pure parts ---------------------------------------------------------------------------------


def _root_fields(document: str) -> int:
    parsed = parse(document)
    fragments = {d.name.value: d for d in parsed.definitions if isinstance(d, FragmentDefinitionNode)}
    return root_fields(parsed.definitions[0].selection_set, fragments)


def test_root_fields_are_counted_through_fragments_without_typename():
    assert _root_fields('mutation { __typename follow(username: "a") { username } }') == 1
    assert _root_fields('mutation { a: follow(username: "a") { username } b: follow(username: "b") { username } }') == 2
    assert (
        _root_fields(
            'mutation { ... on Mutation { follow(username: "a") { username } } ...F } '
            'fragment F on Mutation { unfollow(username: "a") { username } }'
        )
        == 2
    )
    assert _root_fields("mutation { __typename }") == 0


def test_create_once_ignores_the_key_where_the_rule_is_not_an_idempotent_create():
    context = Context("", "192.0.2.1", idempotency_key="has spaces: run_once would refuse it")
    info = SimpleNamespace(context=context, field_name="tags")
    runs = [create_once(info, "GET /api/tags", {}, lambda caller: {"caller": caller.viewer}) for _ in range(2)]
    assert runs == [{"caller": None}, {"caller": None}]
