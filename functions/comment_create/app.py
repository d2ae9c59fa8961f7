"""POST /api/articles/{slug}/comments — comment on an article."""

from conduit.http import Request, endpoint
from conduit.services import comments
from conduit.services.views import SingleComment
from conduit.validation import NewCommentBody


@endpoint("POST /api/articles/{slug}/comments", status=201)
def handler(request: Request) -> SingleComment:
    new_comment = request.body(NewCommentBody).comment
    return {"comment": comments.add(request.path_param("slug"), request.require_viewer(), new_comment.body)}
