"""DynamoDB's key-size limits: reads of keys no item can have ask nothing, and every key a client can
write is bounded by validation far below the limits (UTF-8 bytes, prefixes included)."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

from conduit.services import slugs
from conduit.store import keys, ops, receipts
from conduit.validation import Credentials, NewArticle, NewUser, UserChanges

WIDEST = "😀"  # 4 UTF-8 bytes, the most a character takes


def _bytes(value: str) -> int:
    return len(value.encode("utf-8"))


@pytest.mark.parametrize(
    ("value", "storable"),
    [
        ("a" * 2048, True),
        ("a" * 2049, False),
        (WIDEST * 512, True),  # 2,048 bytes
        (WIDEST * 512 + "a", False),
        ("é" * 1024, True),
        ("é" * 1024 + "a", False),
        ("\ud800" * 682, True),  # a lone surrogate (valid JSON) counts 3 bytes
        ("\ud800" * 683, False),
    ],
)
def test_partition_keys_are_measured_in_utf8_bytes(value, storable):
    assert keys.partition_storable(value) is storable
    assert keys.storable({"PK": value, "SK": "S"}) is storable


def test_sort_keys_have_their_own_limit():
    assert keys.sort_storable("a" * 1024) and not keys.sort_storable("a" * 1025)
    assert keys.storable({"PK": "P", "SK": WIDEST * 256})
    assert not keys.storable({"PK": "P", "SK": WIDEST * 256 + "a"})


def test_the_prefix_counts():
    room = keys.PARTITION_KEY_MAX_BYTES - len("SLUG#")
    assert keys.storable(keys.slug_marker("a" * room))
    assert not keys.storable(keys.slug_marker("a" * (room + 1)))


def test_reads_of_unstorable_keys_find_nothing_without_asking_dynamodb(ddb_stub):
    """No response is stubbed: any call DynamoDB would get fails the test."""
    slug = WIDEST * 600  # 2,400 bytes
    assert ops.get_item(keys.slug_marker(slug)) is None
    assert ops.batch_get([keys.slug_marker(slug), keys.tag_counter(slug)]) == {}
    assert ops.query(f"TAG#{slug}", sk_prefix=keys.ARTICLE_PREFIX) == []
    assert ops.query("ARTICLE#a", sk_prefix=WIDEST * 300) == []
    ddb_stub.assert_no_pending_responses()


def test_a_batch_asks_only_for_the_storable_keys(ddb_stub):
    long_key, short_key = keys.username_marker(WIDEST * 600), keys.username_marker("ada")
    ddb_stub.add_response(
        "batch_get_item",
        {"Responses": {"conduit": [{"PK": {"S": short_key["PK"]}, "SK": {"S": "UNAME"}, "userId": {"S": "u1"}}]}},
        {"RequestItems": {"conduit": {"Keys": [{"PK": {"S": short_key["PK"]}, "SK": {"S": "UNAME"}}]}}},
    )
    found = ops.batch_get([long_key, short_key])
    assert found == {(short_key["PK"], "UNAME"): {"PK": short_key["PK"], "SK": "UNAME", "userId": "u1"}}


# The longest values validation accepts, in the widest characters each field allows.
LONGEST_EMAIL = WIDEST * (254 - len("@x.io")) + "@x.io"  # an upper bound: wider than validation lets in
LONGEST_VALID_EMAIL = "a" * 64 + "@" + "b" * 63 + "." + "c" * 63 + "." + "d" * 54 + ".io"  # 250 characters
LONGEST_TAG = WIDEST * 64
LONGEST_TITLE = "𠀀" * 200  # a 4-byte CJK ideograph: a word character, so it stays in the slug


LONGEST_CLAIM = receipts.Claim("POST /api/articles/{slug}/comments", "ip:" + "ffff:" * 7 + "ffff", "~" * 255, "0" * 64)


def test_validation_accepts_the_longest_values_used_here():
    NewUser(username="u" * 32, email=LONGEST_VALID_EMAIL, password="password123")
    Credentials(email=LONGEST_VALID_EMAIL, password="x")
    UserChanges(email=LONGEST_VALID_EMAIL)
    NewArticle(title=LONGEST_TITLE, description="d", body="b", tagList=[LONGEST_TAG])


def test_every_key_a_client_can_write_fits():
    written = [
        keys.email_marker(LONGEST_EMAIL),
        keys.username_marker("u" * 32),
        keys.quota("login-email", LONGEST_EMAIL.lower(), 2_000_000_000),
        keys.tagged(LONGEST_TAG, "0" * 24),
        keys.tag_counter(LONGEST_TAG),
        *(keys.slug_marker(slug) for slug in slugs.candidates(LONGEST_TITLE)),
        receipts.receipt_key(LONGEST_CLAIM),
    ]
    for key in written:
        assert keys.storable(key), key
        assert _bytes(key["PK"]) < keys.PARTITION_KEY_MAX_BYTES // 2, key  # with a wide margin
    assert all(_bytes(slug) <= 4 * slugs.MAX_SLUG_BASE + 7 for slug in slugs.candidates(LONGEST_TITLE))


def test_a_receipt_key_is_a_fixed_size_hash_of_route_caller_and_key():
    """An Idempotency-Key is up to 255 characters, an anonymous caller an IP address: hashed."""
    receipt = receipts.receipt_key(LONGEST_CLAIM)
    assert _bytes(receipt["PK"]) == len("RECEIPT#") + 64 and receipt["SK"] == "RECEIPT"
    same = receipts.Claim(LONGEST_CLAIM.route, LONGEST_CLAIM.caller, LONGEST_CLAIM.key, "another body")
    assert receipts.receipt_key(same) == receipt, "the body is checked, not keyed: another body is a 422"
    for other in (
        receipts.Claim("POST /api/articles", LONGEST_CLAIM.caller, LONGEST_CLAIM.key, ""),
        receipts.Claim(LONGEST_CLAIM.route, "ip:192.0.2.1", LONGEST_CLAIM.key, ""),
        receipts.Claim(LONGEST_CLAIM.route, LONGEST_CLAIM.caller, LONGEST_CLAIM.key[:-1], ""),
    ):
        assert receipts.receipt_key(other) != receipt, other


def test_lowercasing_never_grows_a_marker_past_the_limit():
    """Lowercase forms can take more bytes ('İ' is 2 bytes, its lowercase 3): still far below, even for a
    value longer than validation lets in."""
    email = "İ" * (254 - len("@x.io")) + "@x.io"
    assert keys.storable(keys.email_marker(email))
    assert keys.storable(keys.quota("login-email", email.lower(), 0))


# --- one home for key formats and conditions ------------------------------------------------------

LAYER = Path(keys.__file__).parent.parent
KEY_PREFIX = re.compile(r"^[A-Z]+#")
CONDITION = re.compile(r"attribute_(not_)?exists\((PK|#?deleting)\)")  # the shared ones
# store/favorites.py is being redesigned in parallel (#17); its conditions move to store.conditions then.
CONDITIONS_ELSEWHERE = {"store/conditions.py", "store/favorites.py"}


def _sources() -> list[Path]:
    root = LAYER.parent.parent.parent
    return sorted([*LAYER.rglob("*.py"), *(root / "functions").rglob("app.py")])


def _strings(path: Path) -> list[tuple[int, str]]:
    """Every string literal, and the literal start of every f-string, with its line."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            found.append((node.lineno, node.value))
        elif isinstance(node, ast.JoinedStr) and node.values and isinstance(node.values[0], ast.Constant):
            found.append((node.lineno, str(node.values[0].value)))
    return found


