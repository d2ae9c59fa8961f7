"""GET /api/articles — newest articles, optionally by tag, author or favoriting user."""

from conduit.http import Request, endpoint
from conduit.services import articles
from conduit.services.paging import page_from


@endpoint("GET /api/articles")
def handler(request: Request) -> dict:
    return articles.list_articles(request.query, page_from(request.query), request.viewer)
