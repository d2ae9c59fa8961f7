"""The local AWS endpoint the functions talk to: it knows the caller by its access key (each function's
environment has its role's own, localapi/iam.py), refuses what the role may not do with DynamoDB's own
AccessDeniedException, and passes the rest to the database (the embedded moto app, or any
DynamoDB-compatible endpoint such as DynamoDB Local, over HTTP).

Requests signed with any other key (the test harness, seeding, tools) are the local administrator's.
"""

from __future__ import annotations

import http.client
import io
import json
import logging
import re
import threading
import uuid
from collections.abc import Callable, Iterable
from typing import Any
from urllib.parse import urlsplit

from localapi.iam import Role, access_denied_body, dynamodb_actions

log = logging.getLogger("localapi")
WsgiApp = Callable[[dict[str, Any], Callable[..., Any]], Iterable[bytes]]
_CREDENTIAL = re.compile(r"Credential=([^/,\s]+)/")


class IamGate:
    """WSGI middleware: IAM first, then the database app."""

    def __init__(self, app: WsgiApp | None = None, roles_by_key: dict[str, Role] | None = None) -> None:
        self.app: WsgiApp | None = app
        self.roles_by_key = roles_by_key if roles_by_key is not None else {}
        self.denials: list[tuple[str, str, str]] = []  # (function, action, resource), newest last

    def __call__(self, environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        found = _CREDENTIAL.search(environ.get("HTTP_AUTHORIZATION", ""))
        role = self.roles_by_key.get(found.group(1)) if found else None
        target = environ.get("HTTP_X_AMZ_TARGET", "")
        if role is not None and target.startswith("DynamoDB_"):
            length = int(environ.get("CONTENT_LENGTH") or 0)
            body = environ["wsgi.input"].read(length) if length else b""
            environ["wsgi.input"] = io.BytesIO(body)
            denied = role.denied(dynamodb_actions(target.rsplit(".", 1)[1], json.loads(body or b"{}")))
            if denied is not None:
                self.denials.append((role.function, *denied))
                log.warning("AccessDenied: %s may not %s on %s", role.function, *denied)
                payload = json.dumps(access_denied_body(role, *denied)).encode()
                start_response(
                    "400 Bad Request",
                    [
                        ("Content-Type", "application/x-amz-json-1.0"),
                        ("x-amzn-RequestId", str(uuid.uuid4())),
                        ("Content-Length", str(len(payload))),
                    ],
                )
                return [payload]
        assert self.app is not None, "the gate has no database behind it"
        return self.app(environ, start_response)

    def wrap(self, app: WsgiApp) -> IamGate:
        self.app = app
        return self


class Forwarder:
    """A WSGI app that sends each request on to an HTTP endpoint (one keep-alive connection per thread)."""

    _HOP = {"connection", "keep-alive", "transfer-encoding", "host", "content-length"}

    def __init__(self, endpoint: str) -> None:
        parts = urlsplit(endpoint)
        self.host, self.port = parts.hostname or "127.0.0.1", parts.port or 80
        self._local = threading.local()

    def _connection(self) -> http.client.HTTPConnection:
        connection = getattr(self._local, "connection", None)
        if connection is None:
            connection = self._local.connection = http.client.HTTPConnection(self.host, self.port, timeout=60)
        return connection

    def __call__(self, environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        length = int(environ.get("CONTENT_LENGTH") or 0)
        body = environ["wsgi.input"].read(length) if length else b""
        headers = {
            key[5:].replace("_", "-").title(): value for key, value in environ.items() if key.startswith("HTTP_")
        }
        if environ.get("CONTENT_TYPE"):
            headers["Content-Type"] = environ["CONTENT_TYPE"]
        headers = {k: v for k, v in headers.items() if k.lower() not in self._HOP}
        path = environ.get("PATH_INFO") or "/"
        if environ.get("QUERY_STRING"):
            path += "?" + environ["QUERY_STRING"]
        for attempt in (1, 2):  # a keep-alive connection the server closed meanwhile is reopened once
            connection = self._connection()
            try:
                connection.request(environ["REQUEST_METHOD"], path, body=body, headers=headers)
                response = connection.getresponse()
                payload = response.read()
                break
            except (http.client.HTTPException, ConnectionError):
                connection.close()
                self._local.connection = None
                if attempt == 2:
                    raise
        kept = [(k, v) for k, v in response.getheaders() if k.lower() not in self._HOP]
        start_response(f"{response.status} {response.reason}", [*kept, ("Content-Length", str(len(payload)))])
        return [payload]


class GateServer:
    """The gate on its own local port, in front of a database at `endpoint` (DYNAMODB_ENDPOINT)."""

    def __init__(self, endpoint: str, gate: IamGate) -> None:
        self.gate = gate.wrap(Forwarder(endpoint))
        self._server: Any = None

    def start(self) -> str:
        from werkzeug.serving import make_server

        logging.getLogger("werkzeug").setLevel(logging.ERROR)
        self._server = make_server("127.0.0.1", 0, self.gate, threaded=True)
        threading.Thread(target=self._server.serve_forever, name="iam-gate", daemon=True).start()
        return f"http://127.0.0.1:{self._server.server_address[1]}"

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server = None
