"""DELETE /api/articles/{slug}/comments/{id} — delete one's own comment."""

from conduit.http import Request, endpoint
from conduit.services import comments


@endpoint("DELETE /api/articles/{slug}/comments/{id}", status=204)
def handler(request: Request) -> None:
    comment_id = comments.parse_id(request.path_param("id"))
    comments.delete(request.path_param("slug"), comment_id, request.require_viewer(), request.role)
