"""Response shapes of the RealWorld API, built from the entities the store returns.

The TypedDicts are the API's response contract: the services return them, and `python -m apidocs`
turns them into the OpenAPI document's response schemas (pydantic reads them there, at dev time;
nothing here imports pydantic).
"""

from __future__ import annotations

from typing import Annotated, Any

from typing_extensions import TypedDict  # pydantic (apidocs) reads typing.TypedDict only on 3.12+

from conduit.authz import Role
from conduit.entities.articles import Article, ArticleSummary
from conduit.entities.comments import Comment
from conduit.entities.profiles import Author
from conduit.entities.users import User


class _JsonFormat:
    """`Annotated` metadata giving a string's JSON Schema `format` to pydantic's schema generator.

    Duck-typed (`__get_pydantic_json_schema__`), so the layer needs no pydantic import at runtime.
    """

    def __init__(self, name: str) -> None:
        self.name = name

    def __get_pydantic_json_schema__(self, core_schema: Any, handler: Any) -> Any:
        schema = handler(core_schema)
        schema["format"] = self.name
        return schema


Timestamp = Annotated[str, _JsonFormat("date-time")]  # ISO 8601 UTC, millisecond precision


class ProfileView(TypedDict):
    username: str
    bio: str | None
    image: str | None
    following: bool


class UserView(TypedDict):
    email: str
    token: str
    username: str
    bio: str | None
    image: str | None
    emailVerified: bool  # beyond the RealWorld spec (clients ignore it): the email's link was followed


class ArticleSummaryView(TypedDict):
    """An article in a list (articles, feed): everything but the body."""

    slug: str
    title: str
    description: str
    tagList: list[str]
    createdAt: Timestamp
    updatedAt: Timestamp
    favorited: bool
    favoritesCount: int
    author: ProfileView


class ArticleView(ArticleSummaryView):
    """One article, with its body."""

    body: str


class CommentView(TypedDict):
    id: int
    createdAt: Timestamp
    updatedAt: Timestamp
    body: str
    author: ProfileView


# The response bodies (RealWorld's envelopes).
class Accepted(TypedDict):
    """A request taken for asynchronous work (202), e.g. a password reset email."""

    message: str


class DeletionView(TypedDict):
    """An account deletion: the account stopped at once; `state` running until the job removed
    everything it owned (`phase` shows where it is, `removed` how much of each kind), then done."""

    id: str
    username: str
    state: str
    phase: str
    removed: dict[str, int]
    requestedAt: Timestamp
    updatedAt: Timestamp


class SingleDeletion(TypedDict):
    deletion: DeletionView


class ExportView(TypedDict):
    """A data export: `pending` until the document is written, then `ready` with `url`, a pre-signed
    link to the JSON document that works for EXPORT_URL_SECONDS (asking again gives a fresh one)."""

    id: str
    state: str
    requestedAt: Timestamp
    url: str | None


class SingleExport(TypedDict):
    export: ExportView


class SingleUser(TypedDict):
    user: UserView


class SingleProfile(TypedDict):
    profile: ProfileView


class SingleArticle(TypedDict):
    article: ArticleView


class MultipleArticles(TypedDict):
    articles: list[ArticleSummaryView]
    articlesCount: int


class SingleComment(TypedDict):
    comment: CommentView


class MultipleComments(TypedDict):
    comments: list[CommentView]


class Tags(TypedDict):
    tags: list[str]


class AdminUserView(TypedDict):
    """A user as administrators see it (conduit.services.admin)."""

    username: str
    email: str
    role: Role
    suspended: bool
    createdAt: Timestamp


class SingleAdminUser(TypedDict):
    user: AdminUserView


class AdminUsers(TypedDict):
    users: list[AdminUserView]


def profile_view(author: Author, following: bool) -> ProfileView:
    return {"username": author.username, "bio": author.bio, "image": author.image, "following": following}


def user_view(user: User, token: str) -> UserView:
    return {
        "email": user.email,
        "token": token,
        "username": user.username,
        "bio": user.bio,
        "image": user.image,
        "emailVerified": user.email_verified,
    }


def article_view(article: Article, author: ProfileView, favorited: bool, favorites_count: int) -> ArticleView:
    return {**article_summary_view(article, author, favorited, favorites_count), "body": article.body}


def article_summary_view(
    article: ArticleSummary, author: ProfileView, favorited: bool, favorites_count: int
) -> ArticleSummaryView:
    """`favorites_count` as the viewer sees it (entities.relations), never below zero."""
    return {
        "slug": article.slug,
        "title": article.title,
        "description": article.description,
        "tagList": list(article.tag_list),
        "createdAt": article.created_at,
        "updatedAt": article.updated_at,
        "favorited": favorited,
        "favoritesCount": max(favorites_count, 0),
        "author": author,
    }


def comment_view(comment: Comment, author: ProfileView) -> CommentView:
    return {
        "id": comment.id,
        "createdAt": comment.created_at,
        "updatedAt": comment.updated_at,
        "body": comment.body,
        "author": author,
    }


def deleted_author() -> ProfileView:
    return {"username": "[deleted]", "bio": None, "image": None, "following": False}
