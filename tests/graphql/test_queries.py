"""Every query over HTTP through the local API: me, profile, article (with comments), articles
(filters, cursors), feed, tags, Profile.articles."""

from __future__ import annotations

from tests.conftest import unique
from tests.graphql.helpers import (
    ARTICLE_FIELDS,
    COMMENT_FIELDS,
    SUMMARY_FIELDS,
    assert_code,
    cursor_position,
    data,
    gql,
)

PAGE = """
query Page($filter: ArticleFilter, $first: Int, $after: String) {
  articles(filter: $filter, first: $first, after: $after) {
    totalCount
    pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
    edges { cursor node { slug title favorited favoritesCount author { username following } } }
  }
}
"""


def test_me_returns_the_user_and_their_token(client, make_user):
    ada = make_user("ada")
    me = data(gql(client, "{ me { email token username bio image } }", token=ada["token"]))["me"]
    assert me == {"email": ada["email"], "token": ada["token"], "username": ada["username"], "bio": None, "image": None}


def test_me_without_a_token_or_with_a_bad_one_is_unauthenticated(client):
    for token, message in ((None, "is missing"), ("not-a-jwt", "is invalid")):
        answer = gql(client, "{ me { username } }", token=token)
        assert answer["data"] == {"me": None}
        error = assert_code(answer, "UNAUTHENTICATED", {"token": [message]})
        assert error["path"] == ["me"] and error["message"] == f"token {message}"


def test_public_fields_ignore_a_bad_token_as_rest_does(client):
    """GET /api/tags uses no token, so a stale one does not fail it; GET /api/articles verifies it."""
    answer = gql(client, "{ tags articles(first: 1) { totalCount } }", token="stale")
    assert isinstance(answer["data"]["tags"], list)
    assert answer["data"]["articles"] is None
    assert_code(answer, "UNAUTHENTICATED", {"token": ["is invalid"]})


def test_profile_anonymous_and_following(client, make_user):
    ada, bob = make_user("ada"), make_user("bob")
    query = "query($u: String!) { profile(username: $u) { username bio image following } }"
    anonymous = data(gql(client, query, {"u": ada["username"]}))["profile"]
    assert anonymous == {"username": ada["username"], "bio": None, "image": None, "following": False}
    assert client.post(f"/profiles/{ada['username']}/follow", token=bob["token"]).status_code == 200
    assert data(gql(client, query, {"u": ada["username"]}, bob["token"]))["profile"]["following"] is True


def test_unknown_profile_is_not_found(client):
    answer = gql(client, '{ profile(username: "nobody-at-all-xyz") { username } }')
    assert answer["data"] == {"profile": None}
    assert_code(answer, "NOT_FOUND", {"profile": ["not found"]})


def test_article_with_body_flags_and_comments(client, make_user, make_article):
    ada, bob = make_user("ada"), make_user("bob")
    article = make_article(ada["token"], tags=["zeta", "alpha"])
    slug = article["slug"]
    assert client.post(f"/articles/{slug}/favorite", token=bob["token"]).status_code == 200
    for who, text in ((ada, "first"), (bob, "second")):
        response = client.post(f"/articles/{slug}/comments", json={"comment": {"body": text}}, token=who["token"])
        assert response.status_code == 201
    comments = f"comments {{ edges {{ node {{ {COMMENT_FIELDS} }} }} }}"
    query = f"query($s: String!) {{ article(slug: $s) {{ {ARTICLE_FIELDS} {comments} }} }}"
    seen = data(gql(client, query, {"s": slug}, bob["token"]))["article"]
    seen["comments"] = [edge["node"] for edge in seen["comments"]["edges"]]
    assert seen["slug"] == slug and seen["body"] == "b" and seen["tagList"] == ["alpha", "zeta"]
    assert (seen["favorited"], seen["favoritesCount"]) == (True, 1)
    assert seen["author"] == {"username": ada["username"], "bio": None, "image": None, "following": False}
    assert [(c["body"], c["author"]["username"]) for c in seen["comments"]] == [
        ("first", ada["username"]),
        ("second", bob["username"]),
    ]
    assert [c["id"] for c in seen["comments"]] == sorted(c["id"] for c in seen["comments"])


def test_unknown_article_is_not_found(client):
    answer = gql(client, '{ article(slug: "no-such-article-xyz") { title } }')
    assert answer["data"] == {"article": None}
    assert_code(answer, "NOT_FOUND", {"article": ["not found"]})


def test_articles_pages_with_cursors_to_the_end(client, make_user, make_article):
    ada = make_user("ada")
    tag = unique("page")
    slugs = [make_article(ada["token"], tags=[tag])["slug"] for _ in range(5)][::-1]  # newest first
    seen, after, pages = [], None, 0
    while True:
        connection = data(gql(client, PAGE, {"filter": {"tag": tag}, "first": 2, "after": after}))["articles"]
        pages += 1
        assert connection["totalCount"] == 5
        edges = connection["edges"]
        info = connection["pageInfo"]
        assert info["hasPreviousPage"] is (after is not None)
        assert info["startCursor"] == edges[0]["cursor"] and info["endCursor"] == edges[-1]["cursor"]
        assert [cursor_position(e["cursor"]) for e in edges] == list(range(len(seen), len(seen) + len(edges)))
        seen += [e["node"]["slug"] for e in edges]
        if not info["hasNextPage"]:
            break
        after = info["endCursor"]
    assert seen == slugs and pages == 3


