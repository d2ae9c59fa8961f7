"""Structured logs, X-Ray traces and business metrics (Powertools), created once per container.

- Logs: JSON lines on stdout through Powertools Logger (service `conduit`), one line per request
  with route, status, latency, correlation id and user id. Never the body, a token or a password.
  Debug logs are sampled at POWERTOOLS_LOGGER_SAMPLE_RATE (set per stage by the template).
- Traces: Powertools Tracer (X-Ray) with botocore patched, so each DynamoDB call is a subsegment.
  Only botocore: the Tracer's default patches every library the X-Ray SDK knows (13 modules
  imported and wrapped, 30-60 ms of each cold start) though the layer makes no other traced call.
  Only built inside Lambda: locally, in tests and under `sam local` it is a no-op.
- Metrics: CloudWatch EMF in the `Conduit` namespace, flushed after each request.
"""

from __future__ import annotations

import os
import re
import threading
import time
from contextlib import AbstractContextManager, nullcontext
from functools import lru_cache
from typing import Any

SERVICE = "conduit"
NAMESPACE = "Conduit"
BUSINESS_METRICS = ("UserRegistered", "ArticlePublished", "CommentPosted", "LoginFailed", "RateLimited")
CORRELATION_HEADER = "x-correlation-id"
PATCHED_MODULES = ("botocore",)  # what the layer calls that X-Ray can trace: DynamoDB
_CORRELATION_ID = re.compile(r"[A-Za-z0-9._:\-]{1,128}")
_flush_lock = threading.Lock()
_pending = threading.local()  # one request per thread (Lambda: per container)


@lru_cache(maxsize=1)
def logger() -> Any:
    from aws_lambda_powertools import Logger

    return Logger(service=os.environ.get("POWERTOOLS_SERVICE_NAME", SERVICE))


@lru_cache(maxsize=1)
def _metrics() -> Any:
    from aws_lambda_powertools import Metrics

    return Metrics(
        namespace=os.environ.get("POWERTOOLS_METRICS_NAMESPACE", NAMESPACE),
        service=os.environ.get("POWERTOOLS_SERVICE_NAME", SERVICE),
    )


def tracing_enabled() -> bool:
    in_lambda = bool(os.environ.get("LAMBDA_TASK_ROOT")) and not os.environ.get("AWS_SAM_LOCAL")
    disabled = os.environ.get("POWERTOOLS_TRACE_DISABLED", "").lower() in {"1", "true", "yes"}
    return in_lambda and not disabled


@lru_cache(maxsize=1)
def tracer() -> Any:
    """The Powertools Tracer (patches botocore) in Lambda; None elsewhere."""
    if not tracing_enabled():
        return None
    from aws_lambda_powertools import Tracer

    return Tracer(service=os.environ.get("POWERTOOLS_SERVICE_NAME", SERVICE), patch_modules=PATCHED_MODULES)


def trace(name: str) -> AbstractContextManager[Any]:
    active = tracer()
    return active.provider.in_subsegment(name) if active else nullcontext()


def correlation_id(headers: dict[str, str], request_id: str) -> str:
    """The caller's X-Correlation-Id when it is well-formed, else the API Gateway request id."""
    given = headers.get(CORRELATION_HEADER, "")
    return given if _CORRELATION_ID.fullmatch(given) else (request_id or os.urandom(8).hex())


def count(metric: str) -> None:
    """Record one business event; emitted as EMF when the request ends."""
    if metric not in BUSINESS_METRICS:
        raise ValueError(f"unknown metric {metric}")
    _queued().append(metric)


def _queued() -> list[str]:
    if not hasattr(_pending, "metrics"):
        _pending.metrics = []
    metrics: list[str] = _pending.metrics
    return metrics


def flush_metrics() -> None:
    queued = _queued()
    if not queued:
        return
    from aws_lambda_powertools.metrics import MetricUnit

    metrics = _metrics()
    with _flush_lock:
        for name in queued:
            metrics.add_metric(name=name, unit=MetricUnit.Count, value=1)
        queued.clear()
        metrics.flush_metrics()


_cold_start = True


def finish_request(
    *, started: float, request_id: str, correlation_id: str, route: str, status: int, user_id: str | None, context: Any
) -> None:
    """The one log line of a request (never its body, token or password), then its metrics."""
    global _cold_start
    logger().info(
        "request",
        extra={
            "requestId": request_id,
            "correlationId": correlation_id,
            "route": route,
            "status": status,
            "latencyMs": round((time.perf_counter() - started) * 1000, 1),
            "userId": user_id,
            "coldStart": _cold_start,
            "function": getattr(context, "function_name", None),
        },
    )
    _cold_start = False
    flush_metrics()
