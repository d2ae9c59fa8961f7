"""No N+1: the DynamoDB calls behind a page of articles, counted with a botocore event hook."""

from __future__ import annotations

from tests.conftest import unique
from tests.graphql.helpers import count, data, dynamodb_calls, gql

PAGE = """query($t: String) { articles(filter: {tag: $t}, first: 10) {
  totalCount edges { node { slug favorited favoritesCount author { username bio image following } } } } }"""


def _page_by_ten_authors(client, make_user, make_article):
    viewer = make_user("viewer")
    tag = unique("batch")
    authors = [make_user("author") for _ in range(10)]
    slugs = {}
    for index, author in enumerate(authors):
        slugs[author["username"]] = make_article(author["token"], tags=[tag])["slug"]
        if index % 2 == 0:
            assert client.post(f"/profiles/{author['username']}/follow", token=viewer["token"]).status_code == 200
        if index % 3 == 0:
            assert client.post(f"/articles/{slugs[author['username']]}/favorite", token=viewer["token"]).ok
    return viewer, tag, authors, slugs


def test_a_page_of_ten_articles_by_ten_authors_reads_relations_in_one_batch(client, make_user, make_article):
    viewer, tag, authors, slugs = _page_by_ten_authors(client, make_user, make_article)
    with dynamodb_calls() as calls:
        page = data(gql(client, PAGE, {"t": tag}, viewer["token"]))["articles"]

    nodes = {e["node"]["author"]["username"]: e["node"] for e in page["edges"]}
    assert page["totalCount"] == 10 and len(nodes) == 10
    for index, author in enumerate(authors):
        node = nodes[author["username"]]
        assert node["slug"] == slugs[author["username"]]
        assert node["author"]["following"] is (index % 2 == 0)
        assert node["favorited"] is (index % 3 == 0)
        assert node["favoritesCount"] == (1 if index % 3 == 0 else 0)

    operations = [name for name, _ in calls]
    # Query(tag's article ids) -> Query(the tag's counter shards) -> BatchGetItem(page) ->
    # BatchGetItem(authors + edges), plus the security guard's read of the caller's role: never one
    # read per article or author.
    assert count(calls, "BatchGetItem") == 2, operations
    assert count(calls, "Query") == 2, operations
    assert count(calls, "GetItem") <= 1, operations
    assert len(calls) <= 5, operations
    relations = [params for name, params in calls if name == "BatchGetItem"][-1]
    (wanted,) = relations["RequestItems"].values()
    sort_keys = sorted(key["SK"]["S"].split("#")[0] for key in wanted["Keys"])
    # 10 authors, the viewer's 10 possible follow edges, 10 possible favorite edges and 10 possible
    # pending favorite markers (store/favorites.py): one request
    assert sort_keys == ["FAVBY"] * 10 + ["FAVPENDING"] * 10 + ["FOLLOWS"] * 10 + ["PROFILE"] * 10


def test_bodies_and_comments_of_a_page_are_batched_too(client, make_user, make_article):
    viewer, tag, authors, slugs = _page_by_ten_authors(client, make_user, make_article)
    for author in authors[:3]:
        response = client.post(
            f"/articles/{slugs[author['username']]}/comments", json={"comment": {"body": "hi"}}, token=author["token"]
        )
        assert response.status_code == 201
    query = """query($t: String) { articles(filter: {tag: $t}, first: 10) { edges { node {
      slug body author { username } comments { edges { node { body author { username following } } } } } } } }"""
    with dynamodb_calls() as calls:
        page = data(gql(client, query, {"t": tag}, viewer["token"]))["articles"]

    commented = {slugs[a["username"]] for a in authors[:3]}
    for edge in page["edges"]:
        node = edge["node"]
        assert node["body"] == "b"
        expected = [{"body": "hi", "author": {"username": node["author"]["username"], "following": False}}]
        if node["slug"] in commented:
            index = next(i for i, a in enumerate(authors) if a["username"] == node["author"]["username"])
            expected[0]["author"]["following"] = index % 2 == 0
            assert [edge["node"] for edge in node["comments"]["edges"]] == expected
        else:
            assert node["comments"]["edges"] == []
    operations = [name for name, _ in calls]
    # page (2 B), slug markers of the page (1 B), bodies (1 B), comment authors (1 B);
    # comments are one Query per article (DynamoDB has no batched Query), run in parallel.
    assert count(calls, "BatchGetItem") == 5, operations
    assert count(calls, "Query") == 2 + 10, operations  # + the tag's counter shards
    assert count(calls, "GetItem") <= 1, operations
