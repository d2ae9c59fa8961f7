"""The GraphQL API (`/api/graphql`): a Strawberry schema over the same services as the REST endpoints.

Only the GraphQL functions import this package (and with it Strawberry, Starlette and Mangum);
nothing else in the layer does, so the REST functions' cold starts do not pay for it.

- schema.py   the schema: types.py (object types, connections), inputs.py, queries.py, mutations.py
              (toggles.py: its POST/DELETE pairs);
              every resolver calls conduit.services; fields.py types Strawberry's resolver decorators
- context.py  per-request state: the token, authorization by the REST route's rule, DataLoaders
- loaders.py  DataLoaders (slug markers, article bodies, comments) built on one BatchGetItem each
- paging.py   Relay connections over the services' limit/offset pages (opaque offset cursors)
- limits.py   depth, token, alias and cost limits; introspection on/off (conduit.settings: GRAPHQL_*)
- errors.py   DomainError -> `extensions.code` (from conduit.http.error_map, the one table); unknown errors masked
- idempotency.py  Idempotency-Key for the create mutations, through conduit.idempotency (REST's)
- asgi.py     the Strawberry ASGI app, wrapped by Mangum into the Lambda handler
"""
