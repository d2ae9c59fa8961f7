"""Articles: create, read, update, delete (lists and feed are in test_lists.py)."""

from __future__ import annotations

import re

from tests.api.helpers import article_id, assert_error, assert_error_field, partition
from tests.conftest import unique

TIMESTAMP = re.compile(r"^\d{4,}-[01]\d-[0-3]\dT[0-2]\d:[0-5]\d:[0-5]\d\.\d+(Z|[+-]\d\d:\d\d)$")
ARTICLE_KEYS = {
    "slug", "title", "description", "body", "tagList",
    "createdAt", "updatedAt", "favorited", "favoritesCount", "author",
}  # fmt: skip
NOT_FOUND = {"article": ["not found"]}
FORBIDDEN = {"article": ["forbidden"]}
MISSING = {"token": ["is missing"]}


def create(client, token: str, **fields):
    article = {"title": unique("Title "), "description": "desc", "body": "body", **fields}
    return client.post("/articles", token=token, json={"article": article})


def listed_slugs(client, **query) -> list[str]:
    response = client.get("/articles", params=query)
    assert response.status_code == 200, response.text
    return [a["slug"] for a in response.json()["articles"]]


# --- create -----------------------------------------------------------------------------------------


def test_create_returns_201_with_the_whole_article(client, make_user):
    author = make_user("writer")
    title = unique("How to Train Your Dragon ")
    response = create(client, author["token"], title=title, description="Ever wonder how?", body="Very carefully.")
    assert response.status_code == 201, response.text
    article = response.json()["article"]
    assert set(article) == ARTICLE_KEYS
    assert article["title"] == title
    assert article["description"] == "Ever wonder how?"
    assert article["body"] == "Very carefully."
    assert article["tagList"] == []
    assert article["favorited"] is False
    assert article["favoritesCount"] == 0
    assert article["author"] == {"username": author["username"], "bio": None, "image": None, "following": False}
    assert TIMESTAMP.match(article["createdAt"]) and TIMESTAMP.match(article["updatedAt"])
    assert article["createdAt"] == article["updatedAt"]


def test_slug_is_derived_from_title(client, make_user):
    author = make_user("slugger")
    title = unique("How To Train Your Dragon ")
    article = create(client, author["token"], title=title).json()["article"]
    assert article["slug"] == title.lower().replace(" ", "-")
    weird = create(client, author["token"], title=f"  Hello, World!!  {title}  ").json()["article"]
    assert weird["slug"] == "hello-world-" + title.lower().replace(" ", "-")
    assert re.fullmatch(r"[\w-]+", weird["slug"])


def test_tag_list_is_sorted_and_deduplicated(client, make_user):
    author = make_user("tagger")
    response = create(client, author["token"], tagList=["training", "dragons", "training", " dragons "])
    assert response.status_code == 201
    assert response.json()["article"]["tagList"] == ["dragons", "training"]
    fetched = client.get(f"/articles/{response.json()['article']['slug']}").json()["article"]
    assert fetched["tagList"] == ["dragons", "training"]


def test_duplicate_titles_get_distinct_slugs(client, make_user):
    first_author, second_author = make_user("dupA"), make_user("dupB")
    title = unique("Same Title ")
    first = create(client, first_author["token"], title=title)
    second = create(client, second_author["token"], title=title)
    third = create(client, first_author["token"], title=title)
    assert first.status_code == second.status_code == third.status_code == 201
    slugs = [r.json()["article"]["slug"] for r in (first, second, third)]
    assert len(set(slugs)) == 3
    assert slugs[0] == title.lower().replace(" ", "-")
    assert all(slug.startswith(slugs[0]) for slug in slugs)
    for response, author in ((first, first_author), (second, second_author), (third, first_author)):
        article = response.json()["article"]
        fetched = client.get(f"/articles/{article['slug']}").json()["article"]
        assert fetched["author"]["username"] == author["username"]
        assert fetched["title"] == title


def test_create_requires_token(client):
    assert_error(create(client, ""), 401, MISSING)
    assert_error(create(client, "garbage"), 401, {"token": ["is invalid"]})


