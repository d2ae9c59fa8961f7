"""Loads the template's handlers in-process and calls them as Lambda would (event, context)."""

from __future__ import annotations

import functools
import importlib.util
import os
import secrets
import sys
import time
import uuid
from dataclasses import dataclass, field
from types import ModuleType
from typing import Any

from localapi import database
from localapi.streams import StreamPoller
from localapi.template import Route, Template

LOCAL_CREDENTIALS = {
    "AWS_ACCESS_KEY_ID": "local",
    "AWS_SECRET_ACCESS_KEY": "local",
    "AWS_REGION": "us-east-1",
    "AWS_DEFAULT_REGION": "us-east-1",
}


@dataclass
class LambdaContext:
    """The attributes of Lambda's context object that handlers and Powertools read."""

    function_name: str
    memory_limit_in_mb: int = 512
    timeout_seconds: int = 10
    aws_request_id: str = field(default_factory=lambda: str(uuid.uuid4()))
    invoked_function_arn: str = ""
    _deadline: float = field(default_factory=time.monotonic)

    def __post_init__(self) -> None:
        self.invoked_function_arn = f"arn:aws:lambda:us-east-1:000000000000:function:{self.function_name}"
        self._deadline = time.monotonic() + self.timeout_seconds

    def get_remaining_time_in_millis(self) -> int:
        return max(int((self._deadline - time.monotonic()) * 1000), 0)


class Runtime:
    """The template's functions, their environment and the database they talk to."""

    def __init__(self, template: Template, endpoint: str | None = None, table_suffix: str = "") -> None:
        self.template = template
        self.routes = template.routes()
        self._embedded: database.EmbeddedDynamoDB | None = None
        self._modules: dict[str, ModuleType] = {}
        self.endpoint = endpoint or os.environ.get("DYNAMODB_ENDPOINT") or None
        self.table_names = database.local_table_names(template, table_suffix)
        self.pollers: list[StreamPoller] = []

    def start(self, db_port: int = 0) -> Runtime:
        for key, value in LOCAL_CREDENTIALS.items():
            os.environ.setdefault(key, value)
        if self.endpoint is None:
            self._embedded = database.EmbeddedDynamoDB(db_port)
            self.endpoint = self._embedded.start()
        database.create_tables(self.template, self.endpoint, self.table_names)
        for layer in self.template.layer_dirs():
            if str(layer) not in sys.path:
                sys.path.insert(0, str(layer))
        self._configure_environment()
        self.pollers = [
            StreamPoller(self.endpoint, self.table_names[table], functools.partial(self.invoke, function))
            for function, table in self.template.stream_functions()
            if table in self.table_names
        ]
        return self

    def start_stream_pollers(self) -> Runtime:
        """Deliver the table's stream to the stream-triggered functions in the background."""
        for poller in self.pollers:
            poller.start()
        return self

    def drain_streams(self) -> int:
        """Deliver every pending stream record now (in template order); returns how many."""
        return sum(poller.drain() for poller in self.pollers)

    def stop(self) -> None:
        for poller in self.pollers:
            poller.stop()
        if self._embedded:
            self._embedded.stop()

    def _configure_environment(self) -> None:
        refs = dict(self.table_names)
        for route in self.routes:
            for key, value in self.template.environment(route.function, refs).items():
                if value or not os.environ.get(key):  # an empty template value never hides the developer's
                    os.environ[key] = value
        os.environ["DYNAMODB_ENDPOINT"] = self.endpoint or ""
        # A fresh random signing secret per local run unless the developer sets one.
        if not os.environ.get("JWT_SECRET"):
            os.environ["JWT_SECRET"] = secrets.token_urlsafe(48)
        os.environ.pop("JWT_SECRET_PARAMETER", None)
        from conduit.settings import get_settings

        get_settings.cache_clear()

    def function_names(self) -> list[str]:
        return sorted(self.template.functions())

    def route_for(self, function: str) -> Route:
        for route in self.routes:
            if route.function == function:
                return route
        raise KeyError(f"no HttpApi route for {function}")

    def invoke(self, function: str, event: dict[str, Any]) -> dict[str, Any]:
        props = self.template.functions()[function]
        globals_fn = self.template.raw.get("Globals", {}).get("Function", {})
        module = self._module(function)
        handler_name = props.get("Handler", globals_fn.get("Handler", "app.handler")).rsplit(".", 1)[1]
        context = LambdaContext(
            function_name=function,
            memory_limit_in_mb=int(props.get("MemorySize", globals_fn.get("MemorySize", 512))),
            timeout_seconds=int(props.get("Timeout", globals_fn.get("Timeout", 10))),
        )
        return getattr(module, handler_name)(event, context)

    def _module(self, function: str) -> ModuleType:
        if function not in self._modules:
            props = self.template.functions()[function]
            globals_fn = self.template.raw.get("Globals", {}).get("Function", {})
            module_name = props.get("Handler", globals_fn.get("Handler", "app.handler")).rsplit(".", 1)[0]
            path = self.template_path(props["CodeUri"]) / f"{module_name.replace('.', '/')}.py"
            spec = importlib.util.spec_from_file_location(f"functions.{function}", path)
            assert spec and spec.loader
            module = importlib.util.module_from_spec(spec)
            spec.loader.exec_module(module)
            self._modules[function] = module
        return self._modules[function]

    @staticmethod
    def template_path(code_uri: str) -> Any:
        from localapi.template import ROOT

        return ROOT / code_uri
