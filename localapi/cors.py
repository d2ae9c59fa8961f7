"""The template's HttpApi CorsConfiguration, applied as API Gateway applies it."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Cors:
    origins: tuple[str, ...]
    headers: tuple[str, ...]
    methods: tuple[str, ...]
    expose: tuple[str, ...]
    max_age: int | None
    credentials: bool

    @classmethod
    def from_config(cls, config: dict[str, Any], origin_param: str = "*") -> Cors:
        def strings(name: str) -> tuple[str, ...]:
            values = config.get(name) or []
            return tuple(origin_param if isinstance(v, dict) else str(v) for v in values)

        return cls(
            origins=strings("AllowOrigins"),
            headers=tuple(h.lower() for h in strings("AllowHeaders")),
            methods=tuple(m.upper() for m in strings("AllowMethods")),
            expose=strings("ExposeHeaders"),
            max_age=config.get("MaxAge"),
            credentials=bool(config.get("AllowCredentials")),
        )

    @property
    def enabled(self) -> bool:
        return bool(self.origins)

    def allowed_origin(self, origin: str | None) -> str | None:
        if not origin or not self.enabled:
            return None
        if "*" in self.origins:
            return "*"
        return origin if origin in self.origins else None

    def is_preflight(self, method: str, headers: dict[str, str]) -> bool:
        return self.enabled and method == "OPTIONS" and "access-control-request-method" in headers

    def preflight_headers(self, headers: dict[str, str]) -> dict[str, str]:
        origin = self.allowed_origin(headers.get("origin"))
        if origin is None:
            return {}
        requested_method = headers.get("access-control-request-method", "").upper()
        requested_headers = [
            h.strip().lower() for h in headers.get("access-control-request-headers", "").split(",") if h.strip()
        ]
        if "*" not in self.methods and requested_method not in self.methods:
            return {}
        if "*" not in self.headers and any(h not in self.headers for h in requested_headers):
            return {}
        result = {
            "access-control-allow-origin": origin,
            "access-control-allow-methods": ",".join(self.methods),
            "access-control-allow-headers": ",".join(self.headers),
        }
        if self.max_age is not None:
            result["access-control-max-age"] = str(self.max_age)
        if self.credentials:
            result["access-control-allow-credentials"] = "true"
        return result

    def response_headers(self, headers: dict[str, str]) -> dict[str, str]:
        origin = self.allowed_origin(headers.get("origin"))
        if origin is None:
            return {}
        result = {"access-control-allow-origin": origin}
        if self.expose:
            result["access-control-expose-headers"] = ",".join(self.expose)
        if self.credentials:
            result["access-control-allow-credentials"] = "true"
        return result
