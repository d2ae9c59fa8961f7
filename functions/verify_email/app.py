"""POST /api/users/verify-email — follow the emailed link's token: the user's email is verified."""

from conduit.http import Request, endpoint
from conduit.services import email_verification
from conduit.services.views import Accepted
from conduit.validation import VerifyEmailBody

VERIFIED = "Email verified"


@endpoint("POST /api/users/verify-email")
def handler(request: Request) -> Accepted:
    email_verification.confirm(request.body(VerifyEmailBody).user.token)
    return {"message": VERIFIED}
