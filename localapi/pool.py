"""Execution environments as Lambda keeps them: one worker process per concurrent request of a function,
started on demand (INIT), reused while warm, discarded after a timeout, a crash or a code change.

A worker is `localapi/worker.py` in its own interpreter with only the function's environment, so module
state (caches, clients, settings) is never shared between functions or between concurrent requests.
With a `Zygote` (tests: `Runtime(prefork=True)`), a worker is instead forked from a process that has
already imported the third-party modules (PRELOADED): same isolation, without paying their import on
every new environment (the test suite starts thousands).
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import select
import signal
import socket
import subprocess
import sys
import threading
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

from localapi.worker import Channel

log = logging.getLogger("localapi")
WORKER_SCRIPT = Path(__file__).resolve().with_name("worker.py")
INIT_TIMEOUT_SECONDS = 10.0  # Lambda's INIT phase limit for on-demand functions
IDLE_SECONDS = 300.0  # a warm environment unused this long is discarded
# What a zygote imports before forking: the layer's third-party dependencies that a function imports on
# its first request anyway, never the layer itself (conduit reads its settings from the environment).
# Not the X-Ray SDK: it reads the whole environment when imported (it would fit no function; tracing is off
# locally anyway). Whatever a module reads then is checked against each function (Zygote.fits).
PRELOADED = (
    "botocore.session",
    "botocore.client",
    "botocore.httpsession",
    "botocore.parsers",
    "botocore.serialize",
    "botocore.regions",
    "botocore.credentials",
    "pydantic",
    "aws_lambda_powertools",
    "aws_lambda_powertools.logging",
    "aws_lambda_powertools.metrics",
    "aws_lambda_powertools.utilities.idempotency",
    "jwt",
    "argon2",
    "email_validator",
    "anyascii",
    "graphql",
    "starlette",
    "strawberry",
    "mangum",
)


class HookAnswerer(Protocol):
    def answer(self, hook: dict[str, Any]) -> dict[str, Any]: ...


@dataclass(frozen=True)
class FunctionSpec:
    """What Lambda knows of a function: code, handler, layers, limits and its own environment."""

    name: str
    code_dir: Path
    handler: str
    layer_paths: tuple[Path, ...]
    environment: dict[str, str]
    memory_mb: int
    timeout_seconds: float
    python: str = sys.executable
    extra_paths: tuple[Path, ...] = ()  # the Lambda runtime's own SDK in built mode
    isolated_site: bool = False  # -S: no site-packages at all (built mode)


class InvocationError(Exception):
    """The function failed: an unhandled error, a timeout, an INIT failure or an invalid response."""

    def __init__(self, error_type: str, message: str, detail: dict[str, Any] | None = None) -> None:
        super().__init__(f"{error_type}: {message}")
        self.error_type, self.message, self.detail = error_type, message, detail or {}


@dataclass
class Worker:
    spec: FunctionSpec
    process: subprocess.Popen[bytes] | ForkedProcess
    channel: Channel
    generation: int
    last_used: float = field(default_factory=time.monotonic)
    init_ms: float = 0.0

    @classmethod
    def start(cls, spec: FunctionSpec, generation: int, instrumented: bool, zygote: Zygote | None = None) -> Worker:
        to_child_r, to_child_w = os.pipe()
        from_child_r, from_child_w = os.pipe()
        environment = {**spec.environment, "PYTHONUNBUFFERED": "1"}
        process: subprocess.Popen[bytes] | ForkedProcess | None = None
        if zygote is not None and zygote.fits(spec):
            process = zygote.fork(environment, spec.code_dir, to_child_r, from_child_w)
        if process is None:
            flags = ["-I", "-S"] if spec.isolated_site else ["-I"]
            process = subprocess.Popen(
                [spec.python, *flags, str(WORKER_SCRIPT), str(to_child_r), str(from_child_w)],
                env=environment,
                pass_fds=(to_child_r, from_child_w),
                stdin=subprocess.DEVNULL,
                stdout=sys.stderr.fileno() if _has_fileno(sys.stderr) else None,
                cwd=str(spec.code_dir),
            )
        os.close(to_child_r)
        os.close(from_child_w)
        worker = cls(spec, process, Channel(from_child_r, to_child_w), generation)
        worker.channel.send(
            {
                "init": {
                    "handler": spec.handler,
                    "task_root": str(spec.code_dir),
                    "sys_path": [str(p) for p in (spec.code_dir, *spec.layer_paths, *spec.extra_paths)],
                    "instrumented": instrumented,
                }
            }
        )
        try:
            message = worker.receive(time.monotonic() + INIT_TIMEOUT_SECONDS, hooks=None)
        except TimeoutError:
            worker.kill()
            raise InvocationError("Runtime.InitTimeout", f"INIT exceeded {INIT_TIMEOUT_SECONDS:.0f} seconds") from None
        except InvocationError:
            worker.kill()
            raise
        if "init_error" in message:
            worker.kill()
            error = message["init_error"]
            raise InvocationError(error["errorType"], error["errorMessage"], error)
        worker.init_ms = message["ready"]["init_ms"]
        return worker

    def receive(self, deadline: float, hooks: HookAnswerer | None) -> dict[str, Any]:
        """The next message that is not a hook question; answers hook questions on the way."""
        while True:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise TimeoutError
            ready, _, _ = select.select([self.channel.read_fd], [], [], remaining)
            if not ready:
                raise TimeoutError
            try:
                message = self.channel.receive()
            except (EOFError, OSError) as exc:
                code = self.process.poll()
                shown = "" if code is None or isinstance(self.process, ForkedProcess) else f" ({code})"
                raise InvocationError("Runtime.ExitError", f"the process exited{shown}") from exc
            if "hook" not in message:
                return message
            reply = hooks.answer(message["hook"]) if hooks else {"action": "pass"}
            self.channel.send({"reply": reply})

    def invoke(self, event_json: str, context: dict[str, Any], deadline: float, hooks: HookAnswerer | None) -> str:
        self.channel.send(
            {"invoke": {"event": json.loads(event_json), "context": context, "instrumented": bool(hooks)}}
        )
        message = self.receive(deadline, hooks)
        self.last_used = time.monotonic()
        if "error" in message:
            error = message["error"]
            raise InvocationError(error["errorType"], error["errorMessage"], error)
        return message["result"]

    def kill(self) -> None:
        if self.process.poll() is None:
            self.process.kill()
        with contextlib.suppress(subprocess.TimeoutExpired):
            self.process.wait(timeout=5)
        for fd in (self.channel.read_fd, self.channel.write_fd):
            with contextlib.suppress(OSError):
                os.close(fd)


class ForkedProcess:
    """A worker forked by the zygote (not our child: the zygote's, reaped by the kernel), watched through
    a pidfd. The Popen methods the pool uses; an exit status is not known here."""

    def __init__(self, pid: int) -> None:
        self.pid = pid
        self.returncode: int | None = None
        self._lock = threading.Lock()
        try:
            self._fd: int | None = os.pidfd_open(pid)
        except ProcessLookupError:  # already gone (an INIT that exited at once)
            self._fd, self.returncode = None, -1

    def poll(self) -> int | None:
        with self._lock:
            fd = self._fd
        if self.returncode is None and fd is not None:
            ready, _, _ = select.select([fd], [], [], 0)
            if ready:
                self._exited()
        return self.returncode

    def wait(self, timeout: float | None = None) -> int:
        with self._lock:
            fd = self._fd
        if self.returncode is None and fd is not None:
            ready, _, _ = select.select([fd], [], [], timeout)
            if not ready:
                raise subprocess.TimeoutExpired(f"pid {self.pid}", timeout or 0)
            self._exited()
        return self.returncode if self.returncode is not None else -1

    def kill(self) -> None:
        with self._lock:
            if self.returncode is None and self._fd is not None:
                with contextlib.suppress(ProcessLookupError):
                    signal.pidfd_send_signal(self._fd, signal.SIGKILL)

    def _exited(self) -> None:
        with self._lock:
            self.returncode = -1  # gone; its status went to the kernel, not to us
            if self._fd is not None:
                os.close(self._fd)
                self._fd = None


class Zygote:
    """One `worker.py --zygote` process that forks the environments of source-mode functions (see
    localapi/worker.py, `zygote`). If it cannot start or dies, workers are started as new interpreters."""

    def __init__(
        self, environment: dict[str, str], python: str = sys.executable, modules: tuple[str, ...] = PRELOADED
    ) -> None:
        self.environment = environment  # its own: what every function's environment has in common
        self.python, self.modules = python, modules
        self.read: dict[str, str | None] = {}  # variables the preloaded modules read, with their values
        self.read_all = False
        self._socket: socket.socket | None = None
        self._pending = False
        self._process: subprocess.Popen[bytes] | None = None
        self._lock = threading.Lock()

    @staticmethod
    def supported() -> bool:
        return hasattr(os, "fork") and hasattr(os, "pidfd_open") and hasattr(socket, "send_fds")

    def start(self) -> Zygote:
        """Starts the process; its imports go on until `wait_ready` (or the first fork) waits for them."""
        ours, theirs = socket.socketpair(socket.AF_UNIX, socket.SOCK_SEQPACKET)
        self._process = subprocess.Popen(
            [self.python, "-I", str(WORKER_SCRIPT), "--zygote", str(theirs.fileno()), *self.modules],
            env=self.environment,
            pass_fds=(theirs.fileno(),),
            stdin=subprocess.DEVNULL,
            stdout=sys.stderr.fileno() if _has_fileno(sys.stderr) else None,
            cwd=str(WORKER_SCRIPT.parent),
        )
        theirs.close()
        self._socket = ours
        self._pending = True
        return self

    def _ready(self) -> bool:
        """Under the lock: whether it can fork (waits for its imports the first time)."""
        if self._pending and self._socket is not None:
            self._pending = False
            self._socket.settimeout(120)
            try:
                ready = json.loads(self._socket.recv(1 << 20))["ready"]
            except (OSError, ValueError, KeyError):
                self._socket.close()
                self._socket = None
                log.warning("the zygote did not start: environments start as new interpreters")
                return False
            self._socket.settimeout(INIT_TIMEOUT_SECONDS)
            self.read, self.read_all = ready["read"], ready["read_all"]
        return self._socket is not None

    def wait_ready(self) -> bool:
        with self._lock:
            return self._ready()

    def fits(self, spec: FunctionSpec) -> bool:
        """Only source-mode functions on this interpreter whose environment agrees with every variable a
        preloaded module read while it was imported."""
        with self._lock:
            if not self._ready():
                return False
        return (
            not spec.isolated_site
            and not spec.extra_paths
            and spec.python == self.python
            and not self.read_all
            and all(spec.environment.get(name) == value for name, value in self.read.items())
        )

    def fork(self, environment: dict[str, str], cwd: Path, read_fd: int, write_fd: int) -> ForkedProcess | None:
        out_fd = sys.stderr.fileno() if _has_fileno(sys.stderr) else 1
        request = json.dumps({"environment": environment, "cwd": str(cwd)}).encode("utf-8")
        with self._lock:
            if not self._ready():
                return None
            try:
                socket.send_fds(self._socket, [request], [read_fd, write_fd, out_fd, 2])
                pid = json.loads(self._socket.recv(1 << 16))["pid"]
            except (OSError, ValueError, KeyError):
                log.warning("the zygote is gone: environments start as new interpreters")
                self._socket.close()
                self._socket = None
                return None
        return ForkedProcess(pid)

    def stop(self) -> None:
        with self._lock:
            if self._socket is not None:
                self._socket.close()
                self._socket = None
        if self._process is not None:
            with contextlib.suppress(subprocess.TimeoutExpired):
                self._process.wait(timeout=5)
            if self._process.poll() is None:
                self._process.kill()
                self._process.wait()


def _has_fileno(stream: Any) -> bool:
    try:
        stream.fileno()
    except (AttributeError, OSError, ValueError):
        return False
    return True


class FunctionPool:
    """The warm environments of one function. `concurrency` caps how many run at once here (a request
    beyond it waits for a free one instead of starting more processes than the machine can hold)."""

    def __init__(self, spec: FunctionSpec, concurrency: int, zygote: Zygote | None = None) -> None:
        self.spec = spec
        self.concurrency = concurrency
        self.zygote = zygote
        self.generation = 0
        self.started = 0  # environments started (cold starts), for tests and logs
        self._idle: list[Worker] = []
        self._busy = 0
        self._condition = threading.Condition()

    def acquire(self, instrumented: bool) -> Worker:
        with self._condition:
            while True:
                while self._idle:
                    worker = self._idle.pop()
                    if worker.process.poll() is None and worker.generation == self.generation:
                        self._busy += 1
                        return worker
                    worker.kill()
                if self._busy < self.concurrency:
                    self._busy += 1
                    generation = self.generation
                    break
                self._condition.wait()
        try:
            worker = Worker.start(self.spec, generation, instrumented, self.zygote)
        except BaseException:
            with self._condition:
                self._busy -= 1
                self._condition.notify()
            raise
        with self._condition:
            self.started += 1
        return worker

    def release(self, worker: Worker, healthy: bool) -> None:
        with self._condition:
            self._busy -= 1
            if healthy and worker.generation == self.generation and worker.process.poll() is None:
                self._idle.append(worker)
            else:
                threading.Thread(target=worker.kill, daemon=True).start()
            self._condition.notify()

    def retire(self, spec: FunctionSpec | None = None) -> None:
        """Discard every warm environment (new code or configuration): the next request starts a new one."""
        with self._condition:
            if spec is not None:
                self.spec = spec
            self.generation += 1
            idle, self._idle = self._idle, []
        for worker in idle:
            worker.kill()

    def reap_idle(self, now: float) -> None:
        with self._condition:
            keep = [w for w in self._idle if now - w.last_used < IDLE_SECONDS]
            stale = [w for w in self._idle if w not in keep]
            self._idle = keep
        for worker in stale:
            worker.kill()

    def invocation_context(self, request_id: str, deadline: float) -> dict[str, Any]:
        name = self.spec.name
        return {
            "function_name": name,
            "invoked_function_arn": f"arn:aws:lambda:us-east-1:000000000000:function:{name}",
            "memory_limit_in_mb": self.spec.memory_mb,
            "aws_request_id": request_id,
            "log_group_name": f"/aws/lambda/{name}",
            "log_stream_name": f"{time.strftime('%Y/%m/%d')}/[$LATEST]{uuid.uuid4().hex}",
            "deadline_ms": time.time() * 1000 + (deadline - time.monotonic()) * 1000,
        }
