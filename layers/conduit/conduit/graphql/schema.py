"""The GraphQL schema: the RealWorld API's reads and writes as queries and mutations.

Every resolver is a thin call into conduit.services, as the REST handlers are: validation goes
through the same pydantic models (so the same messages), authorization through the same rule
table and services (so the same 401/403/404), and the views are the REST response objects.
Each root field names the REST route whose rule it applies (`Context.authorize`; the creates
through `create_once`, which also honours an Idempotency-Key as their REST routes do). The admin
fields (`users`, `setRole`, `suspendUser`, `reinstateUser`) call conduit.services.admin, behind
the admin routes' rules.

Input fields are nullable on purpose: whether a field is required, and the message when it is
missing or blank ("can't be blank"), is the pydantic models' call, exactly as over REST. A field
left out is "not given" (UpdateUserInput, UpdateArticleInput: unchanged); an explicit null is a
value, which the models refuse where REST refuses it.
"""

from __future__ import annotations

import dataclasses
import re
from typing import Any, TypeVar

import strawberry
from pydantic import BaseModel
from strawberry import UNSET, Info

from conduit.authz import Role
from conduit.errors import NotFound, Unprocessable
from conduit.graphql.context import Caller, Context
from conduit.graphql.errors import log_unexpected
from conduit.graphql.idempotency import create_once
from conduit.graphql.paging import COMMENT_PREFIX, comment_page_for, encode_cursor, page_for, renamed
from conduit.services import admin as admin_service
from conduit.services import articles as article_service
from conduit.services import comments as comment_service
from conduit.services import profiles as profile_service
from conduit.services import users as user_service
from conduit.services.paging import ARTICLES_PAGE_MAX, Page
from conduit.services.views import user_view
from conduit.validation import ArticleChanges, Credentials, NewArticle, NewComment, NewUser, UserChanges, parse

M = TypeVar("M", bound=BaseModel)
COMMENT_ID_DIGITS = 12  # as DELETE /api/articles/{slug}/comments/{id}


def _context(info: Info) -> Context:
    return info.context


# ---------------------------------------------------------------- types


@strawberry.type(description="A user's public profile, as the caller sees it.")
class Profile:
    username: str
    bio: str | None
    image: str | None
    following: bool = strawberry.field(description="Whether the caller follows this user.")

    @classmethod
    def of(cls, view: Any) -> Profile:
        return cls(username=view["username"], bio=view["bio"], image=view["image"], following=view["following"])

    @strawberry.field(description="The user's articles, newest first (GET /api/articles?author=).")
    def articles(self, info: Info, first: int | None = None, after: str | None = None) -> ArticleConnection | None:

        caller = _context(info).authorize("GET /api/articles")
        page = page_for(first, after, ARTICLES_PAGE_MAX)
        return connection(article_service.list_articles({"author": self.username}, page, caller.viewer), page)


@strawberry.type(description="The authenticated user, with a fresh copy of their token.")
class User:
    email: str
    token: str
    username: str
    bio: str | None
    image: str | None
    email_verified: bool = strawberry.field(description="Whether the emailed verification link was followed.")

    @classmethod
    def of(cls, view: Any) -> User:
        fields = {field: view[field] for field in ("email", "token", "username", "bio", "image")}
        return cls(**fields, email_verified=bool(view.get("emailVerified")))


@strawberry.type
class Comment:
    id: int
    created_at: str
    updated_at: str
    body: str
    author: Profile

    @classmethod
    def of(cls, view: Any) -> Comment:
        return cls(
            id=view["id"],
            created_at=view["createdAt"],
            updated_at=view["updatedAt"],
            body=view["body"],
            author=Profile.of(view["author"]),
        )


