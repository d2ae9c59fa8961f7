"""The pure parts: cursors, paging arguments, the cost estimate (fragments cannot hide cost)."""

from __future__ import annotations

import pytest
from graphql import FragmentDefinitionNode, parse

from conduit.errors import InvalidInput
from conduit.graphql.limits import selection_cost
from conduit.graphql.paging import decode_cursor, encode_cursor, page_for


def _cost(query: str, variables: dict | None = None) -> int:
    document = parse(query)
    fragments = {d.name.value: d for d in document.definitions if isinstance(d, FragmentDefinitionNode)}
    return selection_cost(document.definitions[0].selection_set, fragments, variables or {}, root=True)


def test_cursors_round_trip_and_are_opaque():
    for position in (0, 1, 19, 5000):
        cursor = encode_cursor(position)
        assert decode_cursor(cursor) == position
        assert not cursor.endswith(str(position)) and "=" not in cursor


@pytest.mark.parametrize("cursor", ["", "abc", encode_cursor(1)[:-1] + "!", "b2Zmc2V0Oi0x", "bGltaXQ6Mw"])
def test_foreign_cursors_are_bad_user_input(cursor):
    with pytest.raises(InvalidInput) as refused:
        decode_cursor(cursor)
    assert refused.value.errors == {"after": ["is not a valid cursor"]}


def test_first_and_after_become_rest_limit_and_offset():
    page = page_for(5, encode_cursor(9))
    assert (page.limit, page.offset) == (5, 10)
    assert (page_for(None, None).limit, page_for(None, None).offset) == (20, 0)
    assert page_for(1000, None).limit == 100
    assert page_for(1000, None, max_items=60).limit == 60
    with pytest.raises(InvalidInput) as refused:
        page_for(None, encode_cursor(5000))
    assert refused.value.errors == {"after": ["must be at most 5000"]}


def test_cost_of_fields_database_reads_and_pages():
    assert _cost("{ tags }") == 10
    assert _cost("{ __typename }") == 1
    assert _cost("{ articles { totalCount } }") == 10 + 20 * 1
    assert _cost("{ articles(first: 3) { edges { node { slug } } } }") == 10 + 3 * 3
    assert _cost("query($n: Int) { feed(first: $n) { totalCount } }", {"n": 7}) == 10 + 7
    assert _cost("{ articles(first: 500) { totalCount } }") == 10 + 60, "capped like REST's limit"
    assert _cost("{ users(first: 500) { edges { cursor } } }") == 10 + 100 * 2
    assert _cost('{ article(slug: "s") { comments { edges { node { body } } } } }') == 10 + 10 + 20 * 3
    assert _cost('{ article(slug: "s") { comments(first: 500) { edges { cursor } } } }') == 10 + 10 + 25 * 2


def test_fragments_and_inline_fragments_count_as_written_out():
    inline = "{ articles(first: 4) { edges { node { slug author { username } } } } }"
    fragment = """{ articles(first: 4) { ...Page } }
      fragment Page on ArticleConnection { edges { ... on ArticleEdge { node { ...Node } } } }
      fragment Node on Article { slug author { username } }"""
    assert _cost(fragment) == _cost(inline) == 10 + 4 * 5


def test_the_tag_list_is_read_once_per_request_however_many_aliases_ask(monkeypatch):
    from conduit.graphql.context import Context
    from conduit.services import tags

    reads = []
    monkeypatch.setattr(tags, "popular", lambda: reads.append(1) or ["a", "b"])
    context = Context("", "127.0.0.1")
    assert [context.popular_tags() for _ in range(15)] == [["a", "b"]] * 15
    assert len(reads) == 1


def _sdl() -> str:
    from conduit.graphql.schema import build

    return build([]).as_str()


def test_views_become_objects_field_by_field():
    """FromView.of: each constructor field is the view's value under its camelCase name; `converted` ones
    (nested profile, tag list, the optional body) are built; resolver fields (body, comments) are not."""
    from conduit.authz import Role
    from conduit.graphql.types import Article, Profile, User, UserAccount

    author = {"username": "ann", "bio": None, "image": "i", "following": True}
    view = {
        **{"slug": "s", "title": "T", "description": "d", "tagList": ("a", "b"), "createdAt": "c"},
        **{"updatedAt": "u", "favorited": False, "favoritesCount": 3, "author": author},
    }
    profile = Profile(username="ann", bio=None, image="i", following=True)
    article = Article(
        **{"slug": "s", "title": "T", "description": "d", "tag_list": ["a", "b"], "created_at": "c"},
        **{"updated_at": "u", "favorited": False, "favorites_count": 3, "author": profile},
    )
    assert Article.of(view) == article and article.loaded_body is None
    assert Article.of({**view, "body": "B"}).loaded_body == "B"
    user = {"email": "e", "token": "t", "username": "u", "bio": "b", "image": None, "emailVerified": True}
    assert User.of(user) == User(email="e", token="t", username="u", bio="b", image=None, email_verified=True)
    account = {"username": "u", "email": "e", "role": "moderator", "suspended": True, "createdAt": "c"}
    assert UserAccount.of(account).role is Role.MODERATOR


def test_each_toggle_is_a_post_and_a_delete_field_whose_argument_is_the_paths_parameter():
    sdl = _sdl()
    for line in (
        '"""POST /api/profiles/{username}/follow"""\n  follow(username: String!): Profile\n',
        '"""DELETE /api/profiles/{username}/follow"""\n  unfollow(username: String!): Profile\n',
        '"""POST /api/articles/{slug}/favorite"""\n  favorite(slug: String!): Article\n',
        '"""DELETE /api/articles/{slug}/favorite"""\n  unfavorite(slug: String!): Article\n',
        '"""POST /api/admin/users/{username}/suspend (admins; not themselves)"""\n'
        "  suspendUser(username: String!): UserAccount\n",
        '"""DELETE /api/admin/users/{username}/suspend (admins)"""\n  reinstateUser(username: String!): UserAccount\n',
    ):
        assert line in sdl


def test_connections_keep_their_type_names():
    sdl = _sdl()
    for name, edge in (("ArticleConnection", "ArticleEdge"), ("CommentConnection", "CommentEdge")):
        assert f"type {name} {{\n  edges: [{edge}!]!\n  pageInfo: PageInfo!\n" in sdl
        assert f"type {edge} {{\n" in sdl
    assert "type UserConnection {\n  edges: [UserEdge!]!\n  pageInfo: PageInfo!\n}" in sdl
    assert "type UserEdge {\n" in sdl and "UserAccountEdge" not in sdl
