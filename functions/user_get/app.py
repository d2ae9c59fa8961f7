"""GET /api/user — the current user."""

from conduit.http import Request, endpoint
from conduit.services import users
from conduit.services.views import SingleUser, user_view


@endpoint("GET /api/user")
def handler(request: Request) -> SingleUser:
    user = users.current(request.require_viewer())
    return {"user": user_view(user, request.token or "")}