@strawberry.type
class Article:
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
    def of(cls, view: Any) -> Article:
        return cls(
            slug=view["slug"],
            title=view["title"],
            description=view["description"],
            tag_list=list(view["tagList"]),
            created_at=view["createdAt"],
            updated_at=view["updatedAt"],
            favorited=view["favorited"],
            favorites_count=view["favoritesCount"],
            author=Profile.of(view["author"]),
            loaded_body=view.get("body"),
        )

    @strawberry.field(description="In lists, the bodies of the whole page are read in one batch.")
    async def body(self, info: Info) -> str:
        if self.loaded_body is not None:
            return self.loaded_body
        return await _context(info).loaders.bodies.load(self.slug)

    @strawberry.field(
        description="A page of the article's comments, oldest first (GET /api/articles/{slug}/comments): `first` "
        "default 20, at most 25; `after` a comment's cursor. Batched over a page of articles."
    )
    async def comments(
        self, info: Info, first: int | None = None, after: str | None = None
    ) -> CommentConnection | None:
        context = _context(info)
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


@strawberry.type
class ArticleEdge:
    cursor: str = strawberry.field(description="Opaque; pass it as `after` to get the articles that follow.")
    node: Article


@strawberry.type(description="A page of articles (Relay connection), newest first.")
class ArticleConnection:
    edges: list[ArticleEdge]
    page_info: PageInfo
    total_count: int = strawberry.field(description="Articles in the whole list (REST's articlesCount).")


def connection(listing: Any, page: Page) -> ArticleConnection:
    views, total = listing["articles"], listing["articlesCount"]
    edges = [ArticleEdge(cursor=encode_cursor(page.offset + i), node=Article.of(v)) for i, v in enumerate(views)]
    return ArticleConnection(
        edges=edges,
        page_info=PageInfo(
            has_next_page=page.offset + len(edges) < total,
            has_previous_page=page.offset > 0,
            start_cursor=edges[0].cursor if edges else None,
            end_cursor=edges[-1].cursor if edges else None,
        ),
        total_count=total,
    )


@strawberry.type
class CommentEdge:
    cursor: str = strawberry.field(description="Opaque; pass it as `after` to get the comments that follow.")
    node: Comment


@strawberry.type(
    description="A page of an article's comments (Relay connection), oldest first. Cursors are keys: a page "
    "after a cursor reads only itself, however deep. No totalCount (counting would read every comment)."
)
class CommentConnection:
    edges: list[CommentEdge]
    page_info: PageInfo


def comment_connection(views: list[Any], limit: int, after_a_cursor: bool) -> CommentConnection:
    """The first `limit` of `views` (read one further, to know whether another page follows)."""
    edges = [CommentEdge(cursor=encode_cursor(v["id"], COMMENT_PREFIX), node=Comment.of(v)) for v in views[:limit]]
    return CommentConnection(
        edges=edges,
        page_info=PageInfo(
            has_next_page=len(views) > limit,
            has_previous_page=after_a_cursor,
            start_cursor=edges[0].cursor if edges else None,
            end_cursor=edges[-1].cursor if edges else None,
        ),
    )


strawberry.enum(Role, description="A user's role (conduit.authz): what they may do beyond their own content.")


@strawberry.type(description="A user's account as admins see it (GET /api/admin/users).")
class UserAccount:
    username: str
    email: str
    role: Role
    suspended: bool = strawberry.field(description="Suspended users cannot log in and their tokens stop working.")
    created_at: str

    @classmethod
    def of(cls, view: Any) -> UserAccount:
        return cls(
            username=view["username"],
            email=view["email"],
            role=Role(view["role"]),
            suspended=view["suspended"],
            created_at=view["createdAt"],
        )


@strawberry.type
class UserEdge:
    cursor: str = strawberry.field(description="Opaque; pass it as `after` to get the users that follow.")
    node: UserAccount


@strawberry.type(
    description="A page of users (Relay connection), newest first. No totalCount: counting every user "
    "would read the whole user index (GET /api/admin/users has no count either)."
)
class UserConnection:
    edges: list[UserEdge]
    page_info: PageInfo


