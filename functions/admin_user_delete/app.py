"""DELETE /api/admin/users/{username} — delete an account (admins only); 202, the rest follows."""

from conduit.http import Request, endpoint
from conduit.services import accounts
from conduit.services.views import SingleDeletion


@endpoint("DELETE /api/admin/users/{username}", status=202)
def handler(request: Request) -> SingleDeletion:
    return {"deletion": accounts.delete_by_admin(request.path_param("username"), request.require_viewer())}
