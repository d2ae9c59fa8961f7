"""Request-body validation: models, normalisation and the RealWorld error messages."""

from __future__ import annotations

from typing import Any

import pytest
from pydantic import ValidationError

from conduit.errors import InvalidInput
from conduit.http.error_map import status_of
from conduit.validation import (
    MAX_TAGS,
    ArticleChanges,
    LoginBody,
    NewArticleBody,
    NewCommentBody,
    RegisterBody,
    UpdateArticleBody,
    UpdateUserBody,
    parse,
)

BLANK = "can't be blank"
TOO_SHORT_PASSWORD = "is too short (minimum is 8 characters)"
USERNAME_INVALID = "is invalid (use letters and digits, joined by single '_', '-' or '.')"


def user(**overrides: Any) -> dict[str, Any]:
    fields = {"username": "jake", "email": "jake@example.com", "password": "password123"}
    fields.update(overrides)
    return {"user": {k: v for k, v in fields.items() if v is not ...}}


def article(**overrides: Any) -> dict[str, Any]:
    fields = {"title": "How to train your dragon", "description": "Ever wonder how?", "body": "You have to believe"}
    fields.update(overrides)
    return {"article": {k: v for k, v in fields.items() if v is not ...}}


def errors_of(model: type, data: Any) -> dict[str, list[str]]:
    with pytest.raises(InvalidInput) as caught:
        parse(model, data)
    assert status_of(caught.value) == 422
    return caught.value.errors


# --- required strings: missing, null, blank ------------------------------------------------------------


@pytest.mark.parametrize("field", ["username", "email", "password"])
@pytest.mark.parametrize("value", [..., None, "", "   ", "\t\n"], ids=["missing", "null", "empty", "spaces", "ws"])
def test_register_required_fields_cant_be_blank(field, value):
    assert errors_of(RegisterBody, user(**{field: value})) == {field: [BLANK]}


@pytest.mark.parametrize("field", ["title", "description", "body"])
@pytest.mark.parametrize("value", [..., None, "", "  "], ids=["missing", "null", "empty", "spaces"])
def test_article_required_fields_cant_be_blank(field, value):
    assert errors_of(NewArticleBody, article(**{field: value})) == {field: [BLANK]}


@pytest.mark.parametrize("value", [..., None, "", " "], ids=["missing", "null", "empty", "space"])
def test_comment_body_cant_be_blank(value):
    data = {"comment": {} if value is ... else {"body": value}}
    assert errors_of(NewCommentBody, data) == {"body": [BLANK]}


@pytest.mark.parametrize("field", ["email", "password"])
def test_login_fields_cant_be_blank(field):
    data = {"user": {"email": "jake@example.com", "password": "whatever1"}}
    data["user"][field] = ""
    assert errors_of(LoginBody, data) == {field: [BLANK]}


def test_every_failing_field_is_reported_at_once():
    assert errors_of(RegisterBody, {"user": {}}) == {"username": [BLANK], "email": [BLANK], "password": [BLANK]}


def test_missing_envelope_cant_be_blank():
    assert errors_of(RegisterBody, {}) == {"user": [BLANK]}
    assert errors_of(NewArticleBody, {"user": {}}) == {"article": [BLANK]}


@pytest.mark.parametrize("data", [[], "text", 3, None, True])
def test_body_that_is_not_an_object(data):
    assert errors_of(RegisterBody, data) == {"body": ["must be an object"]}


@pytest.mark.parametrize("envelope", [[], "jake", 1])
def test_envelope_that_is_not_an_object(envelope):
    assert errors_of(RegisterBody, {"user": envelope}) == {"user": ["must be an object"]}


# --- types and lengths ---------------------------------------------------------------------------------


@pytest.mark.parametrize("value", [5, 1.5, True, ["jake"], {"name": "jake"}])
def test_wrong_type_must_be_a_string(value):
    assert errors_of(RegisterBody, user(username=value)) == {"username": ["must be a string"]}


@pytest.mark.parametrize("field", ["title", "description", "body"])
def test_article_wrong_type_must_be_a_string(field):
    assert errors_of(NewArticleBody, article(**{field: 42})) == {field: ["must be a string"]}


