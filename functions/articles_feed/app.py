"""GET /api/articles/feed — newest articles of the authors the viewer follows."""

from conduit.http import Request, endpoint
from conduit.services import articles
from conduit.services.paging import ARTICLES_PAGE_MAX, page_from
from conduit.services.views import MultipleArticles


@endpoint("GET /api/articles/feed")
def handler(request: Request) -> MultipleArticles:
    return articles.feed(request.require_viewer(), page_from(request.query, max_items=ARTICLES_PAGE_MAX))
