"""The template's functions run as Lambda runs them: each in its own worker processes (localapi/pool.py)
with only its own environment (Lambda's variables + Globals + its Environment, intrinsics resolved, plus
the local overrides), its Timeout and memory setting, Lambda's 6 MB payload limits, and its IAM role
enforced on its DynamoDB calls (localapi/iam.py, localapi/gate.py).

Code comes from the source tree (functions/<name>/ + layers/<name>/ on the development interpreter) or,
with `BuiltCode`, from `sam build`-style artifacts only (function dir + layer python/ + the Lambda runtime's
SDK, on a bare python3.13), as deployed.
"""

from __future__ import annotations

import contextlib
import functools
import json
import logging
import os
import secrets
import threading
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from localapi import database, iam, instruments
from localapi.cfn import REGION, Stack
from localapi.gate import GateServer, IamGate
from localapi.pool import FunctionPool, FunctionSpec, InvocationError, Zygote
from localapi.queues import LocalAws, QueuePoller
from localapi.reload import CodeWatcher
from localapi.streams import StreamPoller
from localapi.template import ROOT, Route, Template

log = logging.getLogger("localapi")

MAX_REQUEST_PAYLOAD = 6 * 1024 * 1024  # Lambda: synchronous Invoke request (the whole event JSON)
MAX_RESPONSE_PAYLOAD = 6 * 1024 * 1024 + 100  # Lambda: synchronous response, as measured on AWS
INTEGRATION_TIMEOUT_SECONDS = 30.0  # API Gateway HTTP API: the most it waits for an integration
DEFAULT_CONCURRENCY = 8  # warm environments per function at once on this machine (beyond: requests wait)
ADMIN_CREDENTIALS = {"AWS_ACCESS_KEY_ID": "local", "AWS_SECRET_ACCESS_KEY": "local"}


class PayloadTooLarge(Exception):
    """The event is larger than Lambda's synchronous invocation payload limit."""


class IntegrationTimeout(Exception):
    """The function did not answer within API Gateway's integration timeout."""


@dataclass(frozen=True)
class BuiltCode:
    """Functions from built artifacts: build_dir/<FunctionId>/ and build_dir/<LayerId>/python/, run by
    `python` (a real 3.13) without site-packages; `runtime_dir` holds the runtime's boto3/botocore."""

    build_dir: Path
    python: str
    runtime_dir: Path | None = None