def test_create_missing_fields_are_422(client, make_user):
    author = make_user("blank")
    response = client.post("/articles", token=author["token"], json={"article": {}})
    assert_error(
        response,
        422,
        {"title": ["can't be blank"], "description": ["can't be blank"], "body": ["can't be blank"]},
    )
    assert_error(create(client, author["token"], title=""), 422, {"title": ["can't be blank"]})
    assert_error(create(client, author["token"], title="   "), 422, {"title": ["can't be blank"]})
    assert_error(create(client, author["token"], description=None), 422, {"description": ["can't be blank"]})
    assert_error(create(client, author["token"], body=""), 422, {"body": ["can't be blank"]})
    assert_error_field(create(client, author["token"], tagList=[""]), 422, "tagList")
    assert_error_field(create(client, author["token"], tagList="dragons"), 422, "tagList")
    assert listed_slugs(client, author=author["username"]) == []


# --- get --------------------------------------------------------------------------------------------


def test_get_article_with_body_and_viewer_flags(client, make_user, make_article):
    author, reader = make_user("getA"), make_user("getR")
    article = make_article(author["token"], tags=["x-get"])
    anonymous = client.get(f"/articles/{article['slug']}")
    assert anonymous.status_code == 200
    assert anonymous.json()["article"] == article
    client.post(f"/profiles/{author['username']}/follow", token=reader["token"])
    client.post(f"/articles/{article['slug']}/favorite", token=reader["token"])
    seen = client.get(f"/articles/{article['slug']}", token=reader["token"]).json()["article"]
    assert seen["favorited"] is True
    assert seen["favoritesCount"] == 1
    assert seen["author"]["following"] is True
    assert seen["body"] == "b"
    by_author = client.get(f"/articles/{article['slug']}", token=author["token"]).json()["article"]
    assert by_author["favorited"] is False and by_author["author"]["following"] is False


def test_get_unknown_article_is_404(client, make_user):
    reader = make_user("unknown")
    assert_error(client.get(f"/articles/{unique('no-such-slug-')}"), 404, NOT_FOUND)
    assert_error(client.get(f"/articles/{unique('no-such-slug-')}", token=reader["token"]), 404, NOT_FOUND)


def test_article_shows_authors_current_profile(client, make_user, make_article):
    author = make_user("profchange")
    article = make_article(author["token"])
    new_name = unique("newname")
    client.put("/user", token=author["token"], json={"user": {"username": new_name, "bio": "hi"}})
    fetched = client.get(f"/articles/{article['slug']}").json()["article"]
    assert fetched["author"]["username"] == new_name
    assert fetched["author"]["bio"] == "hi"


# --- update -----------------------------------------------------------------------------------------


def test_update_body_and_description_keeps_slug(client, make_user, make_article):
    author = make_user("upd")
    article = make_article(author["token"], tags=["keep-me"])
    response = client.put(
        f"/articles/{article['slug']}",
        token=author["token"],
        json={"article": {"body": "new body", "description": "nd"}},
    )
    assert response.status_code == 200, response.text
    updated = response.json()["article"]
    assert updated["slug"] == article["slug"]
    assert updated["body"] == "new body"
    assert updated["description"] == "nd"
    assert updated["title"] == article["title"]
    assert updated["tagList"] == ["keep-me"]  # no tagList: tags kept
    assert updated["createdAt"] == article["createdAt"]
    assert updated["updatedAt"] >= article["updatedAt"]
    fetched = client.get(f"/articles/{article['slug']}").json()["article"]
    assert fetched["body"] == "new body" and fetched["tagList"] == ["keep-me"]


def test_update_title_changes_slug(client, make_user, make_article):
    author = make_user("retitle")
    article = make_article(author["token"])
    new_title = unique("A Brand New Title ")
    response = client.put(f"/articles/{article['slug']}", token=author["token"], json={"article": {"title": new_title}})
    assert response.status_code == 200, response.text
    updated = response.json()["article"]
    assert updated["title"] == new_title
    assert updated["slug"] == new_title.lower().replace(" ", "-")
    assert_error(client.get(f"/articles/{article['slug']}"), 404, NOT_FOUND)
    fetched = client.get(f"/articles/{updated['slug']}")
    assert fetched.status_code == 200
    assert fetched.json()["article"]["title"] == new_title
    assert listed_slugs(client, author=author["username"]) == [updated["slug"]]
    # the old slug is free for a new article
    reused = create(client, author["token"], title=article["title"])
    assert reused.json()["article"]["slug"] == article["slug"]


