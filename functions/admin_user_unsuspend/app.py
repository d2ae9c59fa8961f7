"""DELETE /api/admin/users/{username}/suspend — lift a suspension (admins only)."""

from conduit.http import Request, endpoint
from conduit.services import admin


@endpoint("DELETE /api/admin/users/{username}/suspend")
def handler(request: Request) -> dict:
    return admin.set_suspended(request.path_param("username"), False, request.require_viewer())