@pytest.mark.parametrize(
    ("model", "data", "field", "maximum"),
    [
        (RegisterBody, user(username="a" * 33), "username", 32),
        (RegisterBody, user(email="a" * 250 + "@b.co"), "email", 254),
        (RegisterBody, user(password="p" * 129), "password", 128),
        (NewArticleBody, article(title="t" * 201), "title", 200),
        (NewArticleBody, article(description="d" * 501), "description", 500),
        (NewArticleBody, article(body="b" * 50_001), "body", 50_000),
        (NewArticleBody, article(tagList=["t" * 65]), "tagList", 64),
        (NewCommentBody, {"comment": {"body": "c" * 10_001}}, "body", 10_000),
        (UpdateUserBody, {"user": {"bio": "b" * 1001}}, "bio", 1000),
        (UpdateUserBody, {"user": {"image": "https://x.example/" + "i" * 2048}}, "image", 2048),
    ],
)
def test_too_long(model, data, field, maximum):
    assert errors_of(model, data) == {field: [f"is too long (maximum is {maximum} characters)"]}


@pytest.mark.parametrize(
    ("model", "data"),
    [
        (RegisterBody, user(username="a" * 32)),
        (RegisterBody, user(password="p" * 128)),
        (NewArticleBody, article(title="t" * 200, description="d" * 500)),
        (NewArticleBody, article(tagList=["t" * 64])),
        (NewCommentBody, {"comment": {"body": "c" * 10_000}}),
    ],
)
def test_at_the_maximum_length_is_accepted(model, data):
    parse(model, data)


# --- password --------------------------------------------------------------------------------------------


@pytest.mark.parametrize("password", ["a", "1234567", "short  "])
def test_password_shorter_than_8_is_too_short(password):
    assert errors_of(RegisterBody, user(password=password)) == {"password": [TOO_SHORT_PASSWORD]}


@pytest.mark.parametrize("length", [8, 64])
def test_password_of_8_and_64_characters_is_accepted(length):
    password = "p" * length
    assert parse(RegisterBody, user(password=password)).user.password == password


def test_password_update_is_also_checked_for_length():
    assert errors_of(UpdateUserBody, {"user": {"password": "1234567"}}) == {"password": [TOO_SHORT_PASSWORD]}
    assert parse(UpdateUserBody, {"user": {"password": "12345678"}}).user.password == "12345678"


def test_login_does_not_apply_the_length_rule():
    # Old accounts may predate the rule; a short password simply fails verification later.
    body = parse(LoginBody, {"user": {"email": "jake@example.com", "password": "short"}})
    assert body.user.password == "short"


# --- email and username --------------------------------------------------------------------------------


@pytest.mark.parametrize("email", ["jake", "jake@", "@example.com", "jake@example", "ja ke@example.com", "a@b@c.com"])
def test_malformed_email_is_invalid(email):
    assert errors_of(RegisterBody, user(email=email)) == {"email": ["is invalid"]}


def test_email_is_trimmed():
    assert parse(RegisterBody, user(email="  jake@example.com ")).user.email == "jake@example.com"


def test_login_email_is_validated_too():
    assert errors_of(LoginBody, {"user": {"email": "nope", "password": "password1"}}) == {"email": ["is invalid"]}


@pytest.mark.parametrize("username", ["jake", "Jake_99", "j.a-k_e", "0", "A" * 32, "cmt_1764625539123ab3x"])
def test_username_allowed_characters(username):
    assert parse(RegisterBody, user(username=username)).user.username == username


# issue 13, row 8: dot-only names were accepted (profile URLs /api/profiles/.. ), and so were
# separators at the ends or doubled; letters of other scripts stay refused (look-alikes).
@pytest.mark.parametrize(
    "username",
    [".", "..", "...", "-", "_", ".jake", "jake.", "ja..ke", "ja._ke", "_jake", "jake-", "vict\u0456m", "\u0430da"],
)
def test_dot_only_separator_tricks_and_other_scripts_are_invalid(username):
    assert errors_of(RegisterBody, user(username=username)) == {"username": [USERNAME_INVALID]}


def test_full_width_usernames_are_their_ascii_letters():
    """NFKC: full-width letters are the plain ones, so they meet the same (case-insensitive) marker."""
    fullwidth = "".join(chr(ord(c) + 0xFEE0) for c in "victim")
    assert parse(RegisterBody, user(username=fullwidth)).user.username == "victim"


