"""GET /api/graphql — the GraphiQL IDE (GRAPHIQL_ENABLED) and read-only queries (?query=...).

The same app as POST /api/graphql, as a separate read-only function: mutations never run over
GET, and its role gets no write policy.
"""

from conduit.graphql.asgi import handler, prepare

prepare()  # the schema is built in Lambda's init phase, not in the first request

__all__ = ["handler"]