def test_update_title_to_a_taken_slug_gets_a_distinct_slug(client, make_user, make_article):
    author = make_user("clash")
    first = make_article(author["token"])
    second = make_article(author["token"])
    response = client.put(
        f"/articles/{second['slug']}", token=author["token"], json={"article": {"title": first["title"]}}
    )
    assert response.status_code == 200, response.text
    slug = response.json()["article"]["slug"]
    assert slug != first["slug"] and slug.startswith(first["slug"])
    assert client.get(f"/articles/{first['slug']}").json()["article"]["body"] == "b"
    assert client.get(f"/articles/{slug}").json()["article"]["title"] == first["title"]


def test_update_tags(client, make_user, make_article):
    author = make_user("retag")
    tag_a, tag_b, tag_c = unique("ta"), unique("tb"), unique("tc")
    article = make_article(author["token"], tags=[tag_a, tag_b])
    path = f"/articles/{article['slug']}"
    changed = client.put(path, token=author["token"], json={"article": {"tagList": [tag_c, tag_b, tag_c]}})
    assert changed.status_code == 200, changed.text
    assert changed.json()["article"]["tagList"] == sorted([tag_b, tag_c])
    assert listed_slugs(client, tag=tag_a) == []
    assert listed_slugs(client, tag=tag_c) == [article["slug"]]
    cleared = client.put(path, token=author["token"], json={"article": {"tagList": []}})
    assert cleared.status_code == 200
    assert cleared.json()["article"]["tagList"] == []
    assert client.get(path).json()["article"]["tagList"] == []
    assert listed_slugs(client, tag=tag_b) == []
    assert listed_slugs(client, tag=tag_c) == []


def test_update_tag_list_null_is_422(client, make_user, make_article):
    author = make_user("nulltags")
    article = make_article(author["token"], tags=["kept-tag"])
    response = client.put(f"/articles/{article['slug']}", token=author["token"], json={"article": {"tagList": None}})
    assert_error(response, 422, {"tagList": ["can't be blank"]})
    assert client.get(f"/articles/{article['slug']}").json()["article"]["tagList"] == ["kept-tag"]


def test_update_blank_fields_are_422_and_change_nothing(client, make_user, make_article):
    author = make_user("blankupd")
    article = make_article(author["token"])
    path = f"/articles/{article['slug']}"
    for field in ("title", "description", "body"):
        assert_error(
            client.put(path, token=author["token"], json={"article": {field: ""}}), 422, {field: ["can't be blank"]}
        )
        assert_error(
            client.put(path, token=author["token"], json={"article": {field: None}}), 422, {field: ["can't be blank"]}
        )
    assert client.get(path).json()["article"] == article


def test_update_with_no_changes_returns_the_article(client, make_user, make_article):
    author = make_user("nochange")
    article = make_article(author["token"])
    response = client.put(f"/articles/{article['slug']}", token=author["token"], json={"article": {}})
    assert response.status_code == 200
    assert response.json()["article"]["slug"] == article["slug"]


def test_an_empty_update_by_another_user_is_403_and_changes_nothing(client, make_user, make_article):
    author, intruder = make_user("owner"), make_user("intruder")
    article = make_article(author["token"])
    path = f"/articles/{article['slug']}"
    assert_error(client.put(path, token=intruder["token"], json={"article": {}}), 403, FORBIDDEN)
    again = client.put(path, token=author["token"], json={"article": {}})
    assert again.status_code == 200 and again.json()["article"]["updatedAt"] == article["updatedAt"]
    client.delete(path, token=author["token"])
    assert_error(client.put(path, token=author["token"], json={"article": {}}), 404, {"article": ["not found"]})


