"""The GraphQL schema: the RealWorld API's reads and writes as queries and mutations.

Every resolver is a thin call into conduit.services, as the REST handlers are: validation goes
through the same pydantic models (so the same messages), authorization through the same rule
table and services (so the same 401/403/404), and the views are the REST response objects.
Each root field names the REST route whose rule it applies (`Context.authorize`; the creates
through `create_once`, which also honours an Idempotency-Key as their REST routes do). The admin
fields (`users`, `setRole`, `suspendUser`, `reinstateUser`) call conduit.services.admin, behind
the admin routes' rules.

- types.py      the object types (the REST views) and their Relay connections
- inputs.py     the input types, and their conversion to the REST bodies' pydantic models
- queries.py    the Query root, one field per REST read
- mutations.py  the Mutation root, one field per REST write
- toggles.py    the Mutation fields that come in POST/DELETE pairs (follow/unfollow, ...), made from their path
"""

from __future__ import annotations

from typing import Any

import strawberry

from conduit.graphql.errors import log_unexpected
from conduit.graphql.mutations import Mutation
from conduit.graphql.queries import Query


class ConduitSchema(strawberry.Schema):
    def process_errors(self, errors: list[Any], execution_context: Any = None) -> None:
        log_unexpected(errors)


def build(extensions: list[Any]) -> ConduitSchema:
    return ConduitSchema(query=Query, mutation=Mutation, extensions=extensions)
