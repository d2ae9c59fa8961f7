"""POST /api/user/verify-email — email the current user a fresh verification link."""

from conduit.http import Request, endpoint
from conduit.services import email_verification
from conduit.services.views import Accepted

ACCEPTED = "A verification link is on its way unless the email is verified already"


@endpoint("POST /api/user/verify-email", status=202)
def handler(request: Request) -> Accepted:
    email_verification.resend(request.require_viewer())
    return {"message": ACCEPTED}
