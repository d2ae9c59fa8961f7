"""GET /api/tags — the most used tags."""

from conduit.http import Request, endpoint
from conduit.services import tags


@endpoint()
def handler(request: Request) -> dict:
    return {"tags": tags.popular()}
