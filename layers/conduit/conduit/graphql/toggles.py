"""The mutations that set and clear one REST resource: POST sets it, DELETE clears it (follow/unfollow,
favorite/unfavorite, suspendUser/reinstateUser).

`toggle(path, ...)` makes the pair of Mutation fields from the resource's path. Their one argument is the
path's parameter (`{username}`, `{slug}`, a non-null String), each applies its route's rule ("POST " or
"DELETE " + path, `Context.authorize`) and answers `returns.of` of what its service returned, as the other
mutations do. The resolver reads its argument by keyword; its signature (what Strawberry reads to build
the field) is written out, since the argument's name comes from the path.
"""

from __future__ import annotations

import inspect
import re
from collections.abc import Callable
from typing import Any, Protocol, Self, TypeVar

import strawberry
from strawberry import Info

from conduit.graphql.context import context_of


class FromView(Protocol):
    @classmethod
    def of(cls, view: Any) -> Self: ...


T = TypeVar("T", bound=FromView)
Change = Callable[[str, str], Any]  # (the path's parameter, the caller's user id) -> the service's view
PARAMETER = re.compile(r"\{([a-z_]+)\}")


def toggle(path: str, returns: type[T], sets: Change, clears: Change, notes: tuple[str, str] = ("", "")) -> Any:
    """(the POST field, the DELETE field); `notes` are added to their descriptions, e.g. who may."""
    return _field(f"POST {path}", returns, sets, notes[0]), _field(f"DELETE {path}", returns, clears, notes[1])


def _field(route: str, returns: type[T], change: Change, note: str) -> Any:
    (argument,) = PARAMETER.findall(route)

    def resolve(info: Info, **arguments: str) -> T | None:
        caller = context_of(info).authorize(route)
        return returns.of(change(arguments[argument], caller.require_viewer()))

    keyword = inspect.Parameter.KEYWORD_ONLY
    parameters = [
        inspect.Parameter("info", keyword, annotation=Info),
        inspect.Parameter(argument, keyword, annotation=str),
    ]
    resolve.__signature__ = inspect.Signature(parameters, return_annotation=returns | None)  # type: ignore[attr-defined]
    return strawberry.mutation(resolver=resolve, description=f"{route} ({note})" if note else route)
