"""DELETE /api/articles/{slug} — delete one's own article with its comments and favorites."""

from conduit.http import Request, endpoint
from conduit.services import articles


@endpoint("DELETE /api/articles/{slug}", status=204)
def handler(request: Request) -> None:
    articles.delete(request.path_param("slug"), request.require_viewer(), request.role)
