"""An API Gateway HTTP API (payload format 2.0) event, as the handlers need it."""

from __future__ import annotations

import base64
import json
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, TypeVar

from conduit.authz import Role
from conduit.errors import BodyNotJson, InvalidInput, PayloadTooLarge, TokenMissing
from conduit.settings import get_settings

if TYPE_CHECKING:  # pydantic is imported only by handlers that parse a body
    from pydantic import BaseModel

M = TypeVar("M", bound="BaseModel")
TOKEN_SCHEMES = ("token", "bearer")
MAX_JSON_DEPTH = 20
JSON_MEDIA_TYPE = "application/json"


@dataclass(slots=True)
class Request:
    method: str
    path: str
    headers: dict[str, str]
    query: dict[str, str]
    path_params: dict[str, str]
    raw_body: bytes
    request_id: str
    source_ip: str
    viewer: str | None = None
    token: str | None = None
    role: Role | None = None
    _json: Any = field(default=None, repr=False)

    @classmethod
    def from_event(cls, event: dict[str, Any]) -> Request:
        context = event.get("requestContext") or {}
        http = context.get("http") or {}
        body = event.get("body") or ""
        raw = base64.b64decode(body) if event.get("isBase64Encoded") else body.encode("utf-8")
        return cls(
            method=http.get("method", "GET"),
            path=http.get("path") or event.get("rawPath", "/"),
            headers={k.lower(): v for k, v in (event.get("headers") or {}).items()},
            query=dict(event.get("queryStringParameters") or {}),
            path_params=dict(event.get("pathParameters") or {}),
            raw_body=raw,
            request_id=context.get("requestId", ""),
            source_ip=http.get("sourceIp", ""),
        )

    def bearer_token(self) -> str | None:
        """The token of `Authorization: Token <jwt>` (or `Bearer <jwt>`), if any."""
        return bearer_token(self.headers.get("authorization", ""))

    def require_viewer(self) -> str:
        if self.viewer is None:
            raise TokenMissing()
        return self.viewer

    def path_param(self, name: str) -> str:
        return self.path_params.get(name, "")

    def json(self) -> Any:
        if self._json is None:
            self._json = self._decode_json()
        return self._json

    def body(self, model: type[M]) -> M:
        from conduit.validation import parse

        return parse(model, self.json())

    def _decode_json(self) -> Any:
        if len(self.raw_body) > get_settings().max_body_bytes:
            raise PayloadTooLarge("body", f"is too large (maximum is {get_settings().max_body_bytes} bytes)")
        if not is_json_media_type(self.headers.get("content-type", JSON_MEDIA_TYPE)):
            raise BodyNotJson("body", "must be JSON (Content-Type: application/json)")
        if not self.raw_body.strip():
            raise InvalidInput("body", "can't be blank")
        try:
            decoded = json.loads(self.raw_body.decode("utf-8"), object_pairs_hook=_unique_keys)
        except _DuplicateKey:
            raise InvalidInput("body", "has a duplicate key") from None
        except (UnicodeDecodeError, ValueError, RecursionError):
            raise InvalidInput("body", "is not valid JSON") from None
        if _depth(decoded) > MAX_JSON_DEPTH:
            raise InvalidInput("body", "is nested too deeply")
        return decoded


def is_json_media_type(content_type: str) -> bool:
    """`application/json`, with parameters or none (a charset must be UTF-8, as JSON is: RFC 8259).
    No other type, even one that mentions JSON (`text/json`, `application/jsonx`, `image/json`)."""
    media_type, *parameters = content_type.split(";")
    if media_type.strip().lower() != JSON_MEDIA_TYPE:
        return False
    for parameter in parameters:
        name, _, value = parameter.partition("=")
        if name.strip().lower() == "charset" and value.strip().strip('"').lower() not in ("utf-8", "utf8"):
            return False
    return True


class _DuplicateKey(ValueError):
    pass


def _unique_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    """json.loads' object hook: an object that names a key twice is refused, not read as its last value."""
    decoded = dict(pairs)
    if len(decoded) != len(pairs):
        raise _DuplicateKey
    return decoded


def bearer_token(authorization: str) -> str | None:
    """The token of an `Authorization: Token <jwt>` (or `Bearer <jwt>`) header value, if any
    (shared by the REST endpoints and the GraphQL function)."""
    scheme, _, value = authorization.strip().partition(" ")
    if scheme.lower() in TOKEN_SCHEMES and value.strip():
        return value.strip()
    return None


def _depth(value: Any, level: int = 0) -> int:
    if level > MAX_JSON_DEPTH:
        return level
    if isinstance(value, dict):
        return max((_depth(v, level + 1) for v in value.values()), default=level + 1)
    if isinstance(value, list):
        return max((_depth(v, level + 1) for v in value), default=level + 1)
    return level
