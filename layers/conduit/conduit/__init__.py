"""Shared layer of the Conduit API: HTTP edge, auth, validation, domain logic and DynamoDB access."""

import os

# The layer uses no pydantic plugins: skipping their discovery (an importlib.metadata scan of every
# installed distribution) saves ~18 ms of each cold start of the functions that validate a body.
os.environ.setdefault("PYDANTIC_DISABLE_PLUGINS", "__all__")
