"""POST /api/admin/users/{username}/suspend — stop a user from logging in and writing (admins only)."""

from conduit.http import Request, endpoint
from conduit.services import admin
from conduit.services.views import SingleAdminUser


@endpoint("POST /api/admin/users/{username}/suspend")
def handler(request: Request) -> SingleAdminUser:
    return admin.set_suspended(request.path_param("username"), True, request.require_viewer())
