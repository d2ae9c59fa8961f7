"""GET /api/graphql — the GraphiQL IDE (GRAPHIQL_ENABLED) and read-only queries (?query=...).

The same app as POST /api/graphql, as a separate read-only function: mutations never run over
GET, and its role gets no write policy.

Strawberry, Starlette and Mangum load on the container's first request, not at import: the import
stays within the cold-start budget of every other function (docs/performance.md).
"""

from typing import Any


def handler(event: dict[str, Any], context: Any = None) -> dict[str, Any]:
    from conduit.graphql.asgi import handler as serve

    return serve(event, context)
