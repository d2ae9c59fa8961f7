"""POST /api/graphql — GraphQL queries and mutations (Strawberry behind Mangum, schema in the layer).

Strawberry, Starlette, Mangum and the schema load at import, in Lambda's INIT, with what every
request needs (conduit.lifecycle): the first request does not pay for them on top
(docs/performance.md#first-response).
"""

from conduit.graphql import asgi

asgi.initialise()
handler = asgi.handler
