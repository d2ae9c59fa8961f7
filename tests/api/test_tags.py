"""GET /tags: tags in use, gone when no article uses them any more."""

from __future__ import annotations

from tests.conftest import unique


def tags(client) -> list[str]:
    response = client.get("/tags")
    assert response.status_code == 200, response.text
    body = response.json()
    assert set(body) == {"tags"}
    assert all(isinstance(tag, str) for tag in body["tags"])
    assert len(body["tags"]) == len(set(body["tags"]))
    return body["tags"]


def test_tags_appear_after_create(client, make_user, make_article):
    author = make_user("tags")
    first, second = unique("tfirst"), unique("tsecond")
    assert first not in tags(client)
    make_article(author["token"], tags=[first, second])
    listed = tags(client)
    assert first in listed and second in listed


def test_tags_need_no_token_and_ignore_a_bad_one(client):
    assert client.get("/tags", token="not-a-jwt").status_code == 200


def test_tag_disappears_when_its_last_article_is_deleted(client, make_user, make_article):
    author = make_user("tagdel")
    shared, lonely = unique("tshared"), unique("tlonely")
    first = make_article(author["token"], tags=[shared, lonely])
    second = make_article(author["token"], tags=[shared])
    assert client.delete(f"/articles/{first['slug']}", token=author["token"]).status_code == 204
    listed = tags(client)
    assert lonely not in listed
    assert shared in listed
    assert client.delete(f"/articles/{second['slug']}", token=author["token"]).status_code == 204
    assert shared not in tags(client)
    assert client.get("/articles", params={"tag": shared}).json() == {"articles": [], "articlesCount": 0}


def test_tag_disappears_when_its_last_article_is_untagged(client, make_user, make_article):
    author = make_user("tagun")
    old, new = unique("told"), unique("tnew")
    article = make_article(author["token"], tags=[old])
    path = f"/articles/{article['slug']}"
    assert client.put(path, token=author["token"], json={"article": {"tagList": [new]}}).status_code == 200
    listed = tags(client)
    assert old not in listed and new in listed
    assert client.put(path, token=author["token"], json={"article": {"tagList": []}}).status_code == 200
    assert new not in tags(client)
    # and it comes back when used again
    assert client.put(path, token=author["token"], json={"article": {"tagList": [new]}}).status_code == 200
    assert new in tags(client)


def test_most_used_tags_come_first(client, make_user, make_article):
    author = make_user("tagpop")
    popular, rare = unique("tpopular"), unique("trare")
    for _ in range(3):
        make_article(author["token"], tags=[popular])
    make_article(author["token"], tags=[rare])
    listed = tags(client)
    assert listed.index(popular) < listed.index(rare)


def test_tag_counts_match_the_tag_filter(client, make_user, make_article):
    author = make_user("tagcount")
    tag = unique("tcount")
    articles = [make_article(author["token"], tags=[tag]) for _ in range(3)]
    assert client.get("/articles", params={"tag": tag}).json()["articlesCount"] == 3
    client.put(f"/articles/{articles[0]['slug']}", token=author["token"], json={"article": {"tagList": []}})
    client.delete(f"/articles/{articles[1]['slug']}", token=author["token"])
    listed = client.get("/articles", params={"tag": tag}).json()
    assert listed["articlesCount"] == 1
    assert [a["slug"] for a in listed["articles"]] == [articles[2]["slug"]]
    assert tag in tags(client)
