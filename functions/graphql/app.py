"""POST /api/graphql — GraphQL queries and mutations (Strawberry behind Mangum, schema in the layer).
Strawberry, Starlette and Mangum load on the container's first request, not at import: the import
stays within the cold-start budget of every other function (docs/performance.md).
"""

from typing import Any


def handler(event: dict[str, Any], context: Any = None) -> dict[str, Any]:
    from conduit.graphql.asgi import handler as serve

    return serve(event, context)
