"""Unit-test fixtures: a known environment and fresh per-container caches for every test.

Settings, the password hasher, the JWT keys and the DynamoDB client are cached once per
container (lru_cache). Each test starts from a controlled environment with those caches cleared, and
clears them again afterwards so nothing leaks into other tests. The DynamoDB client is the exception:
it is kept between tests whose environment is the standard one (see fresh_dynamodb_client).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest
from botocore.stub import Stubber

from conduit import authz
from conduit.authz import Role, Rule
from conduit.entities.users import AuthState
from conduit.security import guard, keyset, passwords
from conduit.settings import Settings, get_settings
from conduit.store import client as store_client
from tests.unit.helpers import TEST_SECRET, build_event

# Captured at import, so clearing works even while a test has monkeypatched one of them.
_CACHED = (
    get_settings,
    passwords._hasher,
    passwords._decoy_hash,
    keyset._process_keyset,
    keyset._from_environment,
    keyset._ssm,
)
_DYNAMODB = store_client.dynamodb
_client_env_changed = False


def unset_settings_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    """Unset every variable the settings read (Settings.variables(): the settings type names them)."""
    for name in Settings.variables():
        monkeypatch.delenv(name, raising=False)


def clear_caches(*, client: bool = True) -> None:
    for cached in _CACHED:
        cached.cache_clear()
    keyset.forget()
    if client:
        _DYNAMODB.cache_clear()


@pytest.fixture(scope="package", autouse=True)
def fresh_dynamodb_client() -> Iterator[None]:
    """Drop any client built before the unit tests, and the unit tests' client after them.

    Building a botocore client is slow, and every unit test runs in the same environment, so tests
    share one client unless a test changes the environment with set_env (see clean_environment).
    """
    _DYNAMODB.cache_clear()
    yield
    _DYNAMODB.cache_clear()


@pytest.fixture(autouse=True)
def clean_environment(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    global _client_env_changed
    unset_settings_environment(monkeypatch)
    monkeypatch.setenv("JWT_SECRET", TEST_SECRET)
    # Cheap hashing unless a test asks for the production defaults.
    monkeypatch.setenv("ARGON2_TIME_COST", "1")
    monkeypatch.setenv("ARGON2_MEMORY_KIB", "1024")
    # The DynamoDB client must never find real credentials or query instance metadata.
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    monkeypatch.setenv("AWS_SESSION_TOKEN", "testing")
    monkeypatch.setenv("AWS_EC2_METADATA_DISABLED", "true")
    monkeypatch.setenv("AWS_REGION", "us-east-1")
    clear_caches(client=False)
    _client_env_changed = False
    yield
    clear_caches(client=_client_env_changed)
    _client_env_changed = False


@pytest.fixture
def set_env(monkeypatch: pytest.MonkeyPatch) -> Callable[..., None]:
    """set_env(NAME="value", OTHER=None): set (or unset, with None) variables, then drop every cache."""

    def apply(**variables: str | None) -> None:
        global _client_env_changed
        for name, value in variables.items():
            if value is None:
                monkeypatch.delenv(name, raising=False)
            else:
                monkeypatch.setenv(name, value)
        clear_caches()
        _client_env_changed = True

    return apply


@pytest.fixture
def ddb_stub() -> Iterator[Stubber]:
    """A Stubber on the (cached) client that conduit.store.client.dynamodb() returns to the store."""
    client = store_client.dynamodb()
    with Stubber(client) as stubber:
        yield stubber
        stubber.assert_no_pending_responses()


@pytest.fixture
def make_event() -> Callable[..., dict[str, Any]]:
    return build_event


TEST_RULES = {
    "GET /test/none": Rule("none"),
    "GET /test/optional": Rule("optional"),
    "GET /test/required": Rule("required"),
}


@pytest.fixture(autouse=True)
def test_routes(monkeypatch: pytest.MonkeyPatch) -> None:
    """Read-only test routes for the endpoint decorator, one per auth mode."""
    for route, rule in TEST_RULES.items():
        monkeypatch.setitem(authz.RULES, route, rule)


@pytest.fixture(autouse=True)
def known_users(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> None:
    """Every token's user exists with role `user` (no DynamoDB read), unless a test opts out
    with @pytest.mark.real_auth_state."""
    if request.node.get_closest_marker("real_auth_state"):
        return
    monkeypatch.setattr(guard, "_auth_state", lambda uid: AuthState(uid, Role.USER))
