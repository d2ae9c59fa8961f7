"""Every list answer fits a Lambda response in BYTES, whatever its items hold (issue 13, row 2).

The worst item of each list is rebuilt here from the validation limits (the request models' JSON
Schema: maxLength, maxItems), with every character the costliest one for the Lambda response payload
(a character outside the BMP: 4 bytes in the body, a 12-byte escape in the runtime's envelope), and
a full page of them must stay within services.paging.RESPONSE_BYTES_BUDGET (4,000,000 bytes: the
limit is 6 MB). Raising a field's limit without lowering the page cap fails here.
"""

from __future__ import annotations

import json
from typing import Any

from conduit.entities.articles import ArticleSummary
from conduit.entities.comments import Comment
from conduit.entities.profiles import Author
from conduit.http.responses import json_response
from conduit.services import paging, views
from conduit.services.slugs import MAX_SLUG_BASE
from conduit.validation import NewArticle, NewComment, NewUser, UserChanges

COSTLY = "\U0001f600"  # 12 bytes in the payload once the runtime escapes it
LAMBDA_LIMIT = 6 * 1024 * 1024


def _properties(model: Any) -> dict[str, Any]:
    return model.model_json_schema()["properties"]


def _max(schema: dict[str, Any], keyword: str = "maxLength") -> int:
    for option in [schema, *schema.get("anyOf", [])]:
        if keyword in option:
            return int(option[keyword])
    raise AssertionError(f"no {keyword} in {schema}")


def _text(length: int) -> str:
    return COSTLY * length


def payload_bytes(payload: Any) -> int:
    """What the Lambda runtime sends for this answer: its JSON envelope, non-ASCII escaped."""
    return len(json.dumps(json_response(200, payload)).encode("utf-8"))


def worst_author() -> views.ProfileView:
    changes = _properties(UserChanges)
    username = _max(_properties(NewUser)["username"])
    user = Author("u1", _text(username), bio=_text(_max(changes["bio"])), image=_text(_max(changes["image"])))
    return views.profile_view(user, True)


def worst_article_summary() -> views.ArticleSummaryView:
    fields = _properties(NewArticle)
    tags = fields["tagList"]
    article = ArticleSummary(
        id="a1",
        slug=_text(MAX_SLUG_BASE + 7),
        title=_text(_max(fields["title"])),
        description=_text(_max(fields["description"])),
        tag_list=(_text(_max(tags["items"])),) * _max(tags, "maxItems"),
        author_id="u1",
        created_at=_text(24),
        updated_at=_text(24),
        favorites_count=10**15,
    )
    return views.article_summary_view(article, worst_author(), True, article.favorites_count)


def worst_comment() -> views.CommentView:
    body = _max(_properties(NewComment)["body"])
    comment = Comment(10**12 - 1, _text(body), "u1", created_at=_text(24), updated_at=_text(24))
    return views.comment_view(comment, worst_author())


def test_the_budget_leaves_a_third_of_lambdas_limit_in_reserve():
    assert paging.RESPONSE_BYTES_BUDGET <= LAMBDA_LIMIT * 2 // 3


def test_a_full_page_of_the_longest_articles_fits():
    page = {"articles": [worst_article_summary()] * paging.ARTICLES_PAGE_MAX, "articlesCount": 10**9}
    assert payload_bytes(page) <= paging.RESPONSE_BYTES_BUDGET
    one_more = {"articles": [worst_article_summary()] * (paging.ARTICLES_PAGE_MAX + 5), "articlesCount": 10**9}
    assert payload_bytes(one_more) > paging.RESPONSE_BYTES_BUDGET * 0.95, "the cap is not needlessly low"


def test_a_full_page_of_the_longest_comments_fits():
    page = {"comments": [worst_comment()] * paging.COMMENTS_PAGE_MAX}
    assert payload_bytes(page) <= paging.RESPONSE_BYTES_BUDGET
    # the attack: 162 comments of 10,000 emoji were one 6.5 MB answer
    assert payload_bytes({"comments": [worst_comment()] * 162}) > LAMBDA_LIMIT


def test_the_default_page_of_comments_is_well_under_the_limit():
    page = {"comments": [worst_comment()] * 20}
    assert payload_bytes(page) <= LAMBDA_LIMIT * 0.55  # ~3.2 MB in the payload
    assert len(json_response(200, page)["body"].encode("utf-8")) <= 1_100_000  # ~1.05 MB to the client


def test_the_whole_tags_list_and_a_page_of_users_fit():
    from conduit.store.tags import MAX_TAGS_LISTED

    tag = _max(_properties(NewArticle)["tagList"]["items"])
    assert payload_bytes({"tags": [_text(tag)] * MAX_TAGS_LISTED}) <= paging.RESPONSE_BYTES_BUDGET
    user = {
        "username": _text(_max(_properties(NewUser)["username"])),
        "email": _text(_max(_properties(NewUser)["email"])),
        "role": "moderator",
        "suspended": True,
        "createdAt": _text(24),
    }
    assert payload_bytes({"users": [user] * 100}) <= paging.RESPONSE_BYTES_BUDGET


def test_control_characters_cost_less_than_the_budget_assumes():
    """The other costly characters: escaped in the body (6 bytes), then their backslash again (7)."""
    comment = {**worst_comment(), "body": "\x01" * _max(_properties(NewComment)["body"])}
    costly = {**worst_comment()}
    assert payload_bytes({"comments": [comment]}) < payload_bytes({"comments": [costly]})
