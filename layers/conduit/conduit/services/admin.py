"""Administration: listing users, changing roles, suspending. Only admins get here (conduit.authz)."""

from __future__ import annotations

from conduit.authz import Role
from conduit.errors import InvalidInput, ProfileNotFound, found
from conduit.security import guard
from conduit.services.paging import Page
from conduit.services.views import AdminUsers, AdminUserView, SingleAdminUser
from conduit.store import users
from conduit.store.client import Item


def admin_view(user: Item) -> AdminUserView:
    return {
        "username": user["username"],
        "email": user["email"],
        "role": Role(user.get("role") or Role.USER),
        "suspended": bool(user.get("suspended")),
        "createdAt": user["createdAt"],
    }


def list_users(page: Page) -> AdminUsers:
    found = users.page(page.offset, page.limit)
    return {"users": [admin_view(user) for user in found]}


def set_role(username: str, role: Role, acting_admin: str) -> SingleAdminUser:
    uid = found(users.id_for_username(username), ProfileNotFound)
    if uid == acting_admin and role != Role.ADMIN:
        raise InvalidInput("role", "admins cannot demote themselves")
    updated = users.set_flags(uid, role=role.value)
    guard.forget(uid)
    return {"user": admin_view(updated)}


def set_suspended(username: str, suspended: bool, acting_admin: str) -> SingleAdminUser:
    uid = found(users.id_for_username(username), ProfileNotFound)
    if uid == acting_admin:
        raise InvalidInput("user", "admins cannot suspend themselves")
    updated = users.set_flags(uid, suspended=suspended)
    guard.forget(uid)
    return {"user": admin_view(updated)}
