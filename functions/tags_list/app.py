"""GET /api/tags — the most used tags."""

from conduit.http import Request, endpoint
from conduit.services import tags


@endpoint("GET /api/tags", max_age=60)
def handler(request: Request) -> dict:
    return {"tags": tags.popular()}
