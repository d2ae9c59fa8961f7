"""services.admin against the in-memory user store: the listing, role changes and suspensions, which
take effect at once in this container, and the two changes an admin may not make to themselves."""

from __future__ import annotations

import pytest

from conduit.authz import Role
from conduit.errors import InvalidInput, ProfileNotFound, UserSuspended
from conduit.security import guard
from conduit.security.tokens import issue_token
from conduit.services import admin
from conduit.services.paging import Page
from tests.unit.fakes.people import People

pytestmark = pytest.mark.real_auth_state  # the guard reads the fake user store


def test_users_are_listed_newest_first_a_page_at_a_time(world: People) -> None:
    for name in ("ada", "bob", "cy"):
        world.user(name)
    world.user("dee", role=Role.MODERATOR, suspended=True)
    first = admin.list_users(Page(limit=2, offset=0))["users"]
    assert [user["username"] for user in first] == ["dee", "cy"]
    assert first[0] == {
        "username": "dee",
        "email": "dee@example.com",
        "role": Role.MODERATOR,
        "suspended": True,
        "createdAt": world.users.users["u4"].created_at,
    }
    assert [user["username"] for user in admin.list_users(Page(limit=2, offset=2))["users"]] == ["bob", "ada"]


def test_a_role_change_answers_the_account_and_applies_at_once(world: People, set_env) -> None:
    set_env(AUTH_CACHE_SECONDS="300")
    boss, ada = world.user("boss", role=Role.ADMIN), world.user("ada")
    token = issue_token(ada.id)
    assert guard.authenticate(token) == (ada.id, Role.USER)  # cached in this container now
    answer = admin.set_role("ADA", Role.MODERATOR, boss.id)
    assert answer["user"]["role"] == Role.MODERATOR and answer["user"]["username"] == "ada"
    assert world.users.users[ada.id].role == Role.MODERATOR
    assert guard.authenticate(token) == (ada.id, Role.MODERATOR), "the cached role was dropped"


def test_an_admin_may_not_demote_themselves_but_may_stay_admin(world: People) -> None:
    boss = world.user("boss", role=Role.ADMIN)
    with pytest.raises(InvalidInput) as refused:
        admin.set_role("boss", Role.USER, boss.id)
    assert refused.value.errors == {"role": ["admins cannot demote themselves"]}
    assert world.users.users[boss.id].role == Role.ADMIN
    assert admin.set_role("boss", Role.ADMIN, boss.id)["user"]["role"] == Role.ADMIN


def test_a_suspension_locks_the_user_out_at_once_and_can_be_lifted(world: People, set_env) -> None:
    set_env(AUTH_CACHE_SECONDS="300")
    boss, ada = world.user("boss", role=Role.ADMIN), world.user("ada")
    token = issue_token(ada.id)
    guard.authenticate(token)  # cached as not suspended
    assert admin.set_suspended("ada", True, boss.id)["user"]["suspended"] is True
    with pytest.raises(UserSuspended):
        guard.authenticate(token)
    assert admin.set_suspended("ada", False, boss.id)["user"]["suspended"] is False
    assert guard.authenticate(token) == (ada.id, Role.USER)


def test_an_admin_may_not_suspend_themselves(world: People) -> None:
    boss = world.user("boss", role=Role.ADMIN)
    with pytest.raises(InvalidInput) as refused:
        admin.set_suspended("boss", True, boss.id)
    assert refused.value.errors == {"user": ["admins cannot suspend themselves"]}
    assert world.users.users[boss.id].suspended is False


def test_an_unknown_username_is_a_404(world: People) -> None:
    boss = world.user("boss", role=Role.ADMIN)
    with pytest.raises(ProfileNotFound):
        admin.set_role("nobody", Role.MODERATOR, boss.id)
    with pytest.raises(ProfileNotFound):
        admin.set_suspended("nobody", True, boss.id)