def user_connection(page: Page) -> UserConnection:
    """A page of admin.list_users, read one user further to know whether another page follows."""
    views = admin_service.list_users(Page(limit=page.limit + 1, offset=page.offset))["users"]
    edges = [UserEdge(cursor=encode_cursor(page.offset + i), node=UserAccount.of(v)) for i, v in enumerate(views)]
    shown = edges[: page.limit]
    return UserConnection(
        edges=shown,
        page_info=PageInfo(
            has_next_page=len(edges) > page.limit,
            has_previous_page=page.offset > 0,
            start_cursor=shown[0].cursor if shown else None,
            end_cursor=shown[-1].cursor if shown else None,
        ),
    )


# ---------------------------------------------------------------- inputs


@strawberry.input(description="At most one of them (as GET /api/articles).")
class ArticleFilter:
    tag: str | None = UNSET
    author: str | None = strawberry.field(default=UNSET, description="Articles written by this username.")
    favorited: str | None = strawberry.field(default=UNSET, description="Articles favorited by this username.")


@strawberry.input
class RegisterInput:
    username: str | None = UNSET
    email: str | None = UNSET
    password: str | None = UNSET


@strawberry.input
class LoginInput:
    email: str | None = UNSET
    password: str | None = UNSET


@strawberry.input(description='Only the fields given change; bio or image "" clears them.')
class UpdateUserInput:
    email: str | None = UNSET
    username: str | None = UNSET
    password: str | None = UNSET
    bio: str | None = UNSET
    image: str | None = UNSET


@strawberry.input
class NewArticleInput:
    title: str | None = UNSET
    description: str | None = UNSET
    body: str | None = UNSET
    tag_list: list[str] | None = UNSET


@strawberry.input(description="Only the fields given change; a new title gives a new slug.")
class UpdateArticleInput:
    title: str | None = UNSET
    description: str | None = UNSET
    body: str | None = UNSET
    tag_list: list[str] | None = UNSET


@strawberry.input
class NewCommentInput:
    body: str | None = UNSET


def given(value: object) -> dict[str, Any]:
    """The fields the client gave, under their JSON (REST body) names."""
    return {
        _camel(field.name): getattr(value, field.name)
        for field in dataclasses.fields(value)  # type: ignore[arg-type]
        if getattr(value, field.name) is not UNSET
    }


def parsed(model: type[M], value: object) -> M:
    return parse(model, given(value))


def _camel(name: str) -> str:
    return re.sub(r"_([a-z])", lambda m: m.group(1).upper(), name)


# ---------------------------------------------------------------- operations


@strawberry.type
class Query:
    @strawberry.field(description="The authenticated user (GET /api/user).")
    def me(self, info: Info) -> User | None:

        caller = _context(info).authorize("GET /api/user")
        return User.of(user_view(user_service.current(caller.require_viewer()), caller.token or ""))

    @strawberry.field(description="GET /api/profiles/{username}")
    def profile(self, info: Info, username: str) -> Profile | None:

        caller = _context(info).authorize("GET /api/profiles/{username}")
        return Profile.of(profile_service.get(username, caller.viewer))

    @strawberry.field(description="GET /api/articles/{slug}")
    def article(self, info: Info, slug: str) -> Article | None:

        caller = _context(info).authorize("GET /api/articles/{slug}")
        return Article.of(article_service.get(slug, caller.viewer))

    @strawberry.field(description="Newest first, optionally filtered (GET /api/articles).")
    def articles(
        self, info: Info, filter: ArticleFilter | None = None, first: int | None = None, after: str | None = None
    ) -> ArticleConnection | None:

        caller = _context(info).authorize("GET /api/articles")
        page = page_for(first, after, ARTICLES_PAGE_MAX)
        chosen = {name: value for name, value in given(filter).items() if value is not None} if filter else {}
        try:
            return connection(article_service.list_articles(chosen, page, caller.viewer), page)
        except Unprocessable as error:
            raise renamed(error) from None

    @strawberry.field(description="Articles of the users the caller follows, newest first (GET /api/articles/feed).")
    def feed(self, info: Info, first: int | None = None, after: str | None = None) -> ArticleConnection | None:

        caller = _context(info).authorize("GET /api/articles/feed")
        page = page_for(first, after, ARTICLES_PAGE_MAX)
        return connection(article_service.feed(caller.require_viewer(), page), page)

    @strawberry.field(description="The most used tags, most used first (GET /api/tags).")
    def tags(self, info: Info) -> list[str] | None:

        context = _context(info)
        context.authorize("GET /api/tags")
        return context.popular_tags()

    @strawberry.field(description="Every user with role and suspension, newest first (GET /api/admin/users; admins).")
    def users(self, info: Info, first: int | None = None, after: str | None = None) -> UserConnection | None:

        _context(info).authorize("GET /api/admin/users")
        return user_connection(page_for(first, after))


