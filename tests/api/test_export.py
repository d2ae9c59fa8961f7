"""Data export (issue 16): POST /api/user/export -> the job writes a JSON document to S3 (moto) -> GET
/api/user/export/{id} answers a pre-signed URL that expires; the document holds exactly the user's data."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import requests

from tests.api.helpers import assert_error


def export_document(client, runtime, token: str) -> tuple[dict, dict]:
    started = client.post("/user/export", token=token)
    assert started.status_code == 202, started.text
    export = started.json()["export"]
    assert export["state"] == "pending" and export["url"] is None
    runtime.drain_queues()
    ready = client.get(f"/user/export/{export['id']}", token=token)
    assert ready.status_code == 200, ready.text
    view = ready.json()["export"]
    assert view["state"] == "ready"
    download = requests.get(view["url"], timeout=30)
    assert download.status_code == 200, download.text
    return view, download.json()


def test_an_export_holds_exactly_the_users_data(client, runtime, make_user, make_article):
    me, other, third = make_user("exp"), make_user("expother"), make_user("expthird")
    mine = [make_article(me["token"], tags=["export"]) for _ in range(2)]
    theirs = make_article(other["token"])
    client.post(f"/articles/{theirs['slug']}/comments", json={"comment": {"body": "my remark"}}, token=me["token"])
    client.post(f"/articles/{theirs['slug']}/comments", json={"comment": {"body": "not mine"}}, token=other["token"])
    client.post(
        f"/articles/{mine[0]['slug']}/comments", json={"comment": {"body": "theirs on mine"}}, token=other["token"]
    )
    assert client.post(f"/articles/{theirs['slug']}/favorite", token=me["token"]).status_code == 200
    assert client.post(f"/articles/{mine[1]['slug']}/favorite", token=other["token"]).status_code == 200
    assert client.post(f"/profiles/{other['username']}/follow", token=me["token"]).status_code == 200
    assert client.post(f"/profiles/{me['username']}/follow", token=third["token"]).status_code == 200

    view, document = export_document(client, runtime, me["token"])
    query = parse_qs(urlsplit(view["url"]).query)
    assert query["X-Amz-Expires"] == ["900"]  # the link expires in 15 minutes

    assert document["format"] == "conduit-export/1"
    profile = document["profile"]
    assert (profile["username"], profile["email"]) == (me["username"], me["email"])
    assert "passwordHash" not in profile and not any(k.startswith("credentials") for k in profile)
    assert sorted(a["slug"] for a in document["articles"]) == sorted(a["slug"] for a in mine)
    assert [c["body"] for c in document["comments"]] == ["my remark"]
    assert [f["slug"] for f in document["favorites"]] == [theirs["slug"]]
    assert document["following"] == [other["username"]]
    assert document["followers"] == [third["username"]]
    assert me["token"] not in str(document) and "argon2" not in str(document)


def test_exports_are_private_to_their_user_and_links_are_signed(client, runtime, make_user):
    me, other = make_user("exp"), make_user("expother")
    view, _ = export_document(client, runtime, me["token"])
    assert_error(client.get(f"/user/export/{view['id']}", token=other["token"]), 404, {"export": ["not found"]})
    assert client.get(f"/user/export/{view['id']}").status_code == 401
    unsigned = view["url"].split("?", 1)[0]
    assert requests.get(unsigned, timeout=30).status_code == 403  # the bucket is private
    assert_error(client.get("/user/export/" + "x" * 3000, token=me["token"]), 404, {"export": ["not found"]})
