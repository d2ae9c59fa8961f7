"""POST /api/user/export — start an export of everything stored about the current user; 202."""

from conduit.http import Request, endpoint
from conduit.services import exports
from conduit.services.views import SingleExport


@endpoint("POST /api/user/export", status=202)
def handler(request: Request) -> SingleExport:
    return {"export": exports.start(request.require_viewer())}
