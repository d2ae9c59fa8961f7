"""POST /api/users/password-reset — email a reset link; the same 202 whether or not the email is registered."""

from conduit.http import Request, endpoint
from conduit.services import password_reset
from conduit.services.views import Accepted
from conduit.validation import PasswordResetBody

ACCEPTED = "If the email is registered, a reset link is on its way"


@endpoint("POST /api/users/password-reset", status=202)
def handler(request: Request) -> Accepted:
    password_reset.request(request.body(PasswordResetBody).user.email, request.source_ip)
    return {"message": ACCEPTED}
