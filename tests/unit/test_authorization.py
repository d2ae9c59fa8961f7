"""One authorization pipeline (conduit.security.guard.authorize) for REST and GraphQL: token ->
current role and state -> route rule -> quota. Both edges call it, and so refuse the same way."""

from __future__ import annotations

import json
from typing import Any

import pytest

from conduit.authz import Role, rule_for
from conduit.entities.users import AuthState
from conduit.errors import DomainError
from conduit.graphql.context import Context
from conduit.http import Request, endpoint, error_map
from conduit.security import guard
from conduit.security.tokens import issue_token
from conduit.store import quotas
from tests.unit.helpers import build_event

USER_ROUTE = "PUT /api/user"  # required, a write
ADMIN_ROUTE = "GET /api/admin/users"  # required, admins only


@pytest.fixture
def pipeline_calls(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The routes guard.authorize was called for (then it runs as it is)."""
    calls: list[str] = []
    real = guard.authorize

    def spy(rule: Any, *args: Any, **kwargs: Any) -> guard.Caller:
        calls.append(next(route for route in (USER_ROUTE, ADMIN_ROUTE) if rule_for(route) is rule))
        return real(rule, *args, **kwargs)

    monkeypatch.setattr(guard, "authorize", spy)
    return calls


@pytest.fixture
def free_quota(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(quotas, "reserve", lambda *args: quotas.Reservation("write", "q", window=0, attempt="a"))


def over_rest(route: str, token: str | None) -> tuple[int, Any]:
    def story(request: Request) -> dict[str, Any]:
        return {"viewer": request.viewer, "role": request.role}

    method, path = route.split(" ", 1)
    response = endpoint(route)(story)(build_event(method, path, token=token), None)
    return response["statusCode"], json.loads(response["body"])


def over_graphql(route: str, token: str | None) -> tuple[int, Any]:
    try:
        caller = Context(f"Token {token}" if token else "", "198.51.100.7").authorize(route)
    except DomainError as refused:
        return error_map.status_of(refused), {"errors": refused.errors}
    return 200, {"viewer": caller.viewer, "role": caller.role}


def suspended(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(guard, "_auth_state", lambda uid: AuthState(uid, Role.USER, suspended=True))


def over_quota(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(quotas, "reserve", lambda *args: quotas.Reservation.refusal("write", "q", retry_after=17))


def plain_user(monkeypatch: pytest.MonkeyPatch) -> None:
    pass  # known_users (conftest): every token's user exists with role `user`


CASES = {
    "suspended user": (suspended, USER_ROUTE, True, 401, {"user": ["is suspended"]}),
    "missing role": (plain_user, ADMIN_ROUTE, True, 403, {"admin": ["forbidden"]}),
    "over the write quota": (over_quota, USER_ROUTE, True, 429, {"rate": ["limit reached, retry later"]}),
    "no token": (plain_user, USER_ROUTE, False, 401, {"token": ["is missing"]}),
}


@pytest.mark.parametrize("case", CASES, ids=list(CASES))
def test_rest_and_graphql_refuse_the_same_way_through_the_one_pipeline(case, monkeypatch, pipeline_calls):
    arrange, route, with_token, status, errors = CASES[case]
    arrange(monkeypatch)
    token = issue_token("user-7") if with_token else None
    rest = over_rest(route, token)
    graphql = over_graphql(route, token)
    assert rest == graphql == (status, {"errors": errors})
    assert pipeline_calls == [route, route], "each edge authorized once, through guard.authorize"


def test_both_edges_act_as_the_caller_the_pipeline_answers(monkeypatch, pipeline_calls, free_quota):
    monkeypatch.setattr(guard, "_auth_state", lambda uid: AuthState(uid, Role.ADMIN))
    token = issue_token("admin-1")
    expected = (200, {"viewer": "admin-1", "role": Role.ADMIN})
    assert over_rest(ADMIN_ROUTE, token) == expected == over_graphql(ADMIN_ROUTE, token)
    assert pipeline_calls == [ADMIN_ROUTE, ADMIN_ROUTE]


def test_the_pipeline_checks_the_token_then_the_state_then_the_rule_then_the_quota(monkeypatch):
    steps: list[str] = []

    def identify(token: str) -> tuple[str, Role]:
        steps.append("token+state")
        return "user-7", Role.USER

    def reserve(kind: str, subject: str, limit: int) -> quotas.Reservation:
        steps.append(f"quota {kind} {subject}")
        return quotas.Reservation.refusal(kind, subject, retry_after=3)

    monkeypatch.setattr(quotas, "reserve", reserve)
    with pytest.raises(DomainError) as refused:
        guard.authorize(rule_for(ADMIN_ROUTE), "t", "198.51.100.7", identify)
    assert error_map.status_of(refused.value) == 403 and steps == ["token+state"], "the rule refuses before the quota"
    caller = guard.authorize(rule_for("GET /api/articles"), None, "198.51.100.7", identify)
    assert caller == guard.ANONYMOUS and steps == ["token+state"], "optional and no token: anonymous, no read"
    with pytest.raises(DomainError) as limited:
        guard.authorize(rule_for(USER_ROUTE), "t", "198.51.100.7", identify)
    assert error_map.status_of(limited.value) == 429
    assert steps == ["token+state", "token+state", "quota write user-7"]
    anonymous_write = rule_for("POST /api/users")
    with pytest.raises(DomainError):
        guard.authorize(anonymous_write, "t", "198.51.100.7", identify)
    assert steps[-1] == "quota write ip:198.51.100.7", "auth none: the token is not read; the address pays"
