"""One Lambda execution environment: a separate interpreter that imports one function's handler (INIT)
and then answers invocations one at a time, as Lambda's Python runtime does.

Started by localapi/pool.py as `python -I localapi/worker.py IN_FD OUT_FD` (built mode adds -S and a
sys.path of only the function, its layers and the Lambda runtime's SDK), or forked by a zygote
(`python -I localapi/worker.py --zygote CONTROL_FD MODULE...`, see `zygote` below). Standard library only: in built
mode nothing else is importable. The parent and this process speak length-prefixed JSON frames over two
pipes; the handler's stdout/stderr are the parent's (Lambda sends them to CloudWatch Logs).

Messages from the parent: {"init": {...}} once, then {"invoke": {...}} per request, and {"reply": ...}
answering a hook call. Messages to the parent: {"ready": ...} or {"init_error": ...}, {"result": ...} or
{"error": ...} per invocation, and {"hook": ...} while a test instruments the DynamoDB calls.
"""

from __future__ import annotations

import contextlib
import importlib
import json
import os
import signal
import socket
import struct
import sys
import threading
import time
import traceback
from typing import Any

_HEADER = struct.Struct(">I")


class Channel:
    """Framed JSON over a pair of pipe file descriptors."""

    def __init__(self, read_fd: int, write_fd: int) -> None:
        self.read_fd, self.write_fd = read_fd, write_fd
        self._write_lock = threading.Lock()

    def send(self, message: dict[str, Any]) -> None:
        data = json.dumps(message, separators=(",", ":"), ensure_ascii=False).encode("utf-8")
        with self._write_lock:
            _write_all(self.write_fd, _HEADER.pack(len(data)) + data)

    def receive(self) -> dict[str, Any]:
        (size,) = _HEADER.unpack(_read_exactly(self.read_fd, _HEADER.size))
        return json.loads(_read_exactly(self.read_fd, size))


