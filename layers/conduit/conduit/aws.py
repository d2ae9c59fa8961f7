"""The one botocore session of a container: its clients (DynamoDB, SSM) share the loaded models,
endpoints and credentials instead of each building its own session."""

from __future__ import annotations

from functools import lru_cache
from typing import Any


@lru_cache(maxsize=1)
def session() -> Any:
    """Imported and built on first use: botocore stays out of every handler's cold import."""
    import botocore.session

    return botocore.session.get_session()
