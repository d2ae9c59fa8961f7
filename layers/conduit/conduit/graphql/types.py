"""The GraphQL object types: the REST views (conduit.services.views) as Strawberry types, and the Relay
connections that page them.

A type's nested fields (`Profile.articles`, `Article.body`, `Article.comments`) apply the rule of the REST
route they stand for, as the root fields do (queries.py); lists read in batches (loaders.py).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from typing import Any, Generic, Self, TypeVar

import strawberry
from strawberry import Info

from conduit.authz import Role
from conduit.graphql.context import context_of
from conduit.graphql.fields import field
from conduit.graphql.inputs import camel
from conduit.graphql.paging import COMMENT_PREFIX, comment_page_for, encode_cursor, page_for
from conduit.services import admin as admin_service
from conduit.services import articles as article_service
from conduit.services.paging import ARTICLES_PAGE_MAX, Page

N = TypeVar("N")


class FromView:
    """`of(view)`: the object of a REST view (conduit.services.views): each field the view's value under
    the field's name in camelCase, but those `converted` gives (nested views, enums). Fields with a
    resolver (not in the constructor) resolve themselves."""

    @classmethod
    def of(cls, view: Any) -> Self:
        converted = cls.converted(view)
        names = [field.name for field in dataclasses.fields(cls) if field.init]  # type: ignore[arg-type]
        return cls(**{name: view[camel(name)] for name in names if name not in converted}, **converted)

    @classmethod
    def converted(cls, view: Any) -> dict[str, Any]:
        return {}


@strawberry.type(description="A user's public profile, as the caller sees it.")
class Profile(FromView):
    username: str
    bio: str | None
    image: str | None
    following: bool = strawberry.field(description="Whether the caller follows this user.")

    @field("The user's articles, newest first (GET /api/articles?author=).")
    def articles(self, info: Info, first: int | None = None, after: str | None = None) -> ArticleConnection | None:

        caller = context_of(info).authorize("GET /api/articles")
        page = page_for(first, after, ARTICLES_PAGE_MAX)
        return connection(article_service.list_articles({"author": self.username}, page, caller.viewer), page)


@strawberry.type(description="The authenticated user, with a fresh copy of their token.")
class User(FromView):
    email: str
    token: str
    username: str
    bio: str | None
    image: str | None
    email_verified: bool = strawberry.field(description="Whether the emailed verification link was followed.")


@strawberry.type
class Comment(FromView):
    id: int
    created_at: str
    updated_at: str
    body: str
    author: Profile

    @classmethod
    def converted(cls, view: Any) -> dict[str, Any]:
        return {"author": Profile.of(view["author"])}


@strawberry.type
class Article(FromView):
    slug: str
    title: str
    description: str
    tag_list: list[str]
    created_at: str
    updated_at: str
    favorited: bool = strawberry.field(description="Whether the caller favorited it.")
    favorites_count: int
    author: Profile
    loaded_body: strawberry.Private[str | None] = None

    @classmethod
    def converted(cls, view: Any) -> dict[str, Any]:
        """In lists, the view has no body (`body` reads it)."""
        return {
            "tag_list": list(view["tagList"]),
            "author": Profile.of(view["author"]),
            "loaded_body": view.get("body"),
        }

    @field("In lists, the bodies of the whole page are read in one batch.")
    async def body(self, info: Info) -> str:
        if self.loaded_body is not None:
            return self.loaded_body
        return await context_of(info).loaders.bodies.load(self.slug)

    @field(
        "A page of the article's comments, oldest first (GET /api/articles/{slug}/comments): `first` "
        "default 20, at most 25; `after` a comment's cursor. Batched over a page of articles."
    )
    async def comments(
        self, info: Info, first: int | None = None, after: str | None = None
    ) -> CommentConnection | None:
        context = context_of(info)
        caller = context.authorize("GET /api/articles/{slug}/comments")
        limit, start = comment_page_for(first, after)
        views = await context.loaders.comments(caller.viewer).load((self.slug, limit + 1, start))
        return comment_connection(views, limit, start is not None)


@strawberry.type
class PageInfo:
    has_next_page: bool
    has_previous_page: bool
    start_cursor: str | None
    end_cursor: str | None

    @classmethod
    def of(cls, edges: Sequence[Edge[Any]], has_next_page: bool, has_previous_page: bool) -> PageInfo:
        """The page of these edges, in order."""
        start, end = (edges[0].cursor, edges[-1].cursor) if edges else (None, None)
        return cls(has_next_page=has_next_page, has_previous_page=has_previous_page, start_cursor=start, end_cursor=end)


@strawberry.type
class Edge(Generic[N]):
    """A node of a page and its cursor. GraphQL names `Edge[Article]` "ArticleEdge" (the node type's name
    first); a subclass names its own (UserEdge)."""

    cursor: str = strawberry.field(description="Opaque; pass it as `after` to get the nodes that follow.")
    node: N


E = TypeVar("E", bound=Edge[Any])


@strawberry.type
class Connection(Generic[E]):
    """A page of edges (Relay connection); each list subclasses it, which names and describes its type."""

    edges: list[E]
    page_info: PageInfo

    @classmethod
    def first(cls, edges: list[E], limit: int, has_previous_page: bool) -> Self:
        """The first `limit` of `edges`, read one further to know whether another page follows."""
        shown = edges[:limit]
        return cls(edges=shown, page_info=PageInfo.of(shown, len(edges) > limit, has_previous_page))


@strawberry.type(description="A page of articles (Relay connection), newest first.")
class ArticleConnection(Connection[Edge[Article]]):
    total_count: int = strawberry.field(description="Articles in the whole list (REST's articlesCount).")


def connection(listing: Any, page: Page) -> ArticleConnection:
    views, total = listing["articles"], listing["articlesCount"]
    edges = [Edge(cursor=encode_cursor(page.offset + i), node=Article.of(v)) for i, v in enumerate(views)]
    has_next_page = page.offset + len(edges) < total
    return ArticleConnection(
        edges=edges, page_info=PageInfo.of(edges, has_next_page, page.offset > 0), total_count=total
    )


@strawberry.type(
    description="A page of an article's comments (Relay connection), oldest first. Cursors are keys: a page "
    "after a cursor reads only itself, however deep. No totalCount (counting would read every comment)."
)
class CommentConnection(Connection[Edge[Comment]]): ...


def comment_connection(views: list[Any], limit: int, after_a_cursor: bool) -> CommentConnection:
    """The first `limit` of `views` (read one further, to know whether another page follows)."""
    edges = [Edge(cursor=encode_cursor(v["id"], COMMENT_PREFIX), node=Comment.of(v)) for v in views]
    return CommentConnection.first(edges, limit, after_a_cursor)


strawberry.enum(Role, description="A user's role (conduit.authz): what they may do beyond their own content.")


@strawberry.type(description="A user's account as admins see it (GET /api/admin/users).")
class UserAccount(FromView):
    username: str
    email: str
    role: Role
    suspended: bool = strawberry.field(description="Suspended users cannot log in and their tokens stop working.")
    created_at: str

    @classmethod
    def converted(cls, view: Any) -> dict[str, Any]:
        return {"role": Role(view["role"])}


@strawberry.type
class UserEdge(Edge[UserAccount]):
    """Named for the list (users), not the node type (UserAccountEdge)."""


@strawberry.type(
    description="A page of users (Relay connection), newest first. No totalCount: counting every user "
    "would read the whole user index (GET /api/admin/users has no count either)."
)
class UserConnection(Connection[UserEdge]): ...


def user_connection(page: Page) -> UserConnection:
    """A page of admin.list_users, read one user further to know whether another page follows."""
    views = admin_service.list_users(Page(limit=page.limit + 1, offset=page.offset))["users"]
    edges = [UserEdge(cursor=encode_cursor(page.offset + i), node=UserAccount.of(v)) for i, v in enumerate(views)]
    return UserConnection.first(edges, page.limit, page.offset > 0)
