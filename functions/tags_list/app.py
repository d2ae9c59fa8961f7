"""GET /api/tags — the most used tags."""

from conduit.http import Request, endpoint
from conduit.services import tags
from conduit.services.views import Tags


@endpoint("GET /api/tags", max_age=60)
def handler(request: Request) -> Tags:
    return {"tags": tags.popular()}