def _name(path: Path) -> str:
    return path.relative_to(LAYER).as_posix() if path.is_relative_to(LAYER) else path.as_posix()


@pytest.mark.parametrize("path", _sources(), ids=_name)
def test_key_formats_are_spelled_out_only_in_keys(path):
    if _name(path) == "store/keys.py":
        return
    spelled = [(line, text) for line, text in _strings(path) if KEY_PREFIX.match(text) and "\n" not in text]
    assert not spelled, f"{_name(path)} spells out keys: {spelled}"


@pytest.mark.parametrize("path", _sources(), ids=_name)
def test_conditions_on_existence_are_named_in_conditions(path):
    if _name(path) in CONDITIONS_ELSEWHERE:
        return
    spelled = [(line, text) for line, text in _strings(path) if CONDITION.search(text) and "\n" not in text]
    assert not spelled, f"{_name(path)} spells out conditions: {spelled}"


def test_keys_read_back():
    assert keys.article_id_of(keys.article("a1")) == "a1"
    assert keys.article_id_of(keys.comment("a1", 3)) is None
    assert keys.follow_of(keys.follow("u1", "u2")) == ("u1", "u2")
    assert keys.follow_of(keys.user("u1")) is None
    assert keys.comment_of_owner_sort(keys.comment_owner_sort("a1", 42)) == ("a1", 42)
    assert keys.tag_of(keys.tag_head("py#thon")["PK"]) == "py#thon"
    assert keys.feed_entry("u1", "a1") == {"PK": keys.feed_partition("u1"), "SK": "a1"}
