"""Response shapes of the RealWorld API, built from stored items."""

from __future__ import annotations

from typing import Any, TypedDict

from conduit.store.client import Item


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


def profile_view(user: Item, following: bool) -> ProfileView:
    return {
        "username": user["username"],
        "bio": user.get("bio"),
        "image": user.get("image"),
        "following": following,
    }


def user_view(user: Item, token: str) -> UserView:
    return {
        "email": user["email"],
        "token": token,
        "username": user["username"],
        "bio": user.get("bio"),
        "image": user.get("image"),
    }


def article_view(article: Item, author: ProfileView, favorited: bool, with_body: bool) -> dict[str, Any]:
    view: dict[str, Any] = {
        "slug": article["slug"],
        "title": article["title"],
        "description": article["description"],
    }
    if with_body:
        view["body"] = article["body"]
    view.update(
        tagList=list(article.get("tagList") or []),
        createdAt=article["createdAt"],
        updatedAt=article["updatedAt"],
        favorited=favorited,
        favoritesCount=max(int(article.get("favoritesCount", 0)), 0),
        author=author,
    )
    return view


def comment_view(comment: Item, author: ProfileView) -> dict[str, Any]:
    return {
        "id": int(comment["id"]),
        "createdAt": comment["createdAt"],
        "updatedAt": comment["updatedAt"],
        "body": comment["body"],
        "author": author,
    }


def deleted_author() -> ProfileView:
    return {"username": "[deleted]", "bio": None, "image": None, "following": False}
