"""POST /api/articles/{slug}/favorite — favorite an article (idempotent)."""

from conduit.http import Request, endpoint
from conduit.services import articles
from conduit.services.views import SingleArticle


@endpoint("POST /api/articles/{slug}/favorite")
def handler(request: Request) -> SingleArticle:
    return {"article": articles.favorite(request.path_param("slug"), request.require_viewer())}
