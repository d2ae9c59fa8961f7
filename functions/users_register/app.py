"""POST /api/users — register a new user."""

from conduit.http import Request, endpoint
from conduit.services import users
from conduit.services.views import SingleUser
from conduit.validation import RegisterBody


@endpoint("POST /api/users", status=201)
def handler(request: Request) -> SingleUser:
    new_user = request.body(RegisterBody).user
    return {"user": users.register(new_user)}
