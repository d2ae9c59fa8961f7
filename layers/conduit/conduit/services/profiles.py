"""Profiles by username, and following them."""

from __future__ import annotations

from conduit.errors import InvalidInput, ProfileNotFound, found
from conduit.services import relations
from conduit.services.views import ProfileView
from conduit.store import follows, users


def _user_id(username: str) -> str:
    return found(users.id_for_username(username), ProfileNotFound)


def _view(viewer: str | None, uid: str) -> ProfileView:
    seen = relations.load(viewer, [uid])
    if uid not in seen.users:
        raise ProfileNotFound()
    return seen.author(uid)


def get(username: str, viewer: str | None) -> ProfileView:
    return _view(viewer, _user_id(username))


def follow(username: str, viewer: str) -> ProfileView:
    uid = _user_id(username)
    if uid == viewer:
        raise InvalidInput("profile", "cannot follow yourself")
    follows.follow(viewer, uid)
    return _view(viewer, uid)


def unfollow(username: str, viewer: str) -> ProfileView:
    uid = _user_id(username)
    follows.unfollow(viewer, uid)
    return _view(viewer, uid)
