"""Stateful schema fuzzing: scenarios that follow the document's OpenAPI links (apidocs.generate._links).

Schemathesis builds a state machine from the links: a call's response feeds later calls, e.g.
POST /api/articles -> GET / PUT / favorite / comment on / DELETE that article's slug, POST comment
-> DELETE that comment id, POST /api/users -> that user's profile, follow, role and suspension. Each
scenario runs as a new plain user or a new admin (drawn once per scenario); every response passes the
same checks as the single-operation fuzzing (support.CHECKS).
"""

from __future__ import annotations

from collections import Counter
from typing import Any

import pytest
import requests
import schemathesis
from hypothesis import strategies as st
from hypothesis.stateful import initialize

from tests.conftest import Client
from tests.fuzz.support import (
    CHECKS,
    STATEFUL_SETTINGS,
    Identities,
    apply_identity,
    empty_table,
    load_schema,
    own_table,
    register,
)

schema = load_schema()
# Scenarios send valid requests only: each step should get somewhere for the next one to build on.
# Invalid input is the single-operation fuzzing's business (test_operations.py).
schema.config.generation.update(modes=[schemathesis.GenerationMode.POSITIVE])
# Two families of linked operations, each its own state machine so that its scenarios are long
# enough to get deep: the ones that produce a value (201/200 with links) and the ones the links feed.
# After the run, each `expected` answer must have been seen: only a slug or username taken from an
# earlier response can be edited, commented on, deleted, followed or suspended, so these prove the
# scenarios followed the links rather than guessing. They are the answers every run sees many times;
# rarer chains (a comment deleted through its link) depend on what Hypothesis draws, and
# test_links.py walks every link on purpose instead.
SUITES: dict[str, tuple[list[str], list[tuple[str, int]]]] = {
    "articles": (
        [
            "ArticleCreateFunction",
            "ArticleGetFunction",
            "ArticleUpdateFunction",
            "ArticleDeleteFunction",
            "ArticleFavoriteFunction",
            "ArticleUnfavoriteFunction",
            "CommentsListFunction",
            "CommentCreateFunction",
            "CommentDeleteFunction",
        ],
        [
            ("POST /api/articles", 201),
            ("GET /api/articles/{slug}", 200),
            ("PUT /api/articles/{slug}", 200),
            ("POST /api/articles/{slug}/favorite", 200),
            ("POST /api/articles/{slug}/comments", 201),
            ("DELETE /api/articles/{slug}", 204),
        ],
    ),
    "users": (
        [
            "UsersRegisterFunction",
            "UserUpdateFunction",
            "ProfileGetFunction",
            "ProfileFollowFunction",
            "ProfileUnfollowFunction",
            "AdminUserRoleFunction",
            "AdminUserSuspendFunction",
            "AdminUserUnsuspendFunction",
        ],
        [
            ("POST /api/users", 201),
            ("GET /api/profiles/{username}", 200),
            ("POST /api/profiles/{username}/follow", 200),
            ("DELETE /api/profiles/{username}/follow", 200),
            ("PUT /api/admin/users/{username}/role", 200),
            ("POST /api/admin/users/{username}/suspend", 200),
            ("DELETE /api/admin/users/{username}/suspend", 200),
        ],
    ),
}


@pytest.mark.parametrize("suite", sorted(SUITES))
def test_linked_scenarios(suite: str, base_url: str, runtime: Any) -> None:
    operations, expected = SUITES[suite]
    session = requests.Session()
    client = Client(base_url)
    answered: Counter[tuple[str, int]] = Counter()

    class Scenarios(schema.include(operation_id=operations).as_state_machine()):  # type: ignore[misc]
        token: str | None = None

        def setup(self) -> None:
            # Every scenario starts from an empty table: the same steps then get the same answers
            # (a registration is not a 409 because an earlier scenario took the name), which Hypothesis
            # needs to replay a scenario, and what one scenario does (an admin suspending the users
            # it lists) cannot spill into the next.
            empty_table(runtime, table)

        @initialize(role=st.sampled_from(["user", "admin"]))
        def register_identity(self, role: str) -> None:
            self.token = register(client, role)

        def before_call(self, case: Any) -> None:
            assert self.token is not None
            apply_identity(case, "user", Identities(user=self.token, admin=self.token))

        def get_call_kwargs(self, case: Any) -> dict[str, Any]:
            return {"base_url": base_url, "session": session, "timeout": 30}

        def after_call(self, response: Any, case: Any) -> None:
            super().after_call(response, case)
            answered[(case.operation.label, response.status_code)] += 1

        def validate_response(self, response: Any, case: Any, additional_checks: Any = None, **kwargs: Any) -> None:
            case.validate_response(response, checks=CHECKS, transport_kwargs=kwargs)

    with own_table(runtime, "scenarios") as table:
        Scenarios.run(settings=STATEFUL_SETTINGS)

    missing = [f"{status} from {label}" for label, status in expected if not answered[(label, status)]]
    assert not missing, f"never answered: {missing}; answers: {sorted(answered.items())}"
