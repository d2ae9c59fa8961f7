"""DELETE /api/articles/{slug}/comments/{id} — delete one's own comment."""

from conduit.errors import NotFound
from conduit.http import Request, endpoint
from conduit.services import comments


@endpoint("DELETE /api/articles/{slug}/comments/{id}", status=204)
def handler(request: Request) -> None:
    raw_id = request.path_param("id")
    if not (raw_id.isascii() and raw_id.isdigit()) or len(raw_id) > 12:
        raise NotFound("comment")
    comments.delete(request.path_param("slug"), int(raw_id), request.require_viewer(), request.role)
