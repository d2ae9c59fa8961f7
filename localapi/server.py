"""The local HTTP API: routes from template.yaml, v2 events, real handlers, API Gateway's CORS."""

from __future__ import annotations

import base64
import json
import logging
import os
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import urlsplit

from localapi.cors import Cors
from localapi.events import build_event
from localapi.pool import InvocationError
from localapi.runtime import IntegrationTimeout, PayloadTooLarge, Runtime
from localapi.template import Route

MAX_PAYLOAD_BYTES = 10 * 1024 * 1024  # API Gateway's request payload limit
log = logging.getLogger("localapi")


class _Server(ThreadingHTTPServer):
    # socketserver's default listen backlog is 5: a burst of new connections (a browser, a load
    # test, concurrent clients) beyond it was answered with connection resets.
    request_queue_size = 128


class LocalApi:
    def __init__(self, runtime: Runtime, host: str = "127.0.0.1", port: int = 3000) -> None:
        self.runtime = runtime
        self.cors = Cors.from_config(runtime.template.cors(), os.environ.get("CORS_ALLOW_ORIGIN", "*"))
        self.httpd = _Server((host, port), _handler_class(self))
        self.httpd.daemon_threads = True
        self._thread: threading.Thread | None = None

    @property
    def url(self) -> str:
        host, port = self.httpd.server_address[:2]
        return f"http://{host}:{port}"

    def serve_forever(self) -> None:
        self.httpd.serve_forever()

    def start_in_thread(self) -> LocalApi:
        self._thread = threading.Thread(target=self.httpd.serve_forever, name="local-api", daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()

    def match(self, method: str, path: str) -> tuple[Route, dict[str, str]] | None:
        for route in self.runtime.routes:
            if route.method != method:
                continue
            found = route.pattern.match(path)
            if found:
                return route, found.groupdict()
        return None

    def handle(
        self, method: str, target: str, headers: list[tuple[str, str]], body: bytes, source_ip: str
    ) -> tuple[int, dict[str, str], bytes, list[str]]:
        """One request through API Gateway's steps: CORS preflight, route match, invoke, response."""
        lowered = {name.lower(): value for name, value in headers}
        parts = urlsplit(target)
        if self.cors.is_preflight(method, lowered):
            return 204, self.cors.preflight_headers(lowered), b"", []
        cors = self.cors.response_headers(lowered)
        if len(body) > MAX_PAYLOAD_BYTES:
            return _gateway_error(413, "Request Entity Too Large", cors)
        matched = self.match(method, parts.path)
        if matched is None:
            return _gateway_error(404, "Not Found", cors)
        route, params = matched
        event = build_event(
            route,
            method=method,
            raw_path=parts.path,
            raw_query=parts.query,
            headers=headers,
            body=body,
            source_ip=source_ip,
            path_params=params,
        )
        # What API Gateway answers when the integration fails (HTTP API, payload format 2.0).
        try:
            result = self.runtime.invoke(route.function, event, self.runtime.integration_timeout)
        except PayloadTooLarge:
            return _gateway_error(413, "Request Entity Too Large", cors)
        except IntegrationTimeout:
            return _gateway_error(503, "Service Unavailable", cors)
        except InvocationError:  # unhandled error, timeout, INIT failure, response too large (logged by the runtime)
            return _gateway_error(500, "Internal Server Error", cors)
        except Exception:  # the local runtime itself failed: still an answer, as the gateway would give one
            log.exception("invoking %s failed", route.function)
            return _gateway_error(500, "Internal Server Error", cors)
        try:
            return _from_lambda(result, cors)
        except (TypeError, ValueError):  # a malformed Lambda response
            log.warning("%s returned a malformed response", route.function)
            return _gateway_error(500, "Internal Server Error", cors)


def _gateway_error(status: int, message: str, cors: dict[str, str]) -> tuple[int, dict[str, str], bytes, list[str]]:
    body = json.dumps({"message": message}).encode()
    return status, {"content-type": "application/json", **cors}, body, []


def _from_lambda(result: Any, cors: dict[str, str]) -> tuple[int, dict[str, str], bytes, list[str]]:
    """Payload v2 response format; a dict without statusCode is sent as a 200 JSON body."""
    if not isinstance(result, dict) or "statusCode" not in result:
        return 200, {"content-type": "application/json", **cors}, json.dumps(result).encode(), []
    headers = {str(k).lower(): str(v) for k, v in (result.get("headers") or {}).items()}
    headers.update(cors)  # API Gateway's CORS headers override the integration's
    body = result.get("body") or ""
    raw = base64.b64decode(body) if result.get("isBase64Encoded") else str(body).encode("utf-8")
    return int(result["statusCode"]), headers, raw, list(result.get("cookies") or [])


def _handler_class(api: LocalApi) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"
        server_version = "conduit-local-api"
        # Headers and body go out in separate writes: without TCP_NODELAY, Nagle's algorithm and the
        # client's delayed ACK add ~40 ms to every keep-alive response.
        disable_nagle_algorithm = True

        def _serve(self) -> None:
            length = int(self.headers.get("content-length") or 0)
            body = self.rfile.read(length) if length else b""
            status, headers, payload, cookies = api.handle(
                self.command, self.path, list(self.headers.items()), body, self.client_address[0]
            )
            self.send_response(status)
            for name, value in headers.items():
                self.send_header(name, value)
            for cookie in cookies:
                self.send_header("set-cookie", cookie)
            self.send_header("content-length", str(len(payload)))
            self.end_headers()
            if self.command != "HEAD":
                self.wfile.write(payload)

        do_GET = do_POST = do_PUT = do_DELETE = do_PATCH = do_OPTIONS = do_HEAD = _serve

        def __getattr__(self, name: str) -> Any:
            # Any other method (TRACE, QUERY, a made-up verb) goes through the routes too, as at API
            # Gateway: no route takes it, so the gateway's 404, not http.server's 501 "Unsupported method".
            if name.startswith("do_"):
                return self._serve
            raise AttributeError(name)

        def log_message(self, format: str, *args: Any) -> None:
            if os.environ.get("LOCAL_API_ACCESS_LOG"):
                super().log_message(format, *args)

    return Handler
