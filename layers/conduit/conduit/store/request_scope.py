"""The request a store call belongs to: what makes a retried transaction idempotent.

Every TransactWriteItems of a request carries a ClientRequestToken derived from the request: a hash
of its ids (API Gateway's requestId and Lambda's aws_request_id, see `invocation_id`) and the
transaction's ordinal in the request. When botocore retries a transaction whose answer was lost
after it committed, DynamoDB sees the same token with the same parameters and answers success
without applying it again (for 10 minutes); a second transaction of the same request (another slug
candidate, say) has the next ordinal, hence its own token. The same ids always give the same
tokens, so a test can tell which token a transaction carried.

Outside a request (tools, the stream consumer) there is no scope and botocore fills in a random
token of its own, which its retries of that call reuse: the same protection, not derived.
"""

from __future__ import annotations

import hashlib
import itertools
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field

TOKEN_LENGTH = 32  # hex characters; DynamoDB takes 1 to 36


@dataclass
class _Scope:
    request_id: str
    ordinals: Iterator[int] = field(default_factory=lambda: itertools.count(1))


# A mutable scope in a ContextVar: GraphQL resolvers run in tasks (each with a copy of the context),
# and all of them must draw from the same ordinals.
_current: ContextVar[_Scope | None] = ContextVar("conduit_request_scope", default=None)


def invocation_id(api_request_id: str, context: object = None) -> str:
    """What identifies one run of a handler: API Gateway's request id and Lambda's invocation id.

    Both, because a token reused with other parameters is an error (IdempotentParameterMismatch), and
    a re-run makes new ids and timestamps: a saved event replayed with its fixed requestId (events/,
    `sam local invoke`) is a new invocation all the same."""
    return "/".join(part for part in (api_request_id, getattr(context, "aws_request_id", "")) if part)


@contextmanager
def serving(request_id: str) -> Iterator[None]:
    """Store calls inside the block belong to the request `request_id` (none when it is empty)."""
    reset = _current.set(_Scope(request_id) if request_id else None)
    try:
        yield
    finally:
        _current.reset(reset)


def transaction_token() -> str | None:
    """The ClientRequestToken of the request's next transaction, or None outside a request."""
    scope = _current.get()
    if scope is None:
        return None
    return token_for(scope.request_id, next(scope.ordinals))


def token_for(request_id: str, ordinal: int) -> str:
    """The token of the `ordinal`-th transaction (from 1) of request `request_id`."""
    return hashlib.sha256(f"{request_id}#{ordinal}".encode()).hexdigest()[:TOKEN_LENGTH]
