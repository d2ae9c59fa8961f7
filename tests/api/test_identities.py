"""Look-alike identities (issue 13, row 8): a full-width `victim@example.com` and `victim@example.com.`
registered as new accounts next to `victim@example.com`; usernames `.`, `..`, `...` were accepted;
titles with a Cyrillic a (U+0430) for a Latin `a` gave two articles with look-alike Unicode slugs."""

from __future__ import annotations

import pytest

from tests.api.helpers import assert_error
from tests.conftest import unique


def _fullwidth(text: str) -> str:
    return "".join(chr(ord(c) + 0xFEE0) if "!" <= c <= "~" else c for c in text)


def _register(client, username: str, email: str):
    return client.post("/users", json={"user": {"username": username, "email": email, "password": "password123"}})


@pytest.fixture
def victim(client):
    name = unique("victim")
    assert _register(client, name, f"{name}@example.com").status_code == 201
    return name


def test_a_full_width_email_is_the_same_account(client, victim):
    response = _register(client, unique("other"), _fullwidth(victim) + "@example.com")
    assert_error(response, 409, {"email": ["has already been taken"]})
    login = client.post(
        "/users/login", json={"user": {"email": _fullwidth(victim) + "@example.com", "password": "password123"}}
    )
    assert login.status_code == 200 and login.json()["user"]["username"] == victim


def test_a_trailing_dot_or_an_upper_case_domain_cannot_make_another_account(client, victim):
    assert_error(_register(client, unique("other"), f"{victim}@example.com."), 422, {"email": ["is invalid"]})
    taken = _register(client, unique("other"), f"{victim.upper()}@EXAMPLE.COM")
    assert_error(taken, 409, {"email": ["has already been taken"]})


def test_a_full_width_username_is_the_same_name(client, victim):
    response = _register(client, _fullwidth(victim), f"{unique('other')}@example.com")
    assert_error(response, 409, {"username": ["has already been taken"]})


@pytest.mark.parametrize("username", [".", "..", "...", ".hidden", "a..b", "\u0430dmin"])
def test_dot_only_and_other_script_usernames_are_refused(client, username):
    response = _register(client, username, f"{unique('dots')}@example.com")
    assert response.status_code == 422 and set(response.json()["errors"]) == {"username"}, response.text


def test_a_username_change_follows_the_same_rules(client, make_user):
    ada = make_user("ada")
    response = client.put("/user", json={"user": {"username": ".."}}, token=ada["token"])
    assert response.status_code == 422 and set(response.json()["errors"]) == {"username"}


def test_look_alike_titles_get_distinct_ascii_slugs(client, make_user):
    ada = make_user("ada")
    word = unique("Money")
    latin, cyrillic = f"Make {word}", f"M\u0430ke {word}"  # Cyrillic a (U+0430)
    slugs = []
    for title in (latin, cyrillic):
        article = {"title": title, "description": "d", "body": "b"}
        response = client.post("/articles", json={"article": article}, token=ada["token"])
        assert response.status_code == 201, response.text
        slugs.append(response.json()["article"]["slug"])
    assert all(slug.isascii() for slug in slugs)
    assert slugs[0] == f"make-{word.lower()}"
    assert slugs[1].startswith(slugs[0] + "-") and slugs[1] != slugs[0]  # the suffix of a taken slug
