"""GET /api/profiles/{username} — a profile, with `following` for a signed-in viewer."""

from conduit.http import Request, endpoint
from conduit.services import profiles


@endpoint("GET /api/profiles/{username}")
def handler(request: Request) -> dict:
    return {"profile": profiles.get(request.path_param("username"), request.viewer)}
