"""The Lambda edge: API Gateway HTTP API (payload v2) events in, responses out."""

from conduit.http.endpoint import endpoint
from conduit.http.request import Request

__all__ = ["Request", "endpoint"]
