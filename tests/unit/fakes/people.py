"""The people side's fakes in place of DynamoDB (users, quotas, resets, verifications) and an outbox in
place of the email queue, for the services' unit tests: `with people(monkeypatch) as world: ...`."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from urllib.parse import parse_qs, urlparse

import pytest

from conduit import mail
from conduit.entities.users import User
from conduit.ports import quotas as quota_port
from conduit.ports import resets as reset_port
from conduit.ports import users as user_port
from conduit.ports import verifications as verification_port
from conduit.security import guard
from conduit.security.passwords import hash_password
from tests.unit.fakes.quotas import FakeQuotas
from tests.unit.fakes.resets import FakeResets
from tests.unit.fakes.users import FakeUsers
from tests.unit.fakes.verifications import FakeVerifications


@dataclass(frozen=True)
class Email:
    kind: str
    to: str
    data: dict[str, str]

    @property
    def token(self) -> str:
        return parse_qs(urlparse(self.data["link"]).query)["token"][0]


@dataclass
class People:
    users: FakeUsers
    quotas: FakeQuotas
    resets: FakeResets
    verifications: FakeVerifications
    journal: list[str] = field(default_factory=list)  # the store calls (users, quotas) in order
    outbox: list[Email] = field(default_factory=list)

    def user(self, name: str, password: str = "password123", **fields: object) -> User:
        """A registered user (straight into the fake, no email sent), with `fields` set."""
        created = self.users.create(name, f"{name}@example.com", hash_password(password))
        self.users.users[created.id] = user = replace(created, **fields)  # type: ignore[arg-type]
        self.journal.clear()
        return user


@contextmanager
def people(monkeypatch: pytest.MonkeyPatch) -> Iterator[People]:
    journal: list[str] = []
    users = FakeUsers(journal)
    world = People(users, FakeQuotas(journal), FakeResets(users), FakeVerifications(users), journal)
    monkeypatch.setattr(mail, "enqueue", lambda kind, to, data: world.outbox.append(Email(kind, to, data)))
    monkeypatch.setattr(guard, "_cache", {})
    with (
        user_port.store.replaced(world.users),
        quota_port.store.replaced(world.quotas),
        reset_port.store.replaced(world.resets),
        verification_port.store.replaced(world.verifications),
    ):
        yield world
