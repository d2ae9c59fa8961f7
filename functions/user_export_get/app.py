"""GET /api/user/export/{id} — an export's state and, once ready, its expiring download link."""

from conduit.http import Request, endpoint
from conduit.services import exports
from conduit.services.views import SingleExport


@endpoint("GET /api/user/export/{id}")
def handler(request: Request) -> SingleExport:
    return {"export": exports.status(request.require_viewer(), request.path_param("id"))}