def test_articles_default_page_size_and_past_the_end(client, make_user, make_article):
    ada = make_user("ada")
    tag = unique("few")
    make_article(ada["token"], tags=[tag])
    connection = data(gql(client, PAGE, {"filter": {"tag": tag}}))["articles"]
    assert len(connection["edges"]) == 1 and connection["pageInfo"]["hasNextPage"] is False
    after = connection["pageInfo"]["endCursor"]
    beyond = data(gql(client, PAGE, {"filter": {"tag": tag}, "after": after}))["articles"]
    assert beyond["edges"] == [] and beyond["totalCount"] == 1
    assert beyond["pageInfo"] == {
        "hasNextPage": False,
        "hasPreviousPage": True,
        "startCursor": None,
        "endCursor": None,
    }


def test_articles_by_author_and_by_favoriting_user(client, make_user, make_article):
    ada, bob = make_user("ada"), make_user("bob")
    first = make_article(ada["token"])["slug"]
    second = make_article(ada["token"])["slug"]
    assert client.post(f"/articles/{first}/favorite", token=bob["token"]).status_code == 200
    by_author = data(gql(client, PAGE, {"filter": {"author": ada["username"]}}, bob["token"]))["articles"]
    assert [e["node"]["slug"] for e in by_author["edges"]] == [second, first]
    assert [e["node"]["favorited"] for e in by_author["edges"]] == [False, True]
    favorites = data(gql(client, PAGE, {"filter": {"favorited": bob["username"]}}))["articles"]
    assert [e["node"]["slug"] for e in favorites["edges"]] == [first] and favorites["totalCount"] == 1
    nobody = data(gql(client, PAGE, {"filter": {"author": "no-such-user-xyz"}}))["articles"]
    assert nobody["edges"] == [] and nobody["totalCount"] == 0


def test_articles_list_bodies_and_comments_on_demand(client, make_user, make_article):
    ada = make_user("ada")
    tag = unique("bodies")
    slug = make_article(ada["token"], tags=[tag])["slug"]
    client.post(f"/articles/{slug}/comments", json={"comment": {"body": "hello"}}, token=ada["token"])
    query = """query($t: String) { articles(filter: {tag: $t}) {
      edges { node { body comments { edges { node { body } } } } } } }"""
    (edge,) = data(gql(client, query, {"t": tag}))["articles"]["edges"]
    assert edge["node"] == {"body": "b", "comments": {"edges": [{"node": {"body": "hello"}}]}}


def test_articles_bad_paging_and_filters_are_bad_user_input(client):
    cases = [
        ({"first": 0}, {"first": ["must be at least 1"]}),
        ({"first": -3}, {"first": ["must be a non-negative integer"]}),
        ({"after": "not a cursor"}, {"after": ["is not a valid cursor"]}),
        ({"filter": {"tag": "a", "author": "b"}}, {"filter": ["filter by at most one of tag, author, favorited"]}),
    ]
    for variables, errors in cases:
        answer = gql(client, PAGE, variables)
        assert answer["data"] == {"articles": None}
        assert_code(answer, "BAD_USER_INPUT", errors)


def test_feed_needs_a_token_and_lists_followed_authors(client, make_user, make_article):
    ada, bob = make_user("ada"), make_user("bob")
    slug = make_article(ada["token"])["slug"]
    query = f"{{ feed(first: 5) {{ totalCount edges {{ node {{ {SUMMARY_FIELDS} }} }} }} }}"
    assert_code(gql(client, query), "UNAUTHENTICATED", {"token": ["is missing"]})
    assert data(gql(client, query, token=bob["token"]))["feed"] == {"totalCount": 0, "edges": []}
    assert client.post(f"/profiles/{ada['username']}/follow", token=bob["token"]).status_code == 200
    feed = data(gql(client, query, token=bob["token"]))["feed"]
    assert feed["totalCount"] == 1
    assert [e["node"]["slug"] for e in feed["edges"]] == [slug]
    assert feed["edges"][0]["node"]["author"]["following"] is True


def test_tags_most_used_first(client, make_user, make_article):
    ada = make_user("ada")
    popular, rare = unique("popular"), unique("rare")
    for _ in range(2):
        make_article(ada["token"], tags=[popular])
    make_article(ada["token"], tags=[popular, rare])
    tags = data(gql(client, "{ tags }"))["tags"]
    assert popular in tags and rare in tags
    assert tags.index(popular) < tags.index(rare)


def test_profile_articles_of_an_author(client, make_user, make_article):
    ada = make_user("ada")
    slugs = [make_article(ada["token"])["slug"] for _ in range(3)]
    query = """query($u: String!) { profile(username: $u) {
        articles(first: 2) { totalCount pageInfo { hasNextPage } edges { node { slug author { username } } } } } }"""
    connection = data(gql(client, query, {"u": ada["username"]}))["profile"]["articles"]
    assert connection["totalCount"] == 3 and connection["pageInfo"]["hasNextPage"] is True
    assert [e["node"]["slug"] for e in connection["edges"]] == slugs[::-1][:2]
    assert {e["node"]["author"]["username"] for e in connection["edges"]} == {ada["username"]}


def test_typename_and_operation_name(client):
    answer = gql(client, "query Named { __typename tags }")
    assert data(answer)["__typename"] == "Query"
