"""GET /api/articles — newest articles, optionally by tag, author or favoriting user."""

from conduit.http import Request, endpoint
from conduit.services import articles
from conduit.services.paging import ARTICLES_PAGE_MAX, page_from
from conduit.services.views import MultipleArticles


@endpoint("GET /api/articles")
def handler(request: Request) -> MultipleArticles:
    return articles.list_articles(request.query, page_from(request.query, max_items=ARTICLES_PAGE_MAX), request.viewer)
