"""HTTP caching of reads: a weak ETag on every 200 GET (If-None-Match → 304, body not sent) and
`Cache-Control: public, max-age=N` on anonymous reads. Personal answers stay `no-store` (harden)."""

from __future__ import annotations

import hashlib
from typing import Any

from conduit.static import etag_matches

DEFAULT_MAX_AGE = 10


def etag_of(body: str) -> str:
    return 'W/"' + hashlib.sha256(body.encode("utf-8")).hexdigest()[:32] + '"'


def apply(response: dict[str, Any], method: str, headers: dict[str, str], anonymous: bool, max_age: int) -> None:
    if method != "GET" or response["statusCode"] != 200:
        return
    etag = etag_of(response["body"])
    out = response["headers"]
    out["etag"] = etag
    out["vary"] = "Authorization"
    if anonymous:
        out["cache-control"] = f"public, max-age={max_age}"
    if etag_matches(headers.get("if-none-match", ""), etag):
        response["statusCode"] = 304
        response["body"] = ""
        out.pop("content-type", None)