class Runtime:
    """The template's functions, their environments and the database they talk to."""

    def __init__(
        self,
        template: Template,
        endpoint: str | None = None,
        table_suffix: str = "",
        *,
        environment: dict[str, str] | None = None,
        code: BuiltCode | None = None,
        instrumented: bool = False,
        concurrency: int = DEFAULT_CONCURRENCY,
        integration_timeout: float = INTEGRATION_TIMEOUT_SECONDS,
        prefork: bool = False,
    ) -> None:
        self.template = template
        self.routes = template.routes()
        self.endpoint = endpoint or None  # None: an embedded moto DynamoDB of its own
        self.table_names = database.local_table_names(template, table_suffix)
        self.overrides = dict(environment or {})  # like `sam local --env-vars`: applied to every function
        self.code = code
        self.instrumented = instrumented
        self.concurrency = concurrency
        self.integration_timeout = integration_timeout  # API Gateway's, for requests through the local API
        # Fork new environments from a zygote that has imported the third-party modules (localapi/pool.py):
        # for the test suite, which starts thousands; off for `make api` and anything measuring INIT.
        self.prefork = prefork and code is None and Zygote.supported()
        self.zygote: Zygote | None = None
        self.stack = Stack(template.raw, self.table_names)
        self.gate = IamGate()
        self.functions_endpoint = ""  # what the functions' DYNAMODB_ENDPOINT points at (the IAM gate)
        self.jwt_secret = ""
        self.pollers: list[StreamPoller] = []
        self.aws: LocalAws | None = None  # SQS, SES and S3 on moto (localapi/queues.py)
        self.queue_pollers: list[QueuePoller] = []
        self._embedded: database.EmbeddedDynamoDB | None = None
        self._gate_server: GateServer | None = None
        self._watcher: CodeWatcher | None = None
        self._stopped = threading.Event()
        self._pools: dict[str, FunctionPool] = {}
        self._pools_lock = threading.Lock()
        self._secrets = {name: secrets.token_hex(20) for name in template.functions()}

    # lifecycle -----------------------------------------------------------------------------------

    def start(self, db_port: int = 0, db_host: str = "127.0.0.1") -> Runtime:
        for key, value in {**ADMIN_CREDENTIALS, "AWS_REGION": REGION, "AWS_DEFAULT_REGION": REGION}.items():
            os.environ.setdefault(key, value)
        self._resolve_roles()
        if self.endpoint is None:
            self._embedded = database.EmbeddedDynamoDB(db_port, db_host, middleware=self.gate.wrap)
            self.endpoint = self._embedded.start()
            self.functions_endpoint = self.endpoint
        else:
            self._gate_server = GateServer(self.endpoint, self.gate)
            self.functions_endpoint = self._gate_server.start()
        self.aws = LocalAws(self.template, self.stack).start()
        self.stack.resource_refs.update(self.aws.refs)
        self._resolve_roles()
        self.queue_pollers = self.aws.pollers(
            lambda function: functools.partial(self.invoke, function, integration_timeout=None)
        )
        # A fresh random signing secret per local run unless the developer sets one.
        self.jwt_secret = self.overrides.get("JWT_SECRET") or os.environ.get("JWT_SECRET") or secrets.token_urlsafe(48)
        if self.prefork:  # its imports go on while the tables are created
            self.zygote = Zygote(self._shared_environment()).start()
        database.create_tables(self.template, self.endpoint, self.table_names)
        threading.Thread(target=self._reap_idle_environments, name="environment-reaper", daemon=True).start()
        self.pollers = [
            StreamPoller(
                self.endpoint,
                self.table_names[table],
                functools.partial(self.invoke, function, integration_timeout=None),  # an event source mapping
            )
            for function, table in self.template.stream_functions()
            if table in self.table_names
        ]
        if self.zygote:
            self.zygote.wait_ready()  # not on the clock of the first request (a gateway timeout counts INIT)
        return self

    def _shared_environment(self) -> dict[str, str]:
        """The variables (with their values) that every function's environment has."""
        environments = [self.environment_of(name) for name in self.template.functions()]
        shared = dict(environments[0]) if environments else {}
        for environment in environments[1:]:
            shared = {key: value for key, value in shared.items() if environment.get(key) == value}
        return shared

    def start_stream_pollers(self) -> Runtime:
        """Deliver the table's stream to the stream-triggered functions in the background."""
        for poller in [*self.pollers, *self.queue_pollers]:
            poller.start()
        return self

    def drain_queues(self) -> int:
        """Deliver every queued message now (SQS event source mappings); returns how many were handled."""
        return sum(poller.drain() for poller in self.queue_pollers)

    def drain_streams(self) -> int:
        """Deliver every pending stream record now (in template order); returns how many."""
        return sum(poller.drain() for poller in self.pollers)

    def watch_code(self, interval: float = 0.5) -> Runtime:
        """Reload a function when its code or a layer it uses changes (source mode only, as `sam local`
        reads the code again on every invocation)."""
        if self.code is None:
            sources = {name: (self._code_dir(name), *self._layer_paths(name)) for name in self.template.functions()}
            self._watcher = CodeWatcher(sources, self._reload, interval).start()
        return self

    def _reload(self, functions: list[str], changed: list[Path]) -> None:
        shown = ", ".join(
            str(path.relative_to(ROOT)) if path.is_relative_to(ROOT) else str(path) for path in changed[:3]
        )
        more = f" and {len(changed) - 3} more" if len(changed) > 3 else ""
        log.info("reloaded %s (%s%s changed)", ", ".join(functions), shown, more)
        self.retire(functions)

    def _reap_idle_environments(self) -> None:
        """Lambda discards environments left unused for a while: so do we (every warm one is a process)."""
        while not self._stopped.wait(30):
            with self._pools_lock:
                pools = list(self._pools.values())
            for pool in pools:
                pool.reap_idle(time.monotonic())

    def stop(self) -> None:
        self._stopped.set()
        if self._watcher:
            self._watcher.stop()
        for poller in [*self.pollers, *self.queue_pollers]:
            poller.stop()
        if self.aws:
            self.aws.stop()
        with self._pools_lock:
            pools = list(self._pools.values())
        for pool in pools:
            pool.retire()
        if self.zygote:
            self.zygote.stop()
        if self._gate_server:
            self._gate_server.stop()
        if self._embedded:
            self._embedded.stop()

    # configuration -------------------------------------------------------------------------------

    def function_names(self) -> list[str]:
        return sorted(self.template.functions())

    def route_for(self, function: str) -> Route:
        for route in self.routes:
            if route.function == function:
                return route
        raise KeyError(f"no HttpApi route for {function}")

    def environment_of(self, function: str) -> dict[str, str]:
        """Exactly the variables the function's process gets."""
        code_dir = self._code_dir(function)
        memory = int(self.template.function_setting(function, "MemorySize", 128))
        logging_config = self.template.function_setting(function, "LoggingConfig", {}) or {}
        env = {
            "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
            "LANG": "en_US.UTF-8",
            "TZ": ":UTC",
            "AWS_EXECUTION_ENV": "AWS_Lambda_python3.13",
            "AWS_LAMBDA_FUNCTION_NAME": function,
            "AWS_LAMBDA_FUNCTION_VERSION": "$LATEST",
            "AWS_LAMBDA_FUNCTION_MEMORY_SIZE": str(memory),
            "AWS_LAMBDA_LOG_GROUP_NAME": f"/aws/lambda/{function}",
            "AWS_LAMBDA_LOG_STREAM_NAME": f"local/[$LATEST]{function}",
            "AWS_REGION": REGION,
            "AWS_DEFAULT_REGION": REGION,
            "LAMBDA_TASK_ROOT": str(code_dir),
            "AWS_ACCESS_KEY_ID": iam.access_key(function),
            "AWS_SECRET_ACCESS_KEY": self._secrets[function],
            "AWS_SESSION_TOKEN": f"local-session-{function}",
            "AWS_SAM_LOCAL": "true",  # as `sam local` sets it: no X-Ray daemon here
        }
        if logging_config.get("LogFormat") == "JSON":
            env["AWS_LAMBDA_LOG_FORMAT"] = "JSON"
            env["AWS_LAMBDA_LOG_LEVEL"] = str(logging_config.get("ApplicationLogLevel", "INFO"))
        for key, value in self.template.variables(function).items():
            resolved = self.stack.resolve(value)
            if isinstance(resolved, str | int | float | bool):
                env[key] = str(resolved)
        if self.aws:
            env.update(self.aws.environment())
        env.update(self.overrides)
        env["DYNAMODB_ENDPOINT"] = self.functions_endpoint
        env["JWT_SECRET"] = self.jwt_secret
        env["JWT_SECRET_PARAMETER"] = ""  # no SSM here: the secret comes from JWT_SECRET
        return env

    def operator_environment(self) -> dict[str, str]:
        """Variables with which code outside the functions (tests, tools such as tools.grant_role) reaches the
        same table directly, as an operator's shell would. The functions never see the harness's environment."""
        return {
            "TABLE_NAME": next(iter(self.table_names.values()), ""),
            "DYNAMODB_ENDPOINT": self.endpoint or "",
            "JWT_SECRET": self.jwt_secret,
        }

    def configure(self, **variables: str | None) -> None:
        """Change the local overrides (None removes one), as an UpdateFunctionConfiguration would: every
        function starts new environments with the new variables."""
        for key, value in variables.items():
            if value is None:
                self.overrides.pop(key, None)
            else:
                self.overrides[key] = str(value)
        self.retire()

    @contextlib.contextmanager
    def configured(self, **variables: str | int) -> Iterator[None]:
        saved = {key: self.overrides.get(key) for key in variables}
        self.configure(**{key: str(value) for key, value in variables.items()})
        try:
            yield
        finally:
            self.configure(**saved)

    @contextlib.contextmanager
    def using_table(self, name: str) -> Iterator[None]:
        """The stack as if deployed with another physical table (a test's own table): the functions' TABLE_NAME
        and their roles' table ARNs follow it; back afterwards."""
        (logical,) = self.table_names
        saved = self.table_names[logical]
        self._set_table(logical, name)
        try:
            yield
        finally:
            self._set_table(logical, saved)

    def _set_table(self, logical: str, name: str) -> None:
        self.table_names[logical] = name
        self.stack = Stack(self.template.raw, self.table_names, resource_refs=self.stack.resource_refs)
        self._resolve_roles()
        self.retire()

    def _resolve_roles(self) -> None:
        roles = {iam.access_key(name): role for name, role in iam.roles(self.stack).items()}
        self.gate.roles_by_key.clear()
        self.gate.roles_by_key.update(roles)

    def retire(self, functions: list[str] | None = None) -> None:
        """New environments (and specs) for these functions (all by default) from the next request on."""
        with self._pools_lock:
            pools = [p for name, p in self._pools.items() if functions is None or name in functions]
        for pool in pools:
            pool.retire(self._spec(pool.spec.name))

    def pool(self, function: str) -> FunctionPool:
        with self._pools_lock:
            if function not in self._pools:
                self._pools[function] = FunctionPool(self._spec(function), self.concurrency, self.zygote)
            return self._pools[function]

    def _code_dir(self, function: str) -> Path:
        if self.code:
            return self.code.build_dir / function
        return ROOT / self.template.functions()[function]["CodeUri"]

    def _layer_paths(self, function: str) -> tuple[Path, ...]:
        resources = self.template.resources
        paths = []
        for layer in self.template.function_layers(function):
            if self.code:
                paths.append(self.code.build_dir / layer / "python")
            else:
                paths.append(ROOT / resources[layer]["Properties"]["ContentUri"])
        return tuple(paths)

    def _spec(self, function: str) -> FunctionSpec:
        extra = (self.code.runtime_dir,) if self.code and self.code.runtime_dir else ()
        return FunctionSpec(
            name=function,
            code_dir=self._code_dir(function),
            handler=self.template.handler(function),
            layer_paths=self._layer_paths(function),
            environment=self.environment_of(function),
            memory_mb=int(self.template.function_setting(function, "MemorySize", 128)),
            timeout_seconds=float(self.template.function_setting(function, "Timeout", 3)),
            python=self.code.python if self.code else FunctionSpec.python,
            extra_paths=extra,
            isolated_site=bool(self.code),
        )

    # invocation ----------------------------------------------------------------------------------

    def invoke(
        self, function: str, event: dict[str, Any], integration_timeout: float | None = INTEGRATION_TIMEOUT_SECONDS
    ) -> Any:
        """A synchronous Invoke of the function (as API Gateway and `sam local invoke` make it): its
        parsed response; InvocationError, PayloadTooLarge or IntegrationTimeout as Lambda/API Gateway fail.
        `integration_timeout` is API Gateway's (None for an event source mapping or a direct invoke)."""
        event_json = json.dumps(event, ensure_ascii=False)
        if len(event_json.encode("utf-8")) > MAX_REQUEST_PAYLOAD:
            raise PayloadTooLarge(f"Request must be smaller than {MAX_REQUEST_PAYLOAD} bytes for the Invoke operation")
        pool = self.pool(function)
        timeout = pool.spec.timeout_seconds
        received = time.monotonic()
        gateway_deadline = received + integration_timeout if integration_timeout else float("inf")
        worker = pool.acquire(self.instrumented)  # INIT of a new environment has its own limit (10 s)
        function_deadline = time.monotonic() + timeout
        healthy = False
        try:
            context = pool.invocation_context(str(uuid.uuid4()), function_deadline)
            answer = worker.invoke(event_json, context, min(function_deadline, gateway_deadline), instruments.current())
            healthy = True
        except TimeoutError:
            if gateway_deadline < function_deadline and time.monotonic() >= gateway_deadline:
                raise IntegrationTimeout(function) from None
            log.warning("%s: Task timed out after %.2f seconds", function, timeout)
            raise InvocationError("Sandbox.Timedout", f"Task timed out after {timeout:.2f} seconds") from None
        except InvocationError as error:
            healthy = error.error_type not in ("Runtime.ExitError",)
            log.warning("%s failed: %s %s", function, error.error_type, error.message)
            raise
        finally:
            pool.release(worker, healthy)
        if len(answer.encode("utf-8")) > MAX_RESPONSE_PAYLOAD:
            raise InvocationError(
                "Function.ResponseSizeTooLarge",
                f"Response payload size exceeded maximum allowed payload size ({MAX_RESPONSE_PAYLOAD} bytes).",
            )
        return json.loads(answer)