def test_usernames_are_measured_after_normalisation():
    assert errors_of(RegisterBody, user(username="\u3392" * 16)) == {"username": [USERNAME_INVALID]}  # MHz x 16


@pytest.mark.parametrize(
    ("given", "stored"),
    [
        ("".join(chr(ord(c) + 0xFEE0) for c in "victim") + "@example.com", "victim@example.com"),  # full-width
        ("Victim@EXAMPLE.com", "Victim@example.com"),  # domains are case-insensitive; the marker lowercases all
        ("victim@xn--exmple-cua.com", "victim@ex\u00e4mple.com"),  # one IDN, two spellings
        ("  victim@example.com ", "victim@example.com"),
    ],
)
def test_emails_are_normalised_to_one_form(given, stored):
    assert parse(RegisterBody, user(email=given)).user.email == stored
    assert parse(LoginBody, {"user": {"email": given, "password": "password1"}}).user.email == stored


@pytest.mark.parametrize(
    "email",
    ["victim@example.com.", "victim.@example.com", "vic..tim@example.com", "victim@localhost", "victim@example.test"],
)
def test_lookalike_and_special_use_emails_are_invalid(email):
    assert errors_of(RegisterBody, user(email=email)) == {"email": ["is invalid"]}


@pytest.mark.parametrize(
    "username", ["ja ke", "jake!", "jake@example", "jäke", "ja/ke", " jake", "<script>", "jake\tx"]
)
def test_username_other_characters_are_invalid(username):
    assert errors_of(RegisterBody, user(username=username)) == {"username": [USERNAME_INVALID]}


# --- image and bio ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("image", ["https://cdn.example.com/a.png", "http://example.com/a.jpg"])
def test_image_http_or_https_is_accepted(image):
    assert parse(UpdateUserBody, {"user": {"image": image}}).user.image == image


@pytest.mark.parametrize("image", ["ftp://example.com/a.png", "javascript:alert(1)", "example.com/a.png", "/a.png"])
def test_image_other_schemes_are_rejected(image):
    assert errors_of(UpdateUserBody, {"user": {"image": image}}) == {"image": ["must be an http(s) URL"]}


@pytest.mark.parametrize("value", ["", "   ", None])
def test_blank_or_null_image_and_bio_become_none(value):
    changes = parse(UpdateUserBody, {"user": {"image": value, "bio": value}}).user
    assert changes.image is None
    assert changes.bio is None
    assert {"image", "bio"} <= changes.model_fields_set


def test_bio_text_is_kept():
    assert parse(UpdateUserBody, {"user": {"bio": "I like turtles"}}).user.bio == "I like turtles"


def test_image_wrong_type():
    assert errors_of(UpdateUserBody, {"user": {"image": 12}}) == {"image": ["must be a string"]}


# --- user updates -------------------------------------------------------------------------------------------


def test_user_update_absent_fields_are_not_set():
    changes = parse(UpdateUserBody, {"user": {"bio": "hi"}}).user
    assert changes.model_fields_set == {"bio"}
    assert changes.email is None


@pytest.mark.parametrize("field", ["email", "username", "password"])
def test_user_update_null_required_field_is_rejected(field):
    assert errors_of(UpdateUserBody, {"user": {field: None}}) == {field: [BLANK]}


@pytest.mark.parametrize("field", ["email", "username", "password"])
def test_user_update_blank_required_field_is_rejected(field):
    assert errors_of(UpdateUserBody, {"user": {field: "  "}}) == {field: [BLANK]}


# --- tags ------------------------------------------------------------------------------------------------


def test_tag_list_is_trimmed_deduplicated_and_sorted():
    body = parse(NewArticleBody, article(tagList=[" zeta", "alpha ", "zeta", "mu", " alpha "]))
    assert body.article.tagList == ["alpha", "mu", "zeta"]


def test_tag_list_defaults_to_empty_on_create():
    assert parse(NewArticleBody, article()).article.tagList == []


def test_tag_list_of_twenty_is_accepted():
    tags = [f"tag{i:02d}" for i in range(MAX_TAGS)]
    assert parse(NewArticleBody, article(tagList=tags)).article.tagList == tags


