"""PUT /api/user — change the current user's email, username, password, bio or image."""

from conduit.http import Request, endpoint
from conduit.services import users
from conduit.services.views import SingleUser
from conduit.validation import UpdateUserBody


@endpoint("PUT /api/user")
def handler(request: Request) -> SingleUser:
    changes = request.body(UpdateUserBody).user
    return {"user": users.update(request.require_viewer(), request.token or "", changes)}
