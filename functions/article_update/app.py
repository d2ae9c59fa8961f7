"""PUT /api/articles/{slug} — change one's own article (a new title gives a new slug)."""

from conduit.http import Request, endpoint
from conduit.services import articles
from conduit.services.views import SingleArticle
from conduit.validation import UpdateArticleBody


@endpoint("PUT /api/articles/{slug}")
def handler(request: Request) -> SingleArticle:
    changes = request.body(UpdateArticleBody).article
    return {"article": articles.update(request.path_param("slug"), request.require_viewer(), changes)}
