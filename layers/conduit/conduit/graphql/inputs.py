"""The GraphQL input types, and how a mutation's input becomes the REST body's pydantic model.

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
from strawberry import UNSET

from conduit.validation import parse

M = TypeVar("M", bound=BaseModel)


@strawberry.input(description="At most one of them (as GET /api/articles).")
class ArticleFilter:
    tag: str | None = UNSET
    author: str | None = strawberry.field(default=UNSET, description="Articles written by this username.")
    favorited: str | None = strawberry.field(default=UNSET, description="Articles favorited by this username.")


@strawberry.input
class LoginInput:
    email: str | None = UNSET
    password: str | None = UNSET


@strawberry.input
class RegisterInput(LoginInput):
    """LoginInput's fields and a username."""

    username: str | None = UNSET


@strawberry.input(description='Only the fields given change; bio or image "" clears them.')
class UpdateUserInput(RegisterInput):
    """RegisterInput's fields, and the profile's."""

    bio: str | None = UNSET
    image: str | None = UNSET


@strawberry.input
class NewArticleInput:
    title: str | None = UNSET
    description: str | None = UNSET
    body: str | None = UNSET
    tag_list: list[str] | None = UNSET


@strawberry.input(description="Only the fields given change; a new title gives a new slug.")
class UpdateArticleInput(NewArticleInput):
    """NewArticleInput's fields: the models (NewArticle, ArticleChanges) decide which are required."""


@strawberry.input
class NewCommentInput:
    body: str | None = UNSET


def given(value: object) -> dict[str, Any]:
    """The fields the client gave, under their JSON (REST body) names."""
    return {
        camel(field.name): getattr(value, field.name)
        for field in dataclasses.fields(value)  # type: ignore[arg-type]
        if getattr(value, field.name) is not UNSET
    }


def parsed(model: type[M], value: object) -> M:
    return parse(model, given(value))


def camel(name: str) -> str:
    return re.sub(r"_([a-z])", lambda m: m.group(1).upper(), name)
