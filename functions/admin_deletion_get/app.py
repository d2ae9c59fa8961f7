"""GET /api/admin/deletions/{id} — the progress of an account deletion (admins only; id: the user's id)."""

from conduit.http import Request, endpoint
from conduit.services import accounts


@endpoint("GET /api/admin/deletions/{id}")
def handler(request: Request) -> dict:
    return {"deletion": accounts.status(request.path_param("id"))}
