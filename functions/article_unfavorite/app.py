"""DELETE /api/articles/{slug}/favorite — take a favorite back (idempotent)."""

from conduit.http import Request, endpoint
from conduit.services import articles
from conduit.services.views import SingleArticle


@endpoint("DELETE /api/articles/{slug}/favorite")
def handler(request: Request) -> SingleArticle:
    return {"article": articles.unfavorite(request.path_param("slug"), request.require_viewer())}
