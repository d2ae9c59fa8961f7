"""Execution environments as Lambda keeps them: one worker process per concurrent request of a function,
started on demand (INIT), reused while warm, discarded after a timeout, a crash or a code change.

A worker is `localapi/worker.py` in its own interpreter with only the function's environment, so module
state (caches, clients, settings) is never shared between functions or between concurrent requests.
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import select
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
    process: subprocess.Popen[bytes]
    channel: Channel
    generation: int
    last_used: float = field(default_factory=time.monotonic)
    init_ms: float = 0.0

    @classmethod
    def start(cls, spec: FunctionSpec, generation: int, instrumented: bool) -> Worker:
        to_child_r, to_child_w = os.pipe()
        from_child_r, from_child_w = os.pipe()
        flags = ["-I", "-S"] if spec.isolated_site else ["-I"]
        environment = {**spec.environment, "PYTHONUNBUFFERED": "1"}
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
                raise InvocationError("Runtime.ExitError", f"the process exited ({code})") from exc
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


def _has_fileno(stream: Any) -> bool:
    try:
        stream.fileno()
    except (AttributeError, OSError, ValueError):
        return False
    return True


class FunctionPool:
    """The warm environments of one function. `concurrency` caps how many run at once here (a request
    beyond it waits for a free one instead of starting more processes than the machine can hold)."""

    def __init__(self, spec: FunctionSpec, concurrency: int) -> None:
        self.spec = spec
        self.concurrency = concurrency
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
            worker = Worker.start(self.spec, generation, instrumented)
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
