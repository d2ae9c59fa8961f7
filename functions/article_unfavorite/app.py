"""DELETE /api/articles/{slug}/favorite — take a favorite back (idempotent)."""

from conduit.http import Request, endpoint
from conduit.services import articles


@endpoint("DELETE /api/articles/{slug}/favorite")
def handler(request: Request) -> dict:
    return {"article": articles.unfavorite(request.path_param("slug"), request.require_viewer())}