def test_update_by_another_user_is_403(client, make_user, make_article):
    author, intruder = make_user("owner"), make_user("intruder")
    article = make_article(author["token"])
    response = client.put(
        f"/articles/{article['slug']}", token=intruder["token"], json={"article": {"title": "Hijacked", "body": "x"}}
    )
    assert_error(response, 403, FORBIDDEN)
    assert client.get(f"/articles/{article['slug']}").json()["article"] == article


def test_update_unknown_article_is_404(client, make_user):
    author = make_user("upd404")
    response = client.put(f"/articles/{unique('nope-')}", token=author["token"], json={"article": {"body": "x"}})
    assert_error(response, 404, NOT_FOUND)


def test_update_requires_token(client, make_user, make_article):
    author = make_user("updauth")
    article = make_article(author["token"])
    assert_error(client.put(f"/articles/{article['slug']}", json={"article": {"body": "x"}}), 401, MISSING)
    assert client.get(f"/articles/{article['slug']}").json()["article"]["body"] == "b"


# --- delete -----------------------------------------------------------------------------------------


def test_delete_article_removes_it_everywhere(client, make_user, make_article, runtime):
    author, fan = make_user("del"), make_user("delfan")
    tag = unique("deltag")
    keeper = make_article(author["token"], tags=[tag])
    only_here = unique("onlyhere")
    article = make_article(author["token"], tags=[tag, only_here])
    aid = article_id(runtime, article["slug"])
    assert client.post(f"/articles/{article['slug']}/favorite", token=fan["token"]).status_code == 200
    assert client.post(f"/articles/{keeper['slug']}/favorite", token=fan["token"]).status_code == 200
    for text in ("one", "two"):
        assert (
            client.post(
                f"/articles/{article['slug']}/comments", token=fan["token"], json={"comment": {"body": text}}
            ).status_code
            == 201
        )
    assert client.get("/articles", params={"favorited": fan["username"]}).json()["articlesCount"] == 2

    response = client.delete(f"/articles/{article['slug']}", token=author["token"])
    assert response.status_code == 204
    assert response.content == b""

    assert_error(client.get(f"/articles/{article['slug']}"), 404, NOT_FOUND)
    assert_error(client.get(f"/articles/{article['slug']}/comments"), 404, NOT_FOUND)
    by_author = client.get("/articles", params={"author": author["username"]}).json()
    assert [a["slug"] for a in by_author["articles"]] == [keeper["slug"]]
    assert by_author["articlesCount"] == 1
    by_tag = client.get("/articles", params={"tag": tag}).json()
    assert [a["slug"] for a in by_tag["articles"]] == [keeper["slug"]]
    assert by_tag["articlesCount"] == 1
    favorited = client.get("/articles", params={"favorited": fan["username"]}).json()
    assert [a["slug"] for a in favorited["articles"]] == [keeper["slug"]]
    assert favorited["articlesCount"] == 1
    assert article["slug"] not in listed_slugs(client, limit=100)
    tags = client.get("/tags").json()["tags"]
    assert tag in tags
    assert only_here not in tags
    assert partition(runtime, f"ARTICLE#{aid}") == []


def test_delete_twice_is_404(client, make_user, make_article):
    author = make_user("deltwice")
    article = make_article(author["token"])
    assert client.delete(f"/articles/{article['slug']}", token=author["token"]).status_code == 204
    assert_error(client.delete(f"/articles/{article['slug']}", token=author["token"]), 404, NOT_FOUND)


def test_delete_by_another_user_is_403(client, make_user, make_article):
    author, intruder = make_user("delown"), make_user("delintr")
    article = make_article(author["token"])
    assert_error(client.delete(f"/articles/{article['slug']}", token=intruder["token"]), 403, FORBIDDEN)
    assert client.get(f"/articles/{article['slug']}").status_code == 200


def test_delete_requires_token(client, make_user, make_article):
    author = make_user("delauth")
    article = make_article(author["token"])
    assert_error(client.delete(f"/articles/{article['slug']}"), 401, MISSING)
    assert client.get(f"/articles/{article['slug']}").status_code == 200
