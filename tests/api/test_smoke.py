"""A first pass through the main story: register, publish, read back, clean up."""

from __future__ import annotations


def test_register_publish_read_delete(client, make_user, make_article):
    author = make_user("smoke")
    article = make_article(author["token"], tags=["zeta", "alpha"])
    assert article["tagList"] == ["alpha", "zeta"]
    assert article["author"]["username"] == author["username"]

    fetched = client.get(f"/articles/{article['slug']}")
    assert fetched.status_code == 200
    assert fetched.headers["content-type"] == "application/json; charset=utf-8"
    assert fetched.json()["article"]["body"] == "b"

    assert client.delete(f"/articles/{article['slug']}", token=author["token"]).status_code == 204
    gone = client.get(f"/articles/{article['slug']}")
    assert gone.status_code == 404
    assert gone.json() == {"errors": {"article": ["not found"]}}
