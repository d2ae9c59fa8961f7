"""The Query root: the RealWorld API's reads (and the admins' user list), one field per REST GET route.

Each field applies its route's rule (`Context.authorize`) and calls the same service as the REST handler.
"""

from __future__ import annotations

import strawberry
from strawberry import Info

from conduit.errors import InvalidInput
from conduit.graphql.context import context_of
from conduit.graphql.fields import field
from conduit.graphql.inputs import ArticleFilter, given
from conduit.graphql.paging import page_for, renamed
from conduit.graphql.types import (
    Article,
    ArticleConnection,
    Profile,
    User,
    UserConnection,
    connection,
    user_connection,
)
from conduit.services import articles as article_service
from conduit.services import profiles as profile_service
from conduit.services import users as user_service
from conduit.services.paging import ARTICLES_PAGE_MAX
from conduit.services.views import user_view


@strawberry.type
class Query:
    @field("The authenticated user (GET /api/user).")
    def me(self, info: Info) -> User | None:

        caller = context_of(info).authorize("GET /api/user")
        return User.of(user_view(user_service.current(caller.require_viewer()), caller.token or ""))

    @field("GET /api/profiles/{username}")
    def profile(self, info: Info, username: str) -> Profile | None:

        caller = context_of(info).authorize("GET /api/profiles/{username}")
        return Profile.of(profile_service.get(username, caller.viewer))

    @field("GET /api/articles/{slug}")
    def article(self, info: Info, slug: str) -> Article | None:

        caller = context_of(info).authorize("GET /api/articles/{slug}")
        return Article.of(article_service.get(slug, caller.viewer))

    @field("Newest first, optionally filtered (GET /api/articles).")
    def articles(
        self, info: Info, filter: ArticleFilter | None = None, first: int | None = None, after: str | None = None
    ) -> ArticleConnection | None:

        caller = context_of(info).authorize("GET /api/articles")
        page = page_for(first, after, ARTICLES_PAGE_MAX)
        chosen = {name: value for name, value in given(filter).items() if value is not None} if filter else {}
        try:
            return connection(article_service.list_articles(chosen, page, caller.viewer), page)
        except InvalidInput as error:
            raise renamed(error) from None

    @field("Articles of the users the caller follows, newest first (GET /api/articles/feed).")
    def feed(self, info: Info, first: int | None = None, after: str | None = None) -> ArticleConnection | None:

        caller = context_of(info).authorize("GET /api/articles/feed")
        page = page_for(first, after, ARTICLES_PAGE_MAX)
        return connection(article_service.feed(caller.require_viewer(), page), page)

    @field("The most used tags, most used first (GET /api/tags).")
    def tags(self, info: Info) -> list[str] | None:

        context = context_of(info)
        context.authorize("GET /api/tags")
        return context.popular_tags()

    @field("Every user with role and suspension, newest first (GET /api/admin/users; admins).")
    def users(self, info: Info, first: int | None = None, after: str | None = None) -> UserConnection | None:

        context_of(info).authorize("GET /api/admin/users")
        return user_connection(page_for(first, after))
