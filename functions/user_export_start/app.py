"""POST /api/user/export — start an export of everything stored about the current user; 202."""

from conduit.http import Request, endpoint
from conduit.services import exports


@endpoint("POST /api/user/export", status=202)
def handler(request: Request) -> dict:
    return {"export": exports.start(request.require_viewer())}