def test_more_than_twenty_tags_are_rejected():
    tags = [f"tag{i:02d}" for i in range(MAX_TAGS + 1)]
    assert errors_of(NewArticleBody, article(tagList=tags)) == {"tagList": ["is too long (maximum is 20 items)"]}


@pytest.mark.parametrize("tags", ["dragons", {"a": 1}, 3])
def test_tag_list_must_be_a_list(tags):
    assert errors_of(NewArticleBody, article(tagList=tags)) == {"tagList": ["must be a list"]}


def test_tag_list_items_must_be_non_blank_strings():
    assert errors_of(NewArticleBody, article(tagList=[1, " "])) == {"tagList": ["must be a string", BLANK]}


def test_tag_list_null_on_update_is_rejected():
    assert errors_of(UpdateArticleBody, {"article": {"tagList": None}}) == {"tagList": [BLANK]}


def test_tag_list_absent_on_update_is_allowed():
    changes = parse(UpdateArticleBody, {"article": {"title": "New title"}}).article
    assert changes.model_fields_set == {"title"}
    assert changes.tagList is None


def test_tag_list_on_update_is_normalised():
    changes = parse(UpdateArticleBody, {"article": {"tagList": ["b ", " a", "b"]}}).article
    assert changes.tagList == ["a", "b"]


def test_tag_list_empty_on_update_clears_tags():
    changes = parse(UpdateArticleBody, {"article": {"tagList": []}}).article
    assert changes.tagList == []
    assert "tagList" in changes.model_fields_set


@pytest.mark.parametrize("field", ["title", "description", "body"])
def test_article_update_null_or_blank_is_rejected(field):
    assert errors_of(UpdateArticleBody, {"article": {field: None}}) == {field: [BLANK]}
    assert errors_of(UpdateArticleBody, {"article": {field: ""}}) == {field: [BLANK]}


def test_empty_article_update_changes_nothing():
    assert parse(UpdateArticleBody, {"article": {}}).article.model_fields_set == set()


# --- unknown fields --------------------------------------------------------------------------------------


def test_unknown_user_fields_are_ignored():
    data = user(role="admin", id="u1", token="forged", following=True, createdAt="2020-01-01T00:00:00.000Z")
    dumped = parse(RegisterBody, data).model_dump()
    assert dumped == {"user": {"username": "jake", "email": "jake@example.com", "password": "password123"}}
    for name in ("role", "id", "token", "following", "createdAt"):
        assert name not in dumped["user"]


def test_unknown_article_fields_are_ignored():
    data = article(
        favoritesCount=1000,
        favorited=True,
        author={"username": "someone-else"},
        slug="chosen-slug",
        createdAt="2000-01-01T00:00:00.000Z",
        id="a1",
    )
    dumped = parse(NewArticleBody, data).model_dump()["article"]
    assert set(dumped) == {"title", "description", "body", "tagList"}
    for name in ("favoritesCount", "favorited", "author", "slug", "createdAt", "id"):
        assert name not in dumped


def test_unknown_fields_on_update_are_ignored():
    changes = parse(UpdateArticleBody, {"article": {"favoritesCount": 9, "author": "x", "body": "b"}}).article
    assert changes.model_fields_set == {"body"}
    assert "favoritesCount" not in changes.model_dump()
    assert "author" not in changes.model_dump()
    assert set(ArticleChanges.model_fields) == {"title", "description", "body", "tagList"}


def test_unknown_top_level_keys_are_ignored():
    body = parse(NewCommentBody, {"comment": {"body": "hi", "author": "x"}, "extra": 1})
    assert body.model_dump() == {"comment": {"body": "hi"}}


def test_models_are_frozen():
    body = parse(NewCommentBody, {"comment": {"body": "hi"}})
    with pytest.raises(ValidationError):
        body.comment.body = "changed"  # type: ignore[misc]
    assert body.comment.body == "hi"


def test_username_with_trailing_newline_is_invalid():
    with pytest.raises(InvalidInput) as caught:
        parse(RegisterBody, {"user": {"username": "jake\n", "email": "jake@example.com", "password": "password123"}})
    assert caught.value.errors == {"username": [USERNAME_INVALID]}
