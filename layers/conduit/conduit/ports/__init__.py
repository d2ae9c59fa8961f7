"""What the services need from storage: one `Protocol` per store area, and which implementation serves it.

Each module here declares one area's Protocol (what the services may ask of it, in typed entities)
and its `store` accessor, which services call: `ports.tags.store().popular()`. The accessor returns
the DynamoDB implementation (the `conduit.store.<area>` module, which satisfies the Protocol
structurally, checked by mypy) unless a unit test has put an in-memory fake in its place:
`with ports.tags.store.replaced(FakeTags()): ...` (tests/unit/fakes/).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Generic, TypeVar

Port = TypeVar("Port")


class Accessor(Generic[Port]):
    """Returns one store area's implementation: DynamoDB's, or a test's fake while one is in place."""

    def __init__(self, dynamodb: Callable[[], Port]) -> None:
        self._dynamodb = dynamodb
        self._fake: Port | None = None

    def __call__(self) -> Port:
        return self._fake if self._fake is not None else self._dynamodb()

    @contextmanager
    def replaced(self, fake: Port) -> Iterator[Port]:
        earlier, self._fake = self._fake, fake
        try:
            yield fake
        finally:
            self._fake = earlier