def _write_all(fd: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        view = view[os.write(fd, view) :]


def _read_exactly(fd: int, size: int) -> bytes:
    chunks, missing = [], size
    while missing:
        chunk = os.read(fd, min(missing, 1 << 20))
        if not chunk:
            raise EOFError("pipe closed")
        chunks.append(chunk)
        missing -= len(chunk)
    return b"".join(chunks)


class LambdaContext:
    """The context object of Lambda's Python runtime (the attributes handlers and Powertools read)."""

    def __init__(self, info: dict[str, Any]) -> None:
        self.function_name = info["function_name"]
        self.function_version = "$LATEST"
        self.invoked_function_arn = info["invoked_function_arn"]
        self.memory_limit_in_mb = str(info["memory_limit_in_mb"])
        self.aws_request_id = info["aws_request_id"]
        self.log_group_name = info["log_group_name"]
        self.log_stream_name = info["log_stream_name"]
        self.identity = None
        self.client_context = None
        self._deadline_ms = info["deadline_ms"]

    def get_remaining_time_in_millis(self) -> int:
        return max(int(self._deadline_ms - time.time() * 1000), 0)


class Hooks:
    """While the parent says an instrument is armed, every DynamoDB call of this process asks the parent
    what to do (tests/reliability/faults.py): pass, fail before sending, or fail after a committed call."""

    def __init__(self, channel: Channel) -> None:
        self.channel = channel
        self.armed = False
        self._call_lock = threading.Lock()
        self._replies: dict[int, Any] = {}
        self._ids = iter(range(1, 1 << 62))

    def install(self) -> None:
        import botocore.session

        original = botocore.session.Session.create_client
        hooks = self

        def create_client(session: Any, service_name: str, *args: Any, **kwargs: Any) -> Any:
            client = original(session, service_name, *args, **kwargs)
            if service_name == "dynamodb":
                client.meta.events.register("before-call.dynamodb", hooks.before_call)
                client.meta.events.register("after-call.dynamodb", hooks.after_call)
                client.meta.events.register("before-send.dynamodb", hooks.before_send)
            return client

        botocore.session.Session.create_client = create_client

    def ask(self, hook: str, **details: Any) -> dict[str, Any]:
        with self._call_lock:  # one question at a time on the pipe (handlers may query from threads)
            self.channel.send({"hook": {"name": hook, **details}})
            return self.channel.receive()["reply"]

    def before_call(self, model: Any, params: dict[str, Any], context: dict[str, Any], **_: Any) -> Any:
        if not self.armed:
            return None
        body = params.get("body") or b"{}"
        body = body.decode("utf-8") if isinstance(body, bytes) else str(body)
        answer = self.ask("before-call", operation=model.name, body=body)
        if answer.get("action") == "lost":
            context["localapi-lost"] = True
            return None
        return before_call_outcome(answer)

    def after_call(self, context: dict[str, Any], **_: Any) -> None:
        if context.pop("localapi-lost", False):
            from botocore.exceptions import ReadTimeoutError

            raise ReadTimeoutError(endpoint_url="https://dynamodb.injected")

    def before_send(self, request: Any, **_: Any) -> Any:
        if not self.armed:
            return None
        target = request.headers.get("X-Amz-Target", b"")
        target = target.decode() if isinstance(target, bytes) else str(target)
        answer = self.ask("before-send", operation=target.rsplit(".", 1)[-1])
        action = answer.get("action", "pass")
        if action == "timeout":
            from botocore.exceptions import ReadTimeoutError

            raise ReadTimeoutError(endpoint_url=request.url)
        if action == "error":
            from botocore.awsrequest import AWSResponse

            body = answer["body"].encode("utf-8")
            return AWSResponse(request.url, answer["status"], answer["headers"], _RawBody(body))
        return None


def before_call_outcome(answer: dict[str, Any]) -> Any:
    """What a 'before-call' handler returns for an instrument's answer: None (send the call), or botocore's
    (http response, parsed response) pair standing in for DynamoDB's answer; a timeout is raised."""
    action = answer.get("action", "pass")
    if action == "timeout":
        from botocore.exceptions import ReadTimeoutError

        raise ReadTimeoutError(endpoint_url="https://dynamodb.injected")
    if action == "error":
        from botocore.awsrequest import AWSResponse

        return AWSResponse("https://dynamodb.injected", answer["status"], {}, None), answer["parsed"]
    return None


class _RawBody:
    def __init__(self, body: bytes) -> None:
        self._body = body

    def stream(self, **_: Any) -> Any:
        yield self._body


def _error(exc: BaseException, error_type: str | None = None) -> dict[str, Any]:
    return {
        "errorType": error_type or type(exc).__name__,
        "errorMessage": str(exc),
        "stackTrace": traceback.format_exception(exc),
    }


def main(read_fd: int, write_fd: int) -> int:
    channel = Channel(read_fd, write_fd)
    init = channel.receive()["init"]
    sys.path[:0] = [p for p in init["sys_path"] if p not in sys.path]
    os.chdir(init["task_root"])
    hooks = Hooks(channel)
    started = time.perf_counter()
    try:
        if init.get("instrumented"):
            hooks.install()
        module_name, handler_name = init["handler"].rsplit(".", 1)
        handler = getattr(importlib.import_module(module_name), handler_name)
    except Exception as exc:  # Runtime.ImportModuleError / Runtime.HandlerNotFound, as Lambda reports them
        channel.send({"init_error": _error(exc, "Runtime.ImportModuleError")})
        return 1
    channel.send({"ready": {"init_ms": round((time.perf_counter() - started) * 1000, 1)}})
    while True:
        try:
            message = channel.receive()
        except EOFError:
            return 0
        invoke = message["invoke"]
        hooks.armed = bool(invoke.get("instrumented"))
        try:
            result = handler(invoke["event"], LambdaContext(invoke["context"]))
            try:
                payload = json.dumps(result, ensure_ascii=False)
            except (TypeError, ValueError) as exc:
                channel.send({"error": _error(exc, "Runtime.MarshalError")})
                continue
            channel.send({"result": payload})
        except Exception as exc:
            channel.send({"error": _error(exc)})
        finally:
            hooks.armed = False


class _RecordedReads:
    """The environment variables read (by Python code, through os.environ) while the zygote imports."""

    def __init__(self) -> None:
        self.names: set[str] = set()
        self.listed = False  # iterated over (a copy of the whole environment): every variable counts
        self._environ_type = type(os.environ)
        self._saved = (
            self._environ_type.__getitem__,
            self._environ_type.__contains__,
            self._environ_type.__iter__,
        )

    def __enter__(self) -> _RecordedReads:
        getitem, contains, iterate = self._saved
        names = self.names
        reads = self

        def recorded_getitem(environ: Any, key: str) -> str:
            names.add(key)
            return getitem(environ, key)

        def recorded_contains(environ: Any, key: object) -> bool:
            if isinstance(key, str):
                names.add(key)
            return contains(environ, key)

        def recorded_iter(environ: Any) -> Any:
            reads.listed = True
            return iterate(environ)

        self._environ_type.__getitem__ = recorded_getitem
        self._environ_type.__contains__ = recorded_contains
        self._environ_type.__iter__ = recorded_iter
        return self

    def __exit__(self, *_: object) -> None:
        (
            self._environ_type.__getitem__,
            self._environ_type.__contains__,
            self._environ_type.__iter__,
        ) = self._saved


def zygote(control_fd: int, modules: list[str]) -> int:
    """A pre-forked parent of environments (tests only, `Runtime(prefork=True)`): it imports third-party
    modules that a function would import anyway, then forks one child per new environment. The child
    takes the function's environment variables, working directory and pipes, and only then runs `main`:
    the handler's module and the layer are imported in the child, as in a new process.

    What a handler could tell apart: the preloaded modules are already in sys.modules (their import-time
    state is that of a fresh import: the zygote does nothing else), and str hashing shares one seed. A
    module that read an environment variable while it was imported would have seen the zygote's value:
    the zygote reports every variable read then (with its value; or that the whole environment was
    listed), and the pool forks only functions whose environment has the same values for all of them
    (others start a new interpreter). The zygote's own environment is what all functions share."""
    control = socket.socket(fileno=control_fd)
    with _RecordedReads() as reads:
        loaded = []
        for name in modules:
            try:
                importlib.import_module(name)
                loaded.append(name)
            except ImportError:
                pass
    seen = {name: os.environ.get(name) for name in sorted(reads.names)}
    signal.signal(signal.SIGCHLD, signal.SIG_IGN)  # the kernel reaps the environments
    ready = {"read": seen, "read_all": reads.listed, "loaded": loaded}
    control.send(json.dumps({"ready": ready}).encode("utf-8"))
    while True:
        try:
            data, fds, _, _ = socket.recv_fds(control, 1 << 20, 4)
        except OSError:
            return 0
        if not data:
            return 0  # the runtime stopped
        request = json.loads(data)
        sys.stdout.flush()
        sys.stderr.flush()
        pid = os.fork()
        if pid == 0:
            control.close()
            signal.signal(signal.SIGCHLD, signal.SIG_DFL)
            os._exit(_forked_environment(request, *fds))
        for fd in fds:
            os.close(fd)
        control.send(json.dumps({"pid": pid}).encode("utf-8"))


def _forked_environment(request: dict[str, Any], read_fd: int, write_fd: int, out_fd: int, err_fd: int) -> int:
    """In the forked child: become the function's environment (variables, cwd, stdout/stderr), then run."""
    code = 1
    try:
        os.dup2(out_fd, 1)
        os.dup2(err_fd, 2)
        os.close(out_fd)
        os.close(err_fd)
        os.environ.clear()
        os.environ.update(request["environment"])
        time.tzset()
        os.chdir(request["cwd"])
        sys.argv = [sys.argv[0], str(read_fd), str(write_fd)]
        code = main(read_fd, write_fd)
    except BaseException:
        traceback.print_exc()
    finally:
        for stream in (sys.stdout, sys.stderr):
            with contextlib.suppress(OSError, ValueError):
                stream.flush()
    return code


if __name__ == "__main__":
    if sys.argv[1] == "--zygote":
        sys.exit(zygote(int(sys.argv[2]), sys.argv[3:]))
    sys.exit(main(int(sys.argv[1]), int(sys.argv[2])))
