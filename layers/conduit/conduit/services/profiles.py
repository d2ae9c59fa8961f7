"""Profiles by username, and following them."""

from __future__ import annotations

from conduit.errors import InvalidInput, ProfileNotFound, found
from conduit.ports import follows as follow_port
from conduit.ports import relations as relation_port
from conduit.services import relations
from conduit.services.views import ProfileView


def _user_id(username: str) -> str:
    return found(relation_port.store().user_id(username), ProfileNotFound)


def _view(viewer: str | None, uid: str) -> ProfileView:
    seen = relations.load(viewer, [uid])
    if uid not in seen.authors:
        raise ProfileNotFound()
    return relations.author(seen, uid)


def get(username: str, viewer: str | None) -> ProfileView:
    return _view(viewer, _user_id(username))


def follow(username: str, viewer: str) -> ProfileView:
    uid = _user_id(username)
    if uid == viewer:
        raise InvalidInput("profile", "cannot follow yourself")
    follow_port.store().follow(viewer, uid)
    return _view(viewer, uid)


def unfollow(username: str, viewer: str) -> ProfileView:
    uid = _user_id(username)
    follow_port.store().unfollow(viewer, uid)
    return _view(viewer, uid)
