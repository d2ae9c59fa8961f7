"""POST /api/graphql — GraphQL queries and mutations (Strawberry behind Mangum, schema in the layer)."""

from conduit.graphql.asgi import handler, prepare

prepare()  # the schema is built in Lambda's init phase, not in the first request

__all__ = ["handler"]