@strawberry.type
class Mutation:
    @strawberry.mutation(description="POST /api/users (honours Idempotency-Key)")
    def register(self, info: Info, user: RegisterInput) -> User | None:

        def story(_: Caller) -> dict[str, Any]:
            return {"user": user_service.register(parsed(NewUser, user))}

        return User.of(create_once(info, "POST /api/users", {"user": given(user)}, story)["user"])

    @strawberry.mutation(description="POST /api/users/login")
    def login(self, info: Info, user: LoginInput) -> User | None:

        context = _context(info)
        context.authorize("POST /api/users/login")
        return User.of(user_service.login(parsed(Credentials, user), context.source_ip))

    @strawberry.mutation(description="PUT /api/user")
    def update_user(self, info: Info, user: UpdateUserInput) -> User | None:

        caller = _context(info).authorize("PUT /api/user")
        return User.of(user_service.update(caller.require_viewer(), caller.token or "", parsed(UserChanges, user)))

    @strawberry.mutation(description="POST /api/profiles/{username}/follow")
    def follow(self, info: Info, username: str) -> Profile | None:

        caller = _context(info).authorize("POST /api/profiles/{username}/follow")
        return Profile.of(profile_service.follow(username, caller.require_viewer()))

    @strawberry.mutation(description="DELETE /api/profiles/{username}/follow")
    def unfollow(self, info: Info, username: str) -> Profile | None:

        caller = _context(info).authorize("DELETE /api/profiles/{username}/follow")
        return Profile.of(profile_service.unfollow(username, caller.require_viewer()))

    @strawberry.mutation(description="POST /api/articles (honours Idempotency-Key)")
    def create_article(self, info: Info, article: NewArticleInput) -> Article | None:

        def story(caller: Caller) -> dict[str, Any]:
            return {"article": article_service.create(caller.require_viewer(), parsed(NewArticle, article))}

        return Article.of(create_once(info, "POST /api/articles", {"article": given(article)}, story)["article"])

    @strawberry.mutation(description="PUT /api/articles/{slug} (the author only)")
    def update_article(self, info: Info, slug: str, article: UpdateArticleInput) -> Article | None:

        caller = _context(info).authorize("PUT /api/articles/{slug}")
        return Article.of(article_service.update(slug, caller.require_viewer(), parsed(ArticleChanges, article)))

    @strawberry.mutation(description="DELETE /api/articles/{slug} (the author, or a moderator); true when deleted")
    def delete_article(self, info: Info, slug: str) -> bool | None:

        caller = _context(info).authorize("DELETE /api/articles/{slug}")
        article_service.delete(slug, caller.require_viewer(), caller.role)
        return True

    @strawberry.mutation(description="POST /api/articles/{slug}/favorite")
    def favorite(self, info: Info, slug: str) -> Article | None:

        caller = _context(info).authorize("POST /api/articles/{slug}/favorite")
        return Article.of(article_service.favorite(slug, caller.require_viewer()))

    @strawberry.mutation(description="DELETE /api/articles/{slug}/favorite")
    def unfavorite(self, info: Info, slug: str) -> Article | None:

        caller = _context(info).authorize("DELETE /api/articles/{slug}/favorite")
        return Article.of(article_service.unfavorite(slug, caller.require_viewer()))

    @strawberry.mutation(description="POST /api/articles/{slug}/comments (honours Idempotency-Key)")
    def add_comment(self, info: Info, slug: str, comment: NewCommentInput) -> Comment | None:

        def story(caller: Caller) -> dict[str, Any]:
            return {"comment": comment_service.add(slug, caller.require_viewer(), parsed(NewComment, comment).body)}

        arguments = {"slug": slug, "comment": given(comment)}
        return Comment.of(create_once(info, "POST /api/articles/{slug}/comments", arguments, story)["comment"])

    @strawberry.mutation(description="DELETE /api/articles/{slug}/comments/{id} (the author, or a moderator)")
    def delete_comment(self, info: Info, slug: str, id: int) -> bool | None:

        caller = _context(info).authorize("DELETE /api/articles/{slug}/comments/{id}")
        if id < 0 or len(str(id)) > COMMENT_ID_DIGITS:
            raise NotFound("comment")
        comment_service.delete(slug, id, caller.require_viewer(), caller.role)
        return True

    @strawberry.mutation(description="PUT /api/admin/users/{username}/role (admins; not their own demotion)")
    def set_role(self, info: Info, username: str, role: Role) -> UserAccount | None:

        caller = _context(info).authorize("PUT /api/admin/users/{username}/role")
        return UserAccount.of(admin_service.set_role(username, role, caller.require_viewer())["user"])

    @strawberry.mutation(description="POST /api/admin/users/{username}/suspend (admins; not themselves)")
    def suspend_user(self, info: Info, username: str) -> UserAccount | None:

        caller = _context(info).authorize("POST /api/admin/users/{username}/suspend")
        return UserAccount.of(admin_service.set_suspended(username, True, caller.require_viewer())["user"])

    @strawberry.mutation(description="DELETE /api/admin/users/{username}/suspend (admins)")
    def reinstate_user(self, info: Info, username: str) -> UserAccount | None:

        caller = _context(info).authorize("DELETE /api/admin/users/{username}/suspend")
        return UserAccount.of(admin_service.set_suspended(username, False, caller.require_viewer())["user"])

    # --- account lifecycle (issue 16): the same services and rules as their REST routes -------------

    @strawberry.mutation(description="POST /api/users/password-reset: true whether or not the email is registered")
    def request_password_reset(self, info: Info, email: str) -> bool | None:
        from conduit.services import password_reset
        from conduit.validation import ResetRequest

        context = _context(info)
        context.authorize("POST /api/users/password-reset")
        password_reset.request(parse(ResetRequest, {"email": email}).email, context.source_ip)
        return True

    @strawberry.mutation(description="POST /api/users/password-reset/confirm: the user, with a fresh token")
    def reset_password(self, info: Info, token: str, password: str) -> User | None:
        from conduit.services import password_reset
        from conduit.validation import ResetConfirmation

        _context(info).authorize("POST /api/users/password-reset/confirm")
        confirmation = parse(ResetConfirmation, {"token": token, "password": password})
        return User.of(password_reset.confirm(confirmation))

    @strawberry.mutation(description="POST /api/users/verify-email: true once the email is verified")
    def verify_email(self, info: Info, token: str) -> bool | None:
        from conduit.services import email_verification
        from conduit.validation import EmailToken

        _context(info).authorize("POST /api/users/verify-email")
        email_verification.confirm(parse(EmailToken, {"token": token}).token)
        return True

    @strawberry.mutation(description="DELETE /api/user: the account stops at once; true when its deletion began")
    def delete_account(self, info: Info, password: str) -> bool | None:
        from conduit.services import accounts
        from conduit.validation import CurrentPassword

        caller = _context(info).authorize("DELETE /api/user")
        accounts.request_deletion(caller.require_viewer(), parse(CurrentPassword, {"password": password}).password)
        return True


class ConduitSchema(strawberry.Schema):
    def process_errors(self, errors: list[Any], execution_context: Any = None) -> None:
        log_unexpected(errors)


def build(extensions: list[Any]) -> ConduitSchema:
    return ConduitSchema(query=Query, mutation=Mutation, extensions=extensions)
