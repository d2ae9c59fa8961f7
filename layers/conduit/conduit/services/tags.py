"""Tags, most used first (never derived from articles: read from the tag counters).

The list is small and hot, so each container keeps it for TAGS_CACHE_SECONDS (default 10 s):
a new tag can take that long to show up, and most requests cost no DynamoDB read at all.
"""

from __future__ import annotations

import threading
import time

from conduit.ports import tags as tag_port
from conduit.settings import get_settings

_lock = threading.Lock()
_filling = threading.Lock()  # one read of the index partitions at a time per container (GraphQL aliases)
_cached: tuple[float, list[str]] | None = None


def popular() -> list[str]:
    global _cached
    ttl = get_settings().tags_cache_seconds
    with _filling:
        now = time.monotonic()
        with _lock:
            if _cached is not None and _cached[0] > now:
                return list(_cached[1])
        fresh = tag_port.store().popular()
        if ttl > 0:
            with _lock:
                _cached = (now + ttl, fresh)
    return list(fresh)
