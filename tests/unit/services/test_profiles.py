"""services.profiles against the in-memory store: profiles by username, following them."""

from __future__ import annotations

import pytest

from conduit.errors import InvalidInput, ProfileNotFound
from conduit.services import profiles
from tests.unit.fakes.content import Content


@pytest.fixture
def people(content: Content) -> Content:
    content.add_user("u-ada", "ada", bio="hi")
    content.add_user("u-bob", "bob")
    return content


def test_a_profile_as_the_viewer_sees_it(people: Content) -> None:
    assert profiles.get("ada", None) == {"username": "ada", "bio": "hi", "image": None, "following": False}
    people.follows.add(("u-bob", "u-ada"))
    assert profiles.get("ada", "u-bob")["following"] is True
    assert profiles.get("ada", None)["following"] is False


def test_an_unknown_username_is_not_found(people: Content) -> None:
    for call in (lambda: profiles.get("nobody", None), lambda: profiles.follow("nobody", "u-bob")):
        with pytest.raises(ProfileNotFound):
            call()


def test_a_username_whose_user_is_gone_is_not_found(people: Content) -> None:
    del people.users["u-ada"]  # the username marker outlived the user item (an account being deleted)
    with pytest.raises(ProfileNotFound):
        profiles.get("ada", None)


def test_follow_and_unfollow(people: Content) -> None:
    assert profiles.follow("ada", "u-bob")["following"] is True
    assert profiles.follow("ada", "u-bob")["following"] is True  # again: still one edge
    assert people.follows == {("u-bob", "u-ada")}
    assert profiles.unfollow("ada", "u-bob")["following"] is False
    assert profiles.unfollow("ada", "u-bob")["following"] is False
    assert people.follows == set()


def test_nobody_follows_themselves(people: Content) -> None:
    with pytest.raises(InvalidInput) as refused:
        profiles.follow("ada", "u-ada")
    assert refused.value.errors == {"profile": ["cannot follow yourself"]}
    assert people.follows == set()
