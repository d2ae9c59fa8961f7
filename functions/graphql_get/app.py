"""GET /api/graphql — the GraphiQL IDE (GRAPHIQL_ENABLED) and read-only queries (?query=...).

The same app as POST /api/graphql, as a separate read-only function: mutations never run over
GET, and its role gets no write policy.

Strawberry, Starlette, Mangum and the schema load at import, in Lambda's INIT, with what every
request needs (conduit.lifecycle): the first request does not pay for them on top
(docs/performance.md#first-response).
"""

from conduit.graphql import asgi

asgi.initialise()
handler = asgi.handler
