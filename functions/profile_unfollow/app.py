"""DELETE /api/profiles/{username}/follow — stop following a user (idempotent)."""

from conduit.http import Request, endpoint
from conduit.services import profiles
from conduit.services.views import SingleProfile


@endpoint("DELETE /api/profiles/{username}/follow")
def handler(request: Request) -> SingleProfile:
    return {"profile": profiles.unfollow(request.path_param("username"), request.require_viewer())}
