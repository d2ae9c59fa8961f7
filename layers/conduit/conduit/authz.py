"""Who may call what: the authorization rule of every route, in one table.

`auth`   none: anonymous; optional: a token is used when sent; required: 401 without a valid one.
`roles`  the roles allowed to call the route at all (403 otherwise).
`write`  the route changes data: suspended users are refused, and it counts against the
         per-user write quota (429 past it).
Ownership ("only the author may change it") is enforced by the writes themselves, in their
DynamoDB ConditionExpressions; `may_moderate` says who may act on other people's content.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Literal

Auth = Literal["none", "optional", "required"]


class Role(StrEnum):
    USER = "user"
    MODERATOR = "moderator"
    ADMIN = "admin"


EVERYONE = frozenset(Role)
ADMINS = frozenset({Role.ADMIN})
MODERATORS = frozenset({Role.MODERATOR, Role.ADMIN})


@dataclass(frozen=True, slots=True)
class Rule:
    auth: Auth
    roles: frozenset[Role] = EVERYONE
    write: bool = False
    idempotent: bool = False  # honours an Idempotency-Key header (creates)


# fmt: off
RULES: dict[str, Rule] = {
    "POST /api/users":                              Rule("none", write=True, idempotent=True),
    "POST /api/users/login":                        Rule("none"),
    "POST /api/users/password-reset":               Rule("none", write=True),      # always 202
    "POST /api/users/password-reset/confirm":       Rule("none", write=True),
    "POST /api/users/verify-email":                 Rule("none", write=True),
    "POST /api/user/verify-email":                  Rule("required", write=True),  # a fresh link
    "GET /api/user":                                Rule("required"),
    "PUT /api/user":                                Rule("required", write=True),
    "DELETE /api/user":                             Rule("required", write=True),  # current password too
    "POST /api/user/export":                        Rule("required", write=True),
    "GET /api/user/export/{id}":                    Rule("required"),
    "GET /api/profiles/{username}":                 Rule("optional"),
    "POST /api/profiles/{username}/follow":         Rule("required", write=True),
    "DELETE /api/profiles/{username}/follow":       Rule("required", write=True),
    "GET /api/articles":                            Rule("optional"),
    "GET /api/articles/feed":                       Rule("required"),
    "POST /api/articles":                           Rule("required", write=True, idempotent=True),
    "GET /api/articles/{slug}":                     Rule("optional"),
    "PUT /api/articles/{slug}":                     Rule("required", write=True),   # author only
    "DELETE /api/articles/{slug}":                  Rule("required", write=True),   # author or moderator
    "POST /api/articles/{slug}/favorite":           Rule("required", write=True),
    "DELETE /api/articles/{slug}/favorite":         Rule("required", write=True),
    "GET /api/articles/{slug}/comments":            Rule("optional"),
    "POST /api/articles/{slug}/comments":           Rule("required", write=True, idempotent=True),
    "DELETE /api/articles/{slug}/comments/{id}":    Rule("required", write=True),   # author or moderator
    "GET /api/tags":                                Rule("none"),
    "GET /api/admin/users":                         Rule("required", roles=ADMINS),
    "PUT /api/admin/users/{username}/role":         Rule("required", roles=ADMINS, write=True),
    "POST /api/admin/users/{username}/suspend":     Rule("required", roles=ADMINS, write=True),
    "DELETE /api/admin/users/{username}/suspend":   Rule("required", roles=ADMINS, write=True),
    "DELETE /api/admin/users/{username}":           Rule("required", roles=ADMINS, write=True),
    "GET /api/admin/deletions/{id}":                Rule("required", roles=ADMINS),
}
# fmt: on


def rule_for(route: str) -> Rule:
    """The rule of a route key (`METHOD /path`); unknown routes are refused at import time."""
    try:
        return RULES[route]
    except KeyError:
        raise LookupError(f"no authorization rule for route {route!r}: add it to conduit.authz.RULES") from None


def may_moderate(role: Role | None) -> bool:
    """Moderators and admins may delete anyone's article or comment."""
    return role in MODERATORS
