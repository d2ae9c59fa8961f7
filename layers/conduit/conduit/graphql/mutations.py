"""The Mutation root: the RealWorld API's writes, the admin actions and the account lifecycle, one field
per REST route.

Each field applies its route's rule (`Context.authorize`; the creates through `create_once`, which also
honours an Idempotency-Key as their REST routes do), validates its input with the REST body's pydantic
model (inputs.py) and calls the same service as the REST handler. The fields that come in POST/DELETE
pairs on one path (follow/unfollow, favorite/unfavorite, suspendUser/reinstateUser) are made by
`toggle` (toggles.py).
"""

from __future__ import annotations

from typing import Any

import strawberry
from strawberry import Info

from conduit.authz import Role
from conduit.graphql.context import context_of
from conduit.graphql.fields import mutation
from conduit.graphql.idempotency import create_once
from conduit.graphql.inputs import (
    LoginInput,
    NewArticleInput,
    NewCommentInput,
    RegisterInput,
    UpdateArticleInput,
    UpdateUserInput,
    given,
    parsed,
)
from conduit.graphql.toggles import toggle
from conduit.graphql.types import Article, Comment, Profile, User, UserAccount
from conduit.security.guard import Caller
from conduit.services import admin as admin_service
from conduit.services import articles as article_service
from conduit.services import comments as comment_service
from conduit.services import profiles as profile_service
from conduit.services import users as user_service
from conduit.validation import ArticleChanges, Credentials, NewArticle, NewComment, NewUser, UserChanges, parse


@strawberry.type
class Mutation:
    @mutation("POST /api/users (honours Idempotency-Key)")
    def register(self, info: Info, user: RegisterInput) -> User | None:

        def story(_: Caller) -> dict[str, Any]:
            return {"user": user_service.register(parsed(NewUser, user))}

        return User.of(create_once(info, "POST /api/users", {"user": given(user)}, story)["user"])

    @mutation("POST /api/users/login")
    def login(self, info: Info, user: LoginInput) -> User | None:

        context = context_of(info)
        context.authorize("POST /api/users/login")
        return User.of(user_service.login(parsed(Credentials, user), context.source_ip))

    @mutation("PUT /api/user")
    def update_user(self, info: Info, user: UpdateUserInput) -> User | None:

        caller = context_of(info).authorize("PUT /api/user")
        return User.of(user_service.update(caller.require_viewer(), caller.token or "", parsed(UserChanges, user)))

    follow, unfollow = toggle(
        "/api/profiles/{username}/follow", Profile, profile_service.follow, profile_service.unfollow
    )

    @mutation("POST /api/articles (honours Idempotency-Key)")
    def create_article(self, info: Info, article: NewArticleInput) -> Article | None:

        def story(caller: Caller) -> dict[str, Any]:
            return {"article": article_service.create(caller.require_viewer(), parsed(NewArticle, article))}

        return Article.of(create_once(info, "POST /api/articles", {"article": given(article)}, story)["article"])

    @mutation("PUT /api/articles/{slug} (the author only)")
    def update_article(self, info: Info, slug: str, article: UpdateArticleInput) -> Article | None:

        caller = context_of(info).authorize("PUT /api/articles/{slug}")
        return Article.of(article_service.update(slug, caller.require_viewer(), parsed(ArticleChanges, article)))

    @mutation("DELETE /api/articles/{slug} (the author, or a moderator); true when deleted")
    def delete_article(self, info: Info, slug: str) -> bool | None:

        caller = context_of(info).authorize("DELETE /api/articles/{slug}")
        article_service.delete(slug, caller.require_viewer(), caller.role)
        return True

    favorite, unfavorite = toggle(
        "/api/articles/{slug}/favorite", Article, article_service.favorite, article_service.unfavorite
    )

    @mutation("POST /api/articles/{slug}/comments (honours Idempotency-Key)")
    def add_comment(self, info: Info, slug: str, comment: NewCommentInput) -> Comment | None:

        def story(caller: Caller) -> dict[str, Any]:
            return {"comment": comment_service.add(slug, caller.require_viewer(), parsed(NewComment, comment).body)}

        arguments = {"slug": slug, "comment": given(comment)}
        return Comment.of(create_once(info, "POST /api/articles/{slug}/comments", arguments, story)["comment"])

    @mutation("DELETE /api/articles/{slug}/comments/{id} (the author, or a moderator)")
    def delete_comment(self, info: Info, slug: str, id: int) -> bool | None:

        caller = context_of(info).authorize("DELETE /api/articles/{slug}/comments/{id}")
        comment_service.delete(slug, comment_service.parse_id(str(id)), caller.require_viewer(), caller.role)
        return True

    @mutation("PUT /api/admin/users/{username}/role (admins; not their own demotion)")
    def set_role(self, info: Info, username: str, role: Role) -> UserAccount | None:

        caller = context_of(info).authorize("PUT /api/admin/users/{username}/role")
        return UserAccount.of(admin_service.set_role(username, role, caller.require_viewer())["user"])

    suspend_user, reinstate_user = toggle(
        "/api/admin/users/{username}/suspend",
        UserAccount,
        lambda username, admin: admin_service.set_suspended(username, True, admin)["user"],
        lambda username, admin: admin_service.set_suspended(username, False, admin)["user"],
        notes=("admins; not themselves", "admins"),
    )

    # --- account lifecycle (issue 16): the same services and rules as their REST routes -------------

    @mutation("POST /api/users/password-reset: true whether or not the email is registered")
    def request_password_reset(self, info: Info, email: str) -> bool | None:
        from conduit.services import password_reset
        from conduit.validation import ResetRequest

        context = context_of(info)
        context.authorize("POST /api/users/password-reset")
        password_reset.request(parse(ResetRequest, {"email": email}).email, context.source_ip)
        return True

    @mutation("POST /api/users/password-reset/confirm: the user, with a fresh token")
    def reset_password(self, info: Info, token: str, password: str) -> User | None:
        from conduit.services import password_reset
        from conduit.validation import ResetConfirmation

        context_of(info).authorize("POST /api/users/password-reset/confirm")
        confirmation = parse(ResetConfirmation, {"token": token, "password": password})
        return User.of(password_reset.confirm(confirmation))

    @mutation("POST /api/users/verify-email: true once the email is verified")
    def verify_email(self, info: Info, token: str) -> bool | None:
        from conduit.services import email_verification
        from conduit.validation import EmailToken

        context_of(info).authorize("POST /api/users/verify-email")
        email_verification.confirm(parse(EmailToken, {"token": token}).token)
        return True

    @mutation("DELETE /api/user: the account stops at once; true when its deletion began")
    def delete_account(self, info: Info, password: str) -> bool | None:
        from conduit.services import accounts
        from conduit.validation import CurrentPassword

        caller = context_of(info).authorize("DELETE /api/user")
        accounts.request_deletion(caller.require_viewer(), parse(CurrentPassword, {"password": password}).password)
        return True
