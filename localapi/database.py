"""The local database: an embedded moto DynamoDB server, or DYNAMODB_ENDPOINT; tables from template.yaml."""

from __future__ import annotations

import logging
import os
import threading
from typing import Any

from localapi.template import Template

LOCAL_TABLE_PREFIX = "conduit-local"
CREATE_KEYS = ("AttributeDefinitions", "KeySchema", "GlobalSecondaryIndexes", "LocalSecondaryIndexes")


class EmbeddedDynamoDB:
    """moto's DynamoDB on a local port, in this process. Requests are served one at a time,
    so every call (transactions included) is atomic, as it is in DynamoDB.

    It listens on loopback only unless `host` says otherwise (e.g. "0.0.0.0", so that a
    `sam local invoke` container can reach it through host.docker.internal). It has no
    authentication: bind it to other interfaces only on a machine and network you trust."""

    def __init__(self, port: int = 0, host: str = "127.0.0.1", middleware: Any = None) -> None:
        self.port = port
        self.host = host
        self.middleware = middleware  # e.g. localapi.gate.IamGate.wrap: IAM checked before the lock
        self._server: Any = None
        self._thread: threading.Thread | None = None

    def start(self) -> str:
        from moto.server import DomainDispatcherApplication, create_backend_app
        from werkzeug.serving import make_server

        from localapi import moto_queries, moto_responses, moto_transactions

        moto_transactions.install()
        moto_queries.install()
        moto_responses.install()

        logging.getLogger("werkzeug").setLevel(logging.ERROR)
        app = DomainDispatcherApplication(create_backend_app)
        lock = threading.Lock()

        def serialized(environ: dict[str, Any], start_response: Any) -> Any:
            with lock:
                return list(app(environ, start_response))

        served = self.middleware(serialized) if self.middleware else serialized
        self._server = make_server(self.host, self.port, served, threaded=True)
        self.port = self._server.server_address[1]
        self._thread = threading.Thread(target=self._server.serve_forever, name="moto-dynamodb", daemon=True)
        self._thread.start()
        return self.endpoint

    @property
    def endpoint(self) -> str:
        """The URL this process uses (loopback when listening on every interface)."""
        host = "127.0.0.1" if self.host in ("", "0.0.0.0") else self.host
        if host in ("::", "::0"):
            host = "::1"
        return f"http://[{host}]:{self.port}" if ":" in host else f"http://{host}:{self.port}"

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server = None


def client(endpoint: str) -> Any:
    import boto3

    return boto3.client("dynamodb", endpoint_url=endpoint, region_name=os.environ.get("AWS_REGION", "us-east-1"))


def local_table_names(template: Template, suffix: str = "") -> dict[str, str]:
    """Logical id -> local physical name (the deployed names depend on the stage)."""
    return {logical: f"{LOCAL_TABLE_PREFIX}{suffix}" for logical in template.tables()}


def create_tables(template: Template, endpoint: str, names: dict[str, str]) -> None:
    """Create every AWS::DynamoDB::Table of the template (same keys, indexes, streams); idempotent."""
    ddb = client(endpoint)
    existing = set(ddb.list_tables().get("TableNames", []))
    for logical, props in template.tables().items():
        name = names[logical]
        if name in existing:
            continue
        request: dict[str, Any] = {key: props[key] for key in CREATE_KEYS if key in props}
        request["TableName"] = name
        request["BillingMode"] = "PAY_PER_REQUEST"
        stream = props.get("StreamSpecification")
        if stream:
            request["StreamSpecification"] = {
                "StreamEnabled": True,
                "StreamViewType": stream["StreamViewType"],
            }
        ddb.create_table(**request)
        ddb.get_waiter("table_exists").wait(TableName=name, WaiterConfig={"Delay": 0.2, "MaxAttempts": 100})
