"""POST /api/articles — publish an article."""

from conduit.http import Request, endpoint
from conduit.services import articles
from conduit.services.views import SingleArticle
from conduit.validation import NewArticleBody


@endpoint("POST /api/articles", status=201)
def handler(request: Request) -> SingleArticle:
    new_article = request.body(NewArticleBody).article
    return {"article": articles.create(request.require_viewer(), new_article)}
