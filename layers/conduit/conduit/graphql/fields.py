"""Strawberry's resolver decorators, typed as what they decorate.

`strawberry.field(description=...)` and `strawberry.mutation(...)` are typed `Any` when used as
decorators with arguments, which would leave every resolver untyped for mypy; these return the same
decorators (the same fields at run time) with the resolver's own type.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

import strawberry

R = TypeVar("R", bound=Callable[..., Any])


def field(description: str) -> Callable[[R], R]:
    """@strawberry.field(description=...): a query field, or a type's field with a resolver."""
    decorator: Callable[[R], R] = strawberry.field(description=description)
    return decorator


def mutation(description: str) -> Callable[[R], R]:
    """@strawberry.mutation(description=...)."""
    decorator: Callable[[R], R] = strawberry.mutation(description=description)
    return decorator
