"""DELETE /api/admin/users/{username}/suspend — lift a suspension (admins only)."""

from conduit.http import Request, endpoint
from conduit.services import admin
from conduit.services.views import SingleAdminUser


@endpoint("DELETE /api/admin/users/{username}/suspend")
def handler(request: Request) -> SingleAdminUser:
    return admin.set_suspended(request.path_param("username"), False, request.require_viewer())
