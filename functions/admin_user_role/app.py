"""PUT /api/admin/users/{username}/role — make a user a `user`, `moderator` or `admin` (admins only)."""

from conduit.http import Request, endpoint
from conduit.services import admin
from conduit.services.views import SingleAdminUser
from conduit.validation import RoleChange


@endpoint("PUT /api/admin/users/{username}/role")
def handler(request: Request) -> SingleAdminUser:
    change = request.body(RoleChange)
    return admin.set_role(request.path_param("username"), change.role, request.require_viewer())
