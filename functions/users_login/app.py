"""POST /api/users/login — exchange email and password for a token."""

from conduit.http import Request, endpoint
from conduit.services import users
from conduit.services.views import SingleUser
from conduit.validation import LoginBody


@endpoint("POST /api/users/login")
def handler(request: Request) -> SingleUser:
    credentials = request.body(LoginBody).user
    return {"user": users.login(credentials, request.source_ip)}
