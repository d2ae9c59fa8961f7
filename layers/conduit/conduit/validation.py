"""Request bodies as pydantic models, and their errors in the RealWorld shape.

Unknown fields are ignored (clients cannot set ids, counters, authors or timestamps through a body).
Messages follow the RealWorld suite: a missing, null or blank required string "can't be blank".
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Annotated, Any, TypeVar

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, ValidationError
from pydantic_core import PydanticCustomError

from conduit import identities
from conduit.authz import Role
from conduit.errors import InvalidInput

MAX_TAGS = 20
MIN_PASSWORD_LENGTH = 8


def _not_blank(value: str) -> str:
    if not value.strip():
        raise PydanticCustomError("blank", "can't be blank")
    return value


def _email(value: str) -> str:
    """Normalised and validated by conduit.identities (NFKC, then the email-validator library)."""
    try:
        return identities.email_address(value)
    except identities.InvalidIdentity:
        raise PydanticCustomError("email", "is invalid") from None


def _username(value: str) -> str:
    try:
        return identities.username(value)
    except identities.InvalidIdentity:
        raise PydanticCustomError(
            "username", "is invalid (use letters and digits, joined by single '_', '-' or '.')"
        ) from None


def _image(value: str | None) -> str | None:
    if value is None or not value.strip():
        return None
    if not value.startswith(("https://", "http://")):
        raise PydanticCustomError("image", "must be an http(s) URL")
    return value


def _long_enough(value: str) -> str:
    if len(value) < MIN_PASSWORD_LENGTH:
        raise PydanticCustomError("password", f"is too short (minimum is {MIN_PASSWORD_LENGTH} characters)")
    return value


def _blank_to_none(value: str | None) -> str | None:
    return value if value and value.strip() else None


def _tags(values: list[str]) -> list[str]:
    """Trimmed, de-duplicated and sorted: the order every response shows."""
    return sorted({tag.strip() for tag in values})


def _documented(**keywords: Any) -> Any:
    """JSON Schema keywords for the API document (python -m apidocs) that the validators next to them
    enforce; they change nothing here. Clients and the schema fuzzing (tests/fuzz) read them to send
    valid values."""
    return Field(json_schema_extra=keywords)


# JSON Schema patterns are ECMA-262 regexes, whose \s lacks characters that Python's (str.isspace,
# str.strip) counts as space: a documented pattern names them too, so it rejects what we reject.
_SPACE = r"\s\x1c-\x1f\x85"
Blank = AfterValidator(_not_blank)
NotBlank = _documented(pattern=f"[^{_SPACE}]")  # at least one non-space character
Email = Annotated[
    str,
    Field(max_length=254),
    Blank,
    AfterValidator(_email),
    _documented(pattern=identities.EMAIL_DOCUMENTED),
]
Username = Annotated[
    str,
    Field(max_length=identities.USERNAME_MAX),
    Blank,
    AfterValidator(_username),
    _documented(pattern=f"^{identities.USERNAME_PATTERN.pattern}$"),
]
Password = Annotated[
    str,
    Field(max_length=128),
    Blank,
    AfterValidator(_long_enough),
    NotBlank,
    _documented(minLength=MIN_PASSWORD_LENGTH),
]
LoginPassword = Annotated[str, Field(max_length=128), Blank, NotBlank]
Bio = Annotated[str | None, Field(max_length=1000), AfterValidator(_blank_to_none)]
Image = Annotated[str | None, Field(max_length=2048), AfterValidator(_image), _documented(pattern="^https?://")]
Title = Annotated[str, Field(max_length=200), Blank, NotBlank]
Description = Annotated[str, Field(max_length=500), Blank, NotBlank]
ArticleBody = Annotated[str, Field(max_length=50_000), Blank, NotBlank]
Tag = Annotated[str, Field(max_length=64), Blank, NotBlank]
TagList = Annotated[list[Tag], Field(max_length=MAX_TAGS), AfterValidator(_tags)]
CommentBody = Annotated[str, Field(max_length=10_000), Blank, NotBlank]


class _Model(BaseModel):
    # defer_build: each model's validator is built when it first validates, not at import (cold start)
    model_config = ConfigDict(extra="ignore", frozen=True, defer_build=True)


class NewUser(_Model):
    username: Username
    email: Email
    password: Password


class Credentials(_Model):
    email: Email
    password: LoginPassword


class UserChanges(_Model):
    email: Email = None  # type: ignore[assignment]  # absent: unchanged; null: rejected
    username: Username = None  # type: ignore[assignment]
    password: Password = None  # type: ignore[assignment]
    bio: Bio = None
    image: Image = None


class NewArticle(_Model):
    title: Title
    description: Description
    body: ArticleBody
    tagList: TagList = []


class ArticleChanges(_Model):
    title: Title = None  # type: ignore[assignment]
    description: Description = None  # type: ignore[assignment]
    body: ArticleBody = None  # type: ignore[assignment]
    tagList: TagList = None  # type: ignore[assignment]


class NewComment(_Model):
    body: CommentBody


class RoleChange(_Model):
    role: Role


class ResetRequest(_Model):
    email: Email


class ResetConfirmation(_Model):
    token: Annotated[str, Field(max_length=128), Blank, NotBlank]
    password: Password


class EmailToken(_Model):
    token: Annotated[str, Field(max_length=128), Blank, NotBlank]


class VerifyEmailBody(_Model):
    user: EmailToken


class CurrentPassword(_Model):
    password: LoginPassword


class DeleteAccountBody(_Model):
    user: CurrentPassword


class PasswordResetBody(_Model):
    user: ResetRequest


class PasswordResetConfirmBody(_Model):
    user: ResetConfirmation


class RegisterBody(_Model):
    user: NewUser


class LoginBody(_Model):
    user: Credentials


class UpdateUserBody(_Model):
    user: UserChanges


class NewArticleBody(_Model):
    article: NewArticle


class UpdateArticleBody(_Model):
    article: ArticleChanges


class NewCommentBody(_Model):
    comment: NewComment


M = TypeVar("M", bound=BaseModel)


def prepare(candidates: Iterable[Any]) -> list[type[BaseModel]]:
    """INIT of a handler that parses a body (conduit.lifecycle): the body models among `candidates`
    (its module's names) get their validators built now rather than by the first request, and
    email-validator is imported when one of them validates an address (and only then)."""
    models: list[type[BaseModel]] = [v for v in candidates if isinstance(v, type) and issubclass(v, _Model)]
    for model in models:
        model.model_rebuild()
        if _validates_email(model):
            identities.email_validator()
    return models


def _validates_email(model: type[BaseModel]) -> bool:
    for field in model.model_fields.values():
        if any(getattr(check, "func", None) is _email for check in field.metadata):
            return True
        nested = field.annotation
        if isinstance(nested, type) and issubclass(nested, BaseModel) and _validates_email(nested):
            return True
    return False


def parse(model: type[M], data: Any) -> M:
    """Validate a decoded JSON body, raising 422 with every failing field."""
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        raise _unprocessable(exc) from None


def _unprocessable(exc: ValidationError) -> InvalidInput:
    error: InvalidInput | None = None
    for item in exc.errors(include_url=False):
        field = _field_name(item["loc"])
        message = _message(item)
        if error is None:
            error = InvalidInput(field, message)
        elif message not in error.errors.get(field, []):
            error.add(field, message)
    return error or InvalidInput("body", "is invalid")


def _field_name(loc: tuple[int | str, ...]) -> str:
    names = [part for part in loc if isinstance(part, str)]
    return names[-1] if names else "body"


# pydantic error type -> our message ({name}: the error's context value, "None" when absent)
MESSAGES = {
    "string_too_short": "is too short (minimum is {min_length} characters)",
    "string_too_long": "is too long (maximum is {max_length} characters)",
    "too_long": "is too long (maximum is {max_length} items)",
    "enum": "must be one of {expected}",
    "string_type": "must be a string",
    "list_type": "must be a list",
    "model_type": "must be an object",
    "dict_type": "must be an object",
    "model_attributes_type": "must be an object",
}


class _ErrorContext(dict[str, Any]):
    """A pydantic error's `ctx`, where a value it lacks formats as "None"."""

    def __missing__(self, key: str) -> None:
        return None


def _message(item: Any) -> str:
    kind = item["type"]
    if kind == "missing" or (kind in {"string_type", "list_type"} and item.get("input") is None):
        return "can't be blank"
    template = MESSAGES.get(kind)
    return str(item["msg"]) if template is None else template.format_map(_ErrorContext(item.get("ctx") or {}))
