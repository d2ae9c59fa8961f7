"""POST /api/users/password-reset/confirm — set a new password with an emailed reset token; answers like login."""

from conduit.http import Request, endpoint
from conduit.services import password_reset
from conduit.services.views import SingleUser
from conduit.validation import PasswordResetConfirmBody


@endpoint("POST /api/users/password-reset/confirm")
def handler(request: Request) -> SingleUser:
    return {"user": password_reset.confirm(request.body(PasswordResetConfirmBody).user)}
