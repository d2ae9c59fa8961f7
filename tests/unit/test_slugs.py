"""Slugs: readable, ASCII, derived from the title, bounded in length, with unique fallbacks."""

from __future__ import annotations

import re

import pytest

from conduit.services.slugs import MAX_SLUG_BASE, candidates, slugify

FULLWIDTH = "".join(chr(ord(c) + 0xFEE0) for c in "Fullwidth")  # U+FF26 U+FF55 ...


@pytest.mark.parametrize(
    ("title", "slug"),
    [
        ("How to train your dragon", "how-to-train-your-dragon"),
        ("Hello, World!", "hello-world"),
        ("  --Leading and trailing--  ", "leading-and-trailing"),
        ("Multiple   spaces\tand\nnewlines", "multiple-spaces-and-newlines"),
        ("C++ & Rust: a/b?c=d#e", "c-rust-a-b-c-d-e"),
        ("snake_case stays", "snake_case-stays"),
        ("Version 2.0", "version-2-0"),
        ("UPPER lower", "upper-lower"),
    ],
)
def test_ascii_titles(title, slug):
    assert slugify(title) == slug


@pytest.mark.parametrize(
    ("title", "slug"),
    [
        ("Ünïcödé Straße", "unicode-strasse"),
        ("日本語のタイトル", "ribenyunotaitoru"),
        ("Привет мир", "privet-mir"),
        (FULLWIDTH, "fullwidth"),  # NFKC folds compatibility characters
        ("ﬁle", "file"),
        ("Cafe\u0301", "cafe"),  # NFKC composes e + combining acute
        ("\uff23af\u00e9 \u00a9 2026\u2122", "cafe-2026tm"),  # full-width C, (c), TM
    ],
)
def test_unicode_titles_are_transliterated_to_ascii(title, slug):
    assert slugify(title) == slug
    assert slug.isascii()


def test_look_alike_titles_give_the_same_base_slug():
    """Cyrillic a (U+0430) and o (U+043E) for Latin ones: one base slug, so the second article gets a
    random suffix (candidates) instead of a slug that looks like the first one's (issue 13, row 8)."""
    latin, mixed = "Make money fast", "M\u0430ke m\u043eney fast"
    assert latin != mixed
    assert slugify(mixed) == slugify(latin) == "make-money-fast"


@pytest.mark.parametrize("title", ["🎉", "🎉🎉🎉", "!!!", "   ", "", "---", "___", "🚀 — 🎉"])
def test_titles_without_word_characters_become_article(title):
    assert slugify(title) == "article"


def test_emoji_between_words_is_a_separator():
    assert slugify("Launch 🚀 day") == "launch-day"


def test_slug_has_no_url_unsafe_characters():
    slug = slugify("a/b\\c?d#e%f&g=h i'j\"k<l>m")
    assert re.fullmatch(r"[\w-]+", slug)
    assert not set("/\\?#%&= '\"<>") & set(slug)


def test_long_titles_are_truncated():
    slug = slugify("word " * 100)
    assert len(slug) <= MAX_SLUG_BASE
    assert slug.startswith("word-word-")
    assert not slug.endswith(("-", "_"))


def test_truncation_never_leaves_a_trailing_separator():
    for cut in range(70, 90):
        title = "a" * (cut - 1) + " " + "b" * 50
        slug = slugify(title)
        assert len(slug) <= MAX_SLUG_BASE
        assert not slug.endswith("-")


def test_long_unicode_title_is_truncated_after_transliteration():
    assert slugify("日" * 200) == "ri" * (MAX_SLUG_BASE // 2)


def test_candidates_start_with_the_plain_slug():
    found = candidates("Hello World")
    assert found[0] == "hello-world"
    assert len(found) == 4


def test_candidates_with_suffixes_are_unique_and_well_formed():
    found = candidates("Hello World", attempts=8)
    assert len(found) == 8
    assert len(set(found)) == 8
    for candidate in found[1:]:
        assert re.fullmatch(r"hello-world-[0-9a-f]{6}", candidate)


def test_candidate_suffixes_are_random_between_calls():
    assert candidates("Same", attempts=3)[1:] != candidates("Same", attempts=3)[1:]


def test_candidates_for_an_emoji_title():
    found = candidates("🎉")
    assert found[0] == "article"
    assert all(c.startswith("article-") for c in found[1:])


def test_single_attempt_is_just_the_slug():
    assert candidates("One", attempts=1) == ["one"]
