"""GET /api/articles/{slug}/comments — an article's comments, oldest first."""

from conduit.http import Request, endpoint
from conduit.services import comments


@endpoint("GET /api/articles/{slug}/comments")
def handler(request: Request) -> dict:
    return {"comments": comments.list_for(request.path_param("slug"), request.viewer)}
