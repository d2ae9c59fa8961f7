"""GET /api/admin/users — every user with role and suspension, newest first (admins only)."""

from conduit.http import Request, endpoint
from conduit.services import admin
from conduit.services.paging import page_from
from conduit.services.views import AdminUsers


@endpoint("GET /api/admin/users")
def handler(request: Request) -> AdminUsers:
    return admin.list_users(page_from(request.query))
