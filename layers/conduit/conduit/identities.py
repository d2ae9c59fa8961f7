"""Identities: what an email address and a username may be, and the one form each is stored in.

Two spellings that a person reads as the same identity must be the same identity, or one of them
must be refused; otherwise `victim@example.com` in full-width letters (U+FF56 ...) or `victim@example.com.`
registers next to `victim@example.com`. Uniqueness itself is the markers' business (store.keys:
`EMAIL#<lowercased>`, `UNAME#<lowercased>`, written in the registration's transaction); this module
decides what reaches them.

Emails (both registration and login, so both meet the same marker):
- NFKC first: compatibility forms (full-width, ligatures, superscripts) become their plain letters,
  so full-width `victim@example.com` is `victim@example.com`: registering it again is a 409;
- then the email-validator library (syntax only, no DNS): dot-atom local parts, no trailing or
  doubled dot, no special-use domains (`.test`, `.local`, `localhost`...), internationalised domains
  through IDNA (UTS-46), so `xn--exmple-cua.com` and `exämple.com` are one domain; the domain is
  lowercased, the local part keeps its case (the marker lowercases it). Refused: 422 "is invalid".
  `victim@example.com.` is refused rather than normalised: a trailing dot is not an address
  mail clients write, only a lookalike.

Usernames: NFKC too (full-width `victim` is `victim`), then ASCII letters and digits in
segments joined by single `.`, `_` or `-`: `[A-Za-z0-9]+([._-][A-Za-z0-9]+)*`, 1..32 characters.
So no dot-only names (`.`, `..` would be path segments in profile URLs), no leading, trailing or
doubled separators, and no character from another script: a Cyrillic a (U+0430) or Greek o (U+03BF) cannot make
a name that looks like someone else's. Uniqueness is case-insensitive (`Victim` is `victim`).
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from typing import Any

USERNAME_PATTERN = re.compile(r"[A-Za-z0-9]+(?:[._-][A-Za-z0-9]+)*")
USERNAME_MAX = 32
# What the API document shows (a JSON Schema pattern, ECMA-262): an ASCII subset of what
# email_address accepts (internationalised addresses are accepted but not described).
EMAIL_DOCUMENTED = (
    r"^[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*"
    r"@([A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?$"
)


class InvalidIdentity(ValueError):
    """The value cannot be an email address or username (the message says why, for logs only)."""


@lru_cache(maxsize=1)
def email_validator() -> Any:
    """The email-validator library, imported by the functions that validate an address (its import
    compiles its RFC regexes: ~20-40 ms of a cold start), in their INIT (conduit.lifecycle)."""
    import email_validator

    return email_validator


def email_address(value: str) -> str:
    """The one stored form of an email address, or InvalidIdentity."""
    text = unicodedata.normalize("NFKC", value).strip()
    library = email_validator()
    try:
        return str(library.validate_email(text, check_deliverability=False).normalized)
    except library.EmailNotValidError as refused:
        raise InvalidIdentity(str(refused)) from None


def username(value: str) -> str:
    """The one stored form of a username, or InvalidIdentity."""
    text = unicodedata.normalize("NFKC", value)
    if len(text) > USERNAME_MAX or not USERNAME_PATTERN.fullmatch(text):
        raise InvalidIdentity("not letters and digits joined by single '.', '_' or '-'")
    return text
