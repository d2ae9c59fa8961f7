"""GET /api/articles/{slug} — one article with its body."""

from conduit.http import Request, endpoint
from conduit.services import articles
from conduit.services.views import SingleArticle


@endpoint("GET /api/articles/{slug}")
def handler(request: Request) -> SingleArticle:
    return {"article": articles.get(request.path_param("slug"), request.viewer)}
