"""Fixtures for the reliability tests: a table of their own behind the shared local API, a
thread-safe HTTP caller, the whole-table invariant check, and limits raised so that storms
measure races, not rate limits.

The package points the local API at a fresh table (created from template.yaml on the same
endpoint) and restores the session's table afterwards. The invariant checker then walks a table
that holds only what these tests wrote, and the tests' speed does not depend on how much the
other test packages wrote before (moto copies the whole table on every TransactWriteItems).
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Callable, Iterator
from typing import Any

import pytest

from localapi import database
from tests.reliability import invariants
from tests.reliability.apiclient import Api

# Storms send hundreds of writes per user and registrations from one address within seconds; the
# write quota (429) and the per-container auth cache would otherwise decide the outcome.
RELIABILITY_ENV = {
    "WRITE_QUOTA_PER_MINUTE": "1000000",
    "LOGIN_FAILURES_PER_MINUTE": "1000000",
    "AUTH_CACHE_SECONDS": "0",
}


@pytest.fixture(scope="package")
def table(runtime: Any) -> Iterator[tuple[str, str]]:
    """(endpoint, table name) of the table the local API writes to during this package."""
    from conduit.settings import get_settings

    (logical,) = runtime.table_names
    name = f"{runtime.table_names[logical]}-reliability-{uuid.uuid4().hex[:6]}"
    database.create_tables(runtime.template, runtime.endpoint, {logical: name})
    env = {**RELIABILITY_ENV, "TABLE_NAME": name}
    saved = {key: os.environ.get(key) for key in env}
    os.environ.update(env)  # this process's own store calls (tools) follow the functions
    get_settings.cache_clear()
    try:
        with runtime.using_table(name), runtime.configured(**RELIABILITY_ENV):
            get_settings.cache_clear()
            yield runtime.endpoint, name
    finally:
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value
        get_settings.cache_clear()
        database.client(runtime.endpoint).delete_table(TableName=name)


@pytest.fixture(scope="package")
def api(local_api: Any, table: tuple[str, str]) -> Api:
    return Api(local_api.url)


@pytest.fixture
def violations(table: tuple[str, str]) -> Callable[[], list[str]]:
    """Run the whole-table invariant check now; returns the violations."""
    return lambda: invariants.check_table(*table)


@pytest.fixture
def assert_consistent(violations: Callable[[], list[str]]) -> Callable[[str], None]:
    def check(when: str = "") -> None:
        found = violations()
        assert not found, f"invariants broken {when}:\n  " + "\n  ".join(found[:40])

    return check
