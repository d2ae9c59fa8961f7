"""POST /api/profiles/{username}/follow — follow a user (idempotent)."""

from conduit.http import Request, endpoint
from conduit.services import profiles


@endpoint("POST /api/profiles/{username}/follow")
def handler(request: Request) -> dict:
    return {"profile": profiles.follow(request.path_param("username"), request.require_viewer())}
