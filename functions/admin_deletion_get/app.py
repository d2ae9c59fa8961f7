"""GET /api/admin/deletions/{id} — the progress of an account deletion (admins only; id: the user's id)."""

from conduit.http import Request, endpoint
from conduit.services import accounts
from conduit.services.views import SingleDeletion


@endpoint("GET /api/admin/deletions/{id}")
def handler(request: Request) -> SingleDeletion:
    return {"deletion": accounts.status(request.path_param("id"))}
