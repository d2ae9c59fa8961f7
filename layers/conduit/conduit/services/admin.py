"""Administration: listing users, changing roles, suspending. Only admins get here (conduit.authz)."""

from __future__ import annotations

from conduit.authz import Role
from conduit.entities.users import UserAccount
from conduit.errors import InvalidInput, ProfileNotFound, found
from conduit.ports import users as user_port
from conduit.security import guard
from conduit.services.paging import Page
from conduit.services.views import AdminUsers, AdminUserView, SingleAdminUser


def admin_view(account: UserAccount) -> AdminUserView:
    return {
        "username": account.username,
        "email": account.email,
        "role": account.role,
        "suspended": account.suspended,
        "createdAt": account.created_at,
    }


def list_users(page: Page) -> AdminUsers:
    return {"users": [admin_view(account) for account in user_port.store().accounts(page.offset, page.limit)]}


def set_role(username: str, role: Role, acting_admin: str) -> SingleAdminUser:
    users = user_port.store()
    uid = found(users.id_for_username(username), ProfileNotFound)
    if uid == acting_admin and role != Role.ADMIN:
        raise InvalidInput("role", "admins cannot demote themselves")
    updated = users.set_role(uid, role)
    guard.forget(uid)
    return {"user": admin_view(updated)}


def set_suspended(username: str, suspended: bool, acting_admin: str) -> SingleAdminUser:
    users = user_port.store()
    uid = found(users.id_for_username(username), ProfileNotFound)
    if uid == acting_admin:
        raise InvalidInput("user", "admins cannot suspend themselves")
    updated = users.set_suspended(uid, suspended)
    guard.forget(uid)
    return {"user": admin_view(updated)}
