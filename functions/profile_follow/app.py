"""POST /api/profiles/{username}/follow — follow a user (idempotent)."""

from conduit.http import Request, endpoint
from conduit.services import profiles
from conduit.services.views import SingleProfile


@endpoint("POST /api/profiles/{username}/follow")
def handler(request: Request) -> SingleProfile:
    return {"profile": profiles.follow(request.path_param("username"), request.require_viewer())}
