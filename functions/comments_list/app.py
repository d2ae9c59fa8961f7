"""GET /api/articles/{slug}/comments — a page of an article's comments, oldest first.

`limit` (default 20, at most 25: a full page of the longest comments fits a Lambda response) and
`offset` (at most 500); `after=<comment id>` starts after that comment, at any depth.
"""

from conduit.http import Request, endpoint
from conduit.services import comments
from conduit.services.paging import COMMENTS_OFFSET_MAX, COMMENTS_PAGE_MAX, non_negative, page_from
from conduit.services.views import MultipleComments


@endpoint("GET /api/articles/{slug}/comments")
def handler(request: Request) -> MultipleComments:
    page = page_from(request.query, max_items=COMMENTS_PAGE_MAX, max_offset=COMMENTS_OFFSET_MAX)
    after = non_negative(request.query, "after")
    return {"comments": comments.list_for(request.path_param("slug"), request.viewer, page, after)}
