"""Profiles and following."""

from __future__ import annotations

from tests.api.helpers import assert_error, follow_edges, stored_user, user_id
from tests.conftest import unique

NOT_FOUND = {"errors": {"profile": ["not found"]}}


def test_get_profile_anonymous(client, make_user):
    user = make_user("prof")
    response = client.get(f"/profiles/{user['username']}")
    assert response.status_code == 200
    assert response.json() == {
        "profile": {"username": user["username"], "bio": None, "image": None, "following": False}
    }


def test_get_profile_username_lookup_is_case_insensitive_and_shows_stored_name(client, make_user):
    user = make_user("ProfCase")
    response = client.get(f"/profiles/{user['username'].lower()}")
    assert response.status_code == 200
    assert response.json()["profile"]["username"] == user["username"]


def test_get_unknown_profile_is_404(client, make_user):
    viewer = make_user("viewer")
    assert_error(client.get(f"/profiles/{unique('ghost')}"), 404, NOT_FOUND["errors"])
    assert_error(client.get(f"/profiles/{unique('ghost')}", token=viewer["token"]), 404, NOT_FOUND["errors"])


def test_get_own_profile_is_not_following(client, make_user):
    user = make_user("self")
    response = client.get(f"/profiles/{user['username']}", token=user["token"])
    assert response.json()["profile"]["following"] is False


def test_follow_and_unfollow(client, make_user, runtime):
    fan, star = make_user("fan"), make_user("star")
    followed = client.post(f"/profiles/{star['username']}/follow", token=fan["token"])
    assert followed.status_code == 200, followed.text
    assert followed.json() == {"profile": {"username": star["username"], "bio": None, "image": None, "following": True}}
    # the flag is per viewer
    assert client.get(f"/profiles/{star['username']}", token=fan["token"]).json()["profile"]["following"] is True
    assert client.get(f"/profiles/{star['username']}").json()["profile"]["following"] is False
    other = make_user("other")
    assert client.get(f"/profiles/{star['username']}", token=other["token"]).json()["profile"]["following"] is False
    # following is one way
    assert client.get(f"/profiles/{fan['username']}", token=star["token"]).json()["profile"]["following"] is False

    unfollowed = client.delete(f"/profiles/{star['username']}/follow", token=fan["token"])
    assert unfollowed.status_code == 200
    assert unfollowed.json()["profile"]["following"] is False
    assert client.get(f"/profiles/{star['username']}", token=fan["token"]).json()["profile"]["following"] is False
    assert follow_edges(runtime, fan["token"]) == []
    assert stored_user(runtime, fan["token"]).get("followingCount", 0) == 0


def test_follow_twice_keeps_one_edge(client, make_user, runtime):
    fan, star = make_user("fan2"), make_user("star2")
    for _ in range(2):
        response = client.post(f"/profiles/{star['username']}/follow", token=fan["token"])
        assert response.status_code == 200
        assert response.json()["profile"]["following"] is True
    edges = follow_edges(runtime, fan["token"])
    assert [edge["SK"] for edge in edges] == [f"FOLLOWS#{user_id(star['token'])}"]
    assert stored_user(runtime, fan["token"])["followingCount"] == 1
    # one unfollow undoes it entirely
    assert (
        client.delete(f"/profiles/{star['username']}/follow", token=fan["token"]).json()["profile"]["following"]
        is False
    )
    assert client.get(f"/profiles/{star['username']}", token=fan["token"]).json()["profile"]["following"] is False


def test_unfollow_twice_and_unfollow_never_followed_are_fine(client, make_user, runtime):
    fan, star = make_user("fan3"), make_user("star3")
    for _ in range(2):
        response = client.delete(f"/profiles/{star['username']}/follow", token=fan["token"])
        assert response.status_code == 200
        assert response.json()["profile"]["following"] is False
    assert follow_edges(runtime, fan["token"]) == []
    assert stored_user(runtime, fan["token"]).get("followingCount", 0) == 0


def test_follow_ignores_a_request_body(client, make_user):
    fan, star = make_user("fan4"), make_user("star4")
    response = client.post(
        f"/profiles/{star['username']}/follow", token=fan["token"], json={"user": {"email": fan["email"]}}
    )
    assert response.status_code == 200
    assert response.json()["profile"]["following"] is True


def test_follow_yourself_is_422(client, make_user, runtime):
    user = make_user("narcissus")
    response = client.post(f"/profiles/{user['username']}/follow", token=user["token"])
    assert response.status_code == 422
    assert list(response.json()["errors"]) == ["profile"]
    assert follow_edges(runtime, user["token"]) == []


def test_follow_unknown_user_is_404(client, make_user, runtime):
    fan = make_user("lost")
    ghost = unique("ghost")
    assert_error(client.post(f"/profiles/{ghost}/follow", token=fan["token"]), 404, NOT_FOUND["errors"])
    assert_error(client.delete(f"/profiles/{ghost}/follow", token=fan["token"]), 404, NOT_FOUND["errors"])
    assert follow_edges(runtime, fan["token"]) == []


def test_follow_requires_token(client, make_user):
    star = make_user("star5")
    missing = {"token": ["is missing"]}
    assert_error(client.post(f"/profiles/{star['username']}/follow"), 401, missing)
    assert_error(client.delete(f"/profiles/{star['username']}/follow"), 401, missing)
    assert_error(client.post(f"/profiles/{star['username']}/follow", token="bad"), 401, {"token": ["is invalid"]})


def test_following_survives_a_rename(client, make_user):
    fan, star = make_user("fan6"), make_user("star6")
    client.post(f"/profiles/{star['username']}/follow", token=fan["token"])
    new_name = unique("renamedstar")
    assert client.put("/user", token=star["token"], json={"user": {"username": new_name}}).status_code == 200
    assert client.get(f"/profiles/{new_name}", token=fan["token"]).json()["profile"]["following"] is True
