"""Fixtures of the schema fuzzing (docs/reliability.md, "Schema fuzzing"): a table of its own behind
the shared local API, and the identities the fuzzed requests are sent as.

The package points the local API at a fresh table (created from template.yaml on the same endpoint)
and restores the session's table afterwards: hypothesis registers users and publishes articles by
the hundred, and the packages that run later should not pay for them (moto copies the whole table on
every TransactWriteItems). Rate limits stay out of the way: tests/conftest.py raises them for the
whole session.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from tests.conftest import Client
from tests.fuzz.support import Identities, own_table, register


@pytest.fixture(scope="package")
def fuzz_table(runtime: Any) -> Iterator[str]:
    """The name of the table the local API writes to while this package runs."""
    with own_table(runtime, "fuzz") as name:
        yield name


@pytest.fixture(scope="package")
def base_url(local_api: Any, fuzz_table: str) -> str:
    """Where the fuzzed requests go: the document's paths already start with /api (servers: "/")."""
    return str(local_api.url)


@pytest.fixture(scope="package")
def identities(base_url: str) -> Identities:
    """A plain user and an admin, registered once for the single-operation fuzzing."""
    client = Client(base_url)
    return Identities(user=register(client, "user"), admin=register(client, "admin"))
