"""conduit.errors: the declared bodies of the simple error kinds, and `found`."""

from __future__ import annotations

import pytest

from conduit import errors as e


@pytest.mark.parametrize(
    ("error", "body"),
    [
        (e.TokenMissing(), {"token": ["is missing"]}),
        (e.AdminOnly(), {"admin": ["forbidden"]}),
        (e.NotAuthor("comment"), {"comment": ["forbidden"]}),
        (e.NotFound("article"), {"article": ["not found"]}),
        (e.ArticleNotFound(), {"article": ["not found"]}),
        (e.AlreadyTaken("slug", "is in use"), {"slug": ["is in use"]}),
        (e.EmailTaken(), {"email": ["has already been taken"]}),
        (e.IdempotencyKeyReused(), {"Idempotency-Key": ["was already used with a different request"]}),
        (e.StorageUnavailable(), {"server": ["temporarily unavailable, retry later"]}),
    ],
)
def test_an_error_kind_says_its_declared_body(error: e.DomainError, body: dict[str, list[str]]) -> None:
    assert error.errors == body
    ((field, (message,)),) = body.items()
    assert str(error) == f"{field} {message}"


def test_a_kind_that_declares_no_field_needs_one() -> None:
    with pytest.raises(TypeError):
        e.NotFound()


def test_found_passes_a_value_through_and_refuses_none() -> None:
    assert e.found({"id": "a"}, e.ArticleNotFound) == {"id": "a"}
    assert e.found("", e.ProfileNotFound) == ""  # only None is missing
    with pytest.raises(e.ProfileNotFound):
        e.found(None, e.ProfileNotFound)
