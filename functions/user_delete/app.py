"""DELETE /api/user — delete the current user's account (current password required); 202, the rest follows."""

from conduit.http import Request, endpoint
from conduit.services import accounts
from conduit.services.views import SingleDeletion
from conduit.validation import DeleteAccountBody


@endpoint("DELETE /api/user", status=202)
def handler(request: Request) -> SingleDeletion:
    password = request.body(DeleteAccountBody).user.password
    return {"deletion": accounts.request_deletion(request.require_viewer(), password)}
