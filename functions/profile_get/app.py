"""GET /api/profiles/{username} — a profile, with `following` for a signed-in viewer."""

from conduit.http import Request, endpoint
from conduit.services import profiles
from conduit.services.views import SingleProfile


@endpoint("GET /api/profiles/{username}")
def handler(request: Request) -> SingleProfile:
    return {"profile": profiles.get(request.path_param("username"), request.viewer)}
