"""Typed entities: what the store returns and the services work with (issue 15).

One module per area (users, articles, comments, ...): frozen dataclasses, no I/O, no DynamoDB shapes.
Only `conduit.store` knows how an entity is laid out in an item, and builds it from one.
"""
