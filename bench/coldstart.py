"""First response: what the first user of a new container waits for, per function.

Each sample is a fresh interpreter (`python -P`) that imports one handler module, as Lambda's INIT
does, then answers one realistic request (a valid token, a valid body, existing data) against a real
DynamoDB emulator - AWS DynamoDB Local when it can start (scripts/dynamodb-local), else an embedded
moto server (results say which). The JWT keyset is read as production reads it: from SSM
(`JWT_SECRET_PARAMETER`) through a local endpoint (a moto server, `AWS_ENDPOINT_URL_SSM`), and
tracing is on as in the deployed functions (`LAMBDA_TASK_ROOT`, an X-Ray trace header; the segments
go to a UDP port nobody reads). Code is precompiled as the layer build ships it (unchecked-hash .pyc,
PYTHONDONTWRITEBYTECODE=1 as on Lambda's read-only file system).

The child reports wall-clock marks, the parent the spawn time, so every sample splits into
interpreter start (spawn -> first line of the child), import (`import app`) and first request
(`app.handler(event, context)`); `total_ms` is spawn -> answer. Measured side by side, interleaved
run by run (so drift hits all alike), medians:
- hello world (a handler that returns a constant);
- each function of the template, as built ("ours");
- the "typical design" (bench/typical/app.py: Powertools resolver, boto3.resource, pydantic, PyJWT,
  Powertools parameters, all at module top) answering the same request with the same DynamoDB calls.

The bytes a request writes to stdout (its log lines and EMF metrics: CloudWatch Logs ingestion) are
recorded too, for the cost model.

`python -m bench.coldstart [--runs 7] [--only article_get,graphql | --realworld] [--out FILE]` runs it alone.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from localapi.template import ROOT, Template

HELLO = '''"""Hello world: the cold-start baseline."""


def handler(event, context):
    return {"statusCode": 200, "body": "hello"}
'''

CHILD = r"""
import time
t0 = time.time()
import sys
sys.path[:0] = sys.argv[1].split("\x1f")
with open(sys.argv[2], "rb") as f:
    raw = f.read()
import json
event = json.loads(raw)
class Context:
    function_name = sys.argv[3]
    function_version = "$LATEST"
    memory_limit_in_mb = 512
    aws_request_id = event["requestContext"]["requestId"]
    invoked_function_arn = "arn:aws:lambda:us-east-1:000000000000:function:" + sys.argv[3]
    log_group_name = "/aws/lambda/" + sys.argv[3]
    log_stream_name = "bench"
    def get_remaining_time_in_millis(self):
        return 10000
t1 = time.time()
import app
t2 = time.time()
answer = app.handler(event, Context())
t3 = time.time()
sys.stdout.flush()
status = answer.get("statusCode") if isinstance(answer, dict) else None
sys.stderr.write(f"\nBENCH-COLD {t0} {t1} {t2} {t3} {status}\n")
"""

HELLO_NAME = "(hello world)"
SECRET_PARAMETER = "/conduit/bench/jwt-secret"
SECRET = "bench-coldstart-secret-bench-coldstart-secret"
TABLE = "conduit-coldstart"
EMAIL_QUEUE = "conduit-coldstart-email"  # registration queues a verification email (SQS SendMessage)
PASSWORD = "bench-password-1"
# The RealWorld endpoints: the typical design (bench/typical/app.py) answers every one of them.
REALWORLD = (
    "UsersLoginFunction",
    "UsersRegisterFunction",
    "UserGetFunction",
    "UserUpdateFunction",
    "ProfileGetFunction",
    "ProfileFollowFunction",
    "ProfileUnfollowFunction",
    "ArticlesListFunction",
    "ArticlesFeedFunction",
    "ArticleGetFunction",
    "ArticleCreateFunction",
    "ArticleUpdateFunction",
    "ArticleDeleteFunction",
    "ArticleFavoriteFunction",
    "ArticleUnfavoriteFunction",
    "CommentsListFunction",
    "CommentCreateFunction",
    "CommentDeleteFunction",
    "TagsListFunction",
)
TYPICAL = REALWORLD
ADMIN = ("AdminUserRoleFunction", "AdminUserSuspendFunction", "AdminUserUnsuspendFunction", "AdminUsersListFunction")
GRAPHQL_QUERY = "query($s: String!) { article(slug: $s) { slug title body favorited author { username following } } }"


@dataclass
class Fixture:
    author: str  # username
    author_token: str
    viewer_email: str
    viewer_token: str
    slug: str
    spare_slugs: list[str]  # one per sample, for DELETE /articles/{slug}
    spare_comments: list[int]  # the viewer's, one per sample, for DELETE .../comments/{id}


def measure(
    template: Template,
    runs: int = 7,
    only: list[str] | None = None,
    budget_seconds: float | None = None,
    variants: dict[str, dict[str, str]] | None = None,
    dynamodb: str = "local",
    built: bool = True,
) -> dict[str, Any]:
    """`variants`: extra runs of "ours" with environment overrides (e.g. tracing off), by name."""
    started = time.perf_counter()
    load_at_start = [round(load, 2) for load in os.getloadavg()]
    functions = {name: Path(props["CodeUri"]).name for name, props in sorted(template.functions().items())}
    functions = {name: code for name, code in functions.items() if name not in ADMIN}
    if only:
        functions = {name: code for name, code in functions.items() if code in only or name in only}
    with tempfile.TemporaryDirectory(prefix="bench-first-") as tmp, _services(template, dynamodb) as (env, backend):
        work = Path(tmp)
        code = _prepare(work, template, built)
        env.update(PYTHONDONTWRITEBYTECODE="1", PYTHONUNBUFFERED="1")
        fixture = _seed(template, env, runs * (2 + len(variants or {})) + 2)
        requests = _requests(template, fixture)
        jobs: list[tuple[str, str]] = [(HELLO_NAME, "hello")]
        for name in functions:
            if name not in requests:
                continue
            jobs.append((name, "ours"))
            jobs += [(name, variant) for variant in variants or {}]
            if name in TYPICAL:
                jobs.append((name, "typical"))
        samples: dict[tuple[str, str], list[dict[str, float]]] = defaultdict(list)
        errors: dict[tuple[str, str], str] = {}
        done = 0
        while done < runs:
            for name, variant in jobs:
                if (name, variant) in errors:
                    continue
                outcome = _sample(work, code, env, requests, name, variant, done, variants or {})
                if isinstance(outcome, str):
                    errors[(name, variant)] = outcome
                else:
                    samples[(name, variant)].append(outcome)
            done += 1
            elapsed = time.perf_counter() - started
            if budget_seconds and done >= 3 and elapsed * (done + 1) / done > budget_seconds:
                break
    result: dict[str, Any] = {
        "runs": done,
        "runs_planned": runs,
        "dynamodb": backend,
        "ssm": "moto server (AWS_ENDPOINT_URL_SSM), SecureString read with the function's own client",
        "sqs": "the same moto server (AWS_ENDPOINT_URL_SQS): the email queue registration sends to",
        "tracing": "on (LAMBDA_TASK_ROOT, _X_AMZN_TRACE_ID, Sampled=1)",
        "code": code.description,
        "python": code.python_version,
        "functions": {},
    }
    hello = _summary(samples[(HELLO_NAME, "hello")])
    result["hello_world"] = hello
    for name, variant in jobs[1:]:
        row = result["functions"].setdefault(name, {"dir": functions[name]})
        if (name, variant) in errors:
            row[variant] = {"error": errors[(name, variant)]}
            continue
        row[variant] = _summary(samples[(name, variant)])
    for row in result["functions"].values():
        ours, typical = row.get("ours", {}), row.get("typical", {})
        if "total_ms" in ours and "total_ms" in typical:
            row["ratio_to_typical"] = round(ours["total_ms"] / typical["total_ms"], 2)
            row["cpu_ratio_to_typical"] = round(ours["cpu_ms"] / typical["cpu_ms"], 2)
    result["seconds"] = round(time.perf_counter() - started, 1)
    result["load_average"] = {"start": load_at_start, "end": [round(load, 2) for load in os.getloadavg()]}
    return result


def _summary(runs: list[dict[str, float]]) -> dict[str, Any]:
    keys = ("start_ms", "import_ms", "request_ms", "total_ms", "cpu_ms", "log_bytes")
    summary: dict[str, Any] = {key: round(statistics.median(run[key] for run in runs), 1) for key in keys}
    summary["samples_total_ms"] = [round(run["total_ms"], 1) for run in runs]
    return summary


def _sample(
    work: Path,
    code: Code,
    env: dict[str, str],
    requests: dict[str, Callable[[int], dict[str, Any]]],
    name: str,
    variant: str,
    run: int,
    variants: dict[str, dict[str, str]],
) -> dict[str, float] | str:
    if variant == "hello":
        paths, event = code.hello, _hello_event()
    elif variant == "typical":
        paths, event = code.typical, requests[name](run)
    else:
        paths, event = code.functions[name], requests[name](run)
    event_file = work / "event.json"
    event_file.write_text(json.dumps(event), encoding="utf-8")
    child_env = {
        **env,
        "LAMBDA_TASK_ROOT": str(paths[0]),
        "AWS_LAMBDA_FUNCTION_NAME": name,
        **variants.get(variant, {}),
    }
    cpu_before = _children_cpu_ms()
    spawn = time.time()
    done = subprocess.run(
        [*code.python, "-c", CHILD, "\x1f".join(map(str, paths)), str(event_file), name],
        env=child_env,
        cwd=work / "cwd",
        capture_output=True,
        check=False,
    )
    cpu_ms = _children_cpu_ms() - cpu_before
    stderr = done.stderr.decode("utf-8", "replace")
    marks = [line for line in stderr.splitlines() if line.startswith("BENCH-COLD ")]
    if done.returncode or not marks:
        lines = stderr.strip().splitlines()
        return lines[-1] if lines else f"exit {done.returncode}"
    t0, t1, t2, t3, status = marks[-1].split()[1:]
    if not status.isdigit() or not 200 <= int(status) < 300:
        return f"status {status}: {done.stdout.decode('utf-8', 'replace')[-300:]}"
    return {
        "start_ms": (float(t0) - spawn) * 1000,
        "import_ms": (float(t2) - float(t1)) * 1000,
        "request_ms": (float(t3) - float(t2)) * 1000,
        "total_ms": (float(t3) - spawn) * 1000,
        "cpu_ms": cpu_ms,
        "log_bytes": float(len(done.stdout)),
    }


def _children_cpu_ms() -> float:
    """User + system CPU of this process's finished children: around one sample, that child's CPU time
    (what a shared machine's load inflates far less than wall-clock time)."""
    used = resource.getrusage(resource.RUSAGE_CHILDREN)
    return (used.ru_utime + used.ru_stime) * 1000


def _hello_event() -> dict[str, Any]:
    return {"requestContext": {"requestId": "hello"}}


@dataclass
class Code:
    """What each child runs: the interpreter command and, per function, its sys.path (code first)."""

    python: list[str]
    python_version: str
    description: str
    functions: dict[str, list[Path]]
    typical: list[Path]
    hello: list[Path]


def _prepare(work: Path, template: Template, built: bool) -> Code:
    """The code as the build ships it: `scripts/build-twin` (the layer Makefile: wheels for this machine,
    bytecode compiled with unchecked hashes; the function dirs; the SDK of Lambda's python3.13 runtime)
    run on python3.13 with exactly [function, layers, runtime] on sys.path (`-I -S -B`: no site-packages,
    nothing written). Without python3.13 (or with built=False): the source tree compiled the same way,
    the dev virtualenv's packages, its interpreter."""
    (work / "cwd").mkdir()
    extra = work / "pre"
    ignore = shutil.ignore_patterns("__pycache__", "*.pyc")
    shutil.copytree(Path(__file__).parent / "typical", extra / "typical", ignore=ignore)
    (extra / "hello").mkdir()
    (extra / "hello" / "app.py").write_text(HELLO, encoding="utf-8")
    manifest = _built_manifest() if built else None
    if manifest is not None:
        python, found = manifest
        layer = next(Path(p) for p in found["functions"]["ArticleGetFunction"]["sys_path"][1:-1])
        runtime = ROOT / found["runtime"]
        functions = {
            name: [ROOT / p for p in spec["sys_path"]]
            for name, spec in found["functions"].items()
            if name in template.functions()
        }
        subprocess.run(
            [python, "-m", "compileall", "-q", "--invalidation-mode", "unchecked-hash", str(extra)], check=True
        )
        return Code(
            [python, "-I", "-S", "-B"],
            found["python"],
            "built: scripts/build-twin artifacts (layer bytecode unchecked-hash) + Lambda runtime SDK, -I -S -B",
            functions,
            [extra / "typical", ROOT / layer, runtime],
            [extra / "hello"],
        )
    layer = template.layer_dirs()[0]  # the shared layer; other layers' packages come from the dev venv
    shutil.copytree(ROOT / "functions", extra / "functions", ignore=ignore)
    shutil.copytree(layer, extra / "layer", ignore=ignore)
    subprocess.run(
        [sys.executable, "-m", "compileall", "-q", "--invalidation-mode", "unchecked-hash", str(extra)], check=True
    )
    functions = {
        name: [extra / "functions" / Path(props["CodeUri"]).name, extra / "layer"]
        for name, props in template.functions().items()
    }
    return Code(
        [sys.executable, "-P"],
        sys.version.split()[0],
        "source tree compiled (unchecked-hash) + the dev virtualenv's packages (no python3.13 for the built layer)",
        functions,
        [extra / "typical"],
        [extra / "hello"],
    )


def _built_manifest() -> tuple[str, dict[str, Any]] | None:
    """(python3.13, .aws-sam/build-x86_64/twin.json) after an incremental `scripts/build-twin --no-check`."""
    found = subprocess.run(
        ["bash", "-c", "source scripts/lib/python313.sh && find_python313"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    python = found.stdout.strip()
    if found.returncode or not python:
        return None
    built = subprocess.run(
        ["bash", "scripts/build-twin", "--no-check"], cwd=ROOT, capture_output=True, text=True, check=False, timeout=900
    )
    manifest = ROOT / ".aws-sam" / "build-x86_64" / "twin.json"
    if built.returncode or not manifest.is_file():
        return None
    return python, json.loads(manifest.read_text(encoding="utf-8"))


@contextmanager
def _services(template: Template, dynamodb: str = "local") -> Iterator[tuple[dict[str, str], str]]:
    """DynamoDB (DynamoDB Local, else moto) with the template's table, SSM (moto) with the JWT secret,
    and SQS (the same moto server) with the email queue a registration sends its verification to."""
    from localapi import database

    ssm_server = database.EmbeddedDynamoDB()  # moto's server answers every service it emulates: SSM here
    ssm_endpoint = ssm_server.start()
    ddb_endpoint, backend, ddb_server, started_local = _dynamodb(dynamodb)
    env = {key: value for key, value in os.environ.items() if not key.startswith(("PYTHON", "AWS_", "_X_AMZN"))}
    env.update(
        AWS_ACCESS_KEY_ID="bench",
        AWS_SECRET_ACCESS_KEY="bench",
        AWS_REGION="us-east-1",
        AWS_DEFAULT_REGION="us-east-1",
        AWS_ENDPOINT_URL_SSM=ssm_endpoint,
        AWS_ENDPOINT_URL_SQS=ssm_endpoint,  # the same moto server: the verification emails' queue
        DYNAMODB_ENDPOINT=ddb_endpoint,
        TABLE_NAME=TABLE,
        JWT_SECRET_PARAMETER=SECRET_PARAMETER,
        JWT_SECRET="",
        POWERTOOLS_SERVICE_NAME="conduit",
        POWERTOOLS_METRICS_NAMESPACE="Conduit",
        POWERTOOLS_LOGGER_SAMPLE_RATE="0.1",
        LOG_LEVEL="INFO",
        WRITE_QUOTA_PER_MINUTE="100000",  # every sample writes as the same two users
        AWS_LAMBDA_FUNCTION_MEMORY_SIZE="512",
        AWS_LAMBDA_FUNCTION_VERSION="$LATEST",
        AWS_EXECUTION_ENV="AWS_Lambda_python3.13",
        _X_AMZN_TRACE_ID="Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8;Sampled=1",
        AWS_XRAY_DAEMON_ADDRESS=f"127.0.0.1:{_free_udp_port()}",
        AWS_XRAY_CONTEXT_MISSING="LOG_ERROR",
    )
    try:
        import boto3

        ssm = boto3.client(
            "ssm",
            endpoint_url=ssm_endpoint,
            region_name="us-east-1",
            aws_access_key_id="bench",
            aws_secret_access_key="bench",
        )
        ssm.put_parameter(Name=SECRET_PARAMETER, Value=SECRET, Type="SecureString", Overwrite=True)
        sqs = boto3.client(
            "sqs",
            endpoint_url=ssm_endpoint,
            region_name="us-east-1",
            aws_access_key_id="bench",
            aws_secret_access_key="bench",
        )
        env["EMAIL_QUEUE_URL"] = sqs.create_queue(QueueName=EMAIL_QUEUE)["QueueUrl"]
        for key in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_DEFAULT_REGION"):
            os.environ.setdefault(key, env[key])
        existing = database.client(ddb_endpoint).list_tables().get("TableNames", [])
        if TABLE in existing:
            database.client(ddb_endpoint).delete_table(TableName=TABLE)
        database.create_tables(template, ddb_endpoint, dict.fromkeys(template.tables(), TABLE))
        yield env, backend
    finally:
        ssm_server.stop()
        if ddb_server is not None:
            ddb_server.stop()
        if started_local:
            subprocess.run(["bash", "scripts/dynamodb-local", "stop"], cwd=ROOT, check=False)


def _dynamodb(wanted: str) -> tuple[str, str, Any, bool]:
    """(endpoint, what it is, embedded server to stop, whether this run started DynamoDB Local)."""
    from localapi import database

    given = os.environ.get("BENCH_DYNAMODB_ENDPOINT")
    if given:
        return given, "AWS DynamoDB Local (BENCH_DYNAMODB_ENDPOINT)", None, False
    if wanted == "moto":
        server = database.EmbeddedDynamoDB()
        return server.start(), "embedded moto server", server, False
    started = subprocess.run(
        ["bash", "scripts/dynamodb-local", "start"], cwd=ROOT, capture_output=True, text=True, check=False, timeout=300
    )
    if started.returncode == 0 and started.stdout.strip():
        return started.stdout.strip(), "AWS DynamoDB Local (scripts/dynamodb-local)", None, True
    server = database.EmbeddedDynamoDB()
    return server.start(), "embedded moto server (DynamoDB Local did not start)", server, False


def _free_udp_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


SEED = r"""
import importlib.util, json, sys
sys.path[:0] = sys.argv[1].split("\x1f")
from localapi.events import build_event
from localapi.template import load
template = load()
routes = {(r.method, r.path): r for r in template.routes()}
handlers = {}
def call(method, path, raw_path, body=None, token=None, params=None):
    route = routes[(method, path)]
    if route.function not in handlers:
        spec = importlib.util.spec_from_file_location("fn_" + route.function, route.code_dir / "app.py")
        module = importlib.util.module_from_spec(spec); spec.loader.exec_module(module)
        handlers[route.function] = module.handler
    headers = [("content-type", "application/json"), ("host", "bench.local")]
    if token:
        headers.append(("authorization", "Token " + token))
    data = json.dumps(body).encode() if body else b""
    event = build_event(route, method=method, raw_path=raw_path, raw_query="", headers=headers, body=data,
                        source_ip="127.0.0.1", path_params=params or {})
    answer = handlers[route.function](event, None)
    assert answer["statusCode"] < 300, (method, raw_path, answer)
    return json.loads(answer["body"])
spares = int(sys.argv[2])
password = sys.argv[3]
def register(name):
    user = {"username": name, "email": name + "@bench.example", "password": password}
    return call("POST", "/api/users", "/api/users", {"user": user})["user"]
author, viewer = register("benchauthor"), register("benchviewer")
def article(n):
    body = {"article": {"title": f"Bench article {n}", "description": "What a cold start costs",
                        "body": "A body of a realistic length. " * 40, "tagList": ["bench", "lambda", "cold"]}}
    return call("POST", "/api/articles", "/api/articles", body, author["token"])["article"]["slug"]
slugs = [article(n) for n in range(spares + 20)]
slug = slugs[0]
follow = "/api/profiles/benchauthor/follow"
call("POST", "/api/profiles/{username}/follow", follow, None, viewer["token"], {"username": "benchauthor"})
call("POST", "/api/articles/{slug}/favorite", f"/api/articles/{slug}/favorite", None, viewer["token"], {"slug": slug})
comments = []
for n in range(spares + 3):
    made = call("POST", "/api/articles/{slug}/comments", f"/api/articles/{slug}/comments",
                {"comment": {"body": f"comment {n}"}}, viewer["token"], {"slug": slug})
    comments.append(made["comment"]["id"])
print(json.dumps({"author": "benchauthor", "author_token": author["token"], "viewer_email": viewer["email"],
                  "viewer_token": viewer["token"], "slug": slug, "spare_slugs": slugs[20:],
                  "spare_comments": comments[3:]}))
"""


def _seed(template: Template, env: dict[str, str], spares: int) -> Fixture:
    """Two users, articles, a follow, a favorite and comments, written through the functions themselves."""
    done = subprocess.run(
        [
            sys.executable,
            "-P",
            "-c",
            SEED,
            "\x1f".join(map(str, (ROOT, *template.layer_dirs()))),
            str(spares),
            PASSWORD,
        ],
        env={**env, "POWERTOOLS_TRACE_DISABLED": "1"},
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode:
        raise RuntimeError(f"seeding failed: {done.stderr.strip().splitlines()[-1:]}")
    return Fixture(**json.loads(done.stdout.strip().splitlines()[-1]))


def _requests(template: Template, fx: Fixture) -> dict[str, Callable[[int], dict[str, Any]]]:
    """Per function: run number -> the event of one realistic request (unique where it must be)."""
    from urllib.parse import quote

    from localapi.events import build_event

    routes = {route.function: route for route in template.routes()}
    viewer, author = fx.viewer_token, fx.author_token
    stamp = int(time.time())

    def make(function: str, raw_path: str, body: Any = None, token: str | None = None, query: str = "", **params: Any):
        headers = [("content-type", "application/json"), ("host", "bench.local"), ("user-agent", "bench")]
        if token:
            headers.append(("authorization", f"Token {token}"))
        route = routes[function]
        return build_event(
            route,
            method=route.method,
            raw_path=raw_path,
            raw_query=query,
            headers=headers,
            body=json.dumps(body).encode() if body is not None else b"",
            source_ip="127.0.0.1",
            path_params={key: str(value) for key, value in params.items()},
        )

    slug, user = fx.slug, fx.author
    spare_articles, spare_comments = iter(range(len(fx.spare_slugs))), iter(range(len(fx.spare_comments)))

    def delete_article(i: int) -> dict[str, Any]:  # each sample deletes its own article ...
        spare = fx.spare_slugs[i]
        return make("ArticleDeleteFunction", f"/api/articles/{spare}", token=author, slug=spare)

    def delete_comment(i: int) -> dict[str, Any]:  # ... and its own comment
        spare = fx.spare_comments[i]
        path = f"/api/articles/{slug}/comments/{spare}"
        return make("CommentDeleteFunction", path, token=viewer, slug=slug, id=spare)

    article = {"title": "Cold start", "description": "Measured", "body": "Body. " * 200, "tagList": ["bench", "cold"]}
    graphql = {"query": GRAPHQL_QUERY, "variables": {"s": slug}}
    table: dict[str, Callable[[int], dict[str, Any]]] = {
        "UsersLoginFunction": lambda n: make(
            "UsersLoginFunction", "/api/users/login", {"user": {"email": fx.viewer_email, "password": PASSWORD}}
        ),
        "UsersRegisterFunction": lambda n: make(
            "UsersRegisterFunction",
            "/api/users",
            {
                "user": {
                    "username": f"cold{stamp}x{n}x{_counter()}",
                    "email": f"cold{stamp}.{n}.{_counter()}@bench.example",
                    "password": PASSWORD,
                }
            },
        ),
        "UserGetFunction": lambda n: make("UserGetFunction", "/api/user", token=viewer),
        "UserUpdateFunction": lambda n: make("UserUpdateFunction", "/api/user", {"user": {"bio": f"bio {n}"}}, viewer),
        "ProfileGetFunction": lambda n: make(
            "ProfileGetFunction", f"/api/profiles/{user}", token=viewer, username=user
        ),
        "ProfileFollowFunction": lambda n: make(
            "ProfileFollowFunction", f"/api/profiles/{user}/follow", token=viewer, username=user
        ),
        "ProfileUnfollowFunction": lambda n: make(
            "ProfileUnfollowFunction", f"/api/profiles/{user}/follow", token=viewer, username=user
        ),
        "ArticlesListFunction": lambda n: make("ArticlesListFunction", "/api/articles", token=viewer, query="limit=20"),
        "ArticlesFeedFunction": lambda n: make("ArticlesFeedFunction", "/api/articles/feed", token=viewer),
        "ArticleGetFunction": lambda n: make("ArticleGetFunction", f"/api/articles/{slug}", token=viewer, slug=slug),
        "ArticleCreateFunction": lambda n: make(
            "ArticleCreateFunction",
            "/api/articles",
            {"article": {**article, "title": f"Cold {n} {_counter()}"}},
            viewer,
        ),
        "ArticleUpdateFunction": lambda n: make(
            "ArticleUpdateFunction", f"/api/articles/{slug}", {"article": {"body": f"Body {n}"}}, author, slug=slug
        ),
        "ArticleDeleteFunction": lambda n: delete_article(next(spare_articles)),
        "ArticleFavoriteFunction": lambda n: make(
            "ArticleFavoriteFunction", f"/api/articles/{slug}/favorite", token=viewer, slug=slug
        ),
        "ArticleUnfavoriteFunction": lambda n: make(
            "ArticleUnfavoriteFunction", f"/api/articles/{slug}/favorite", token=viewer, slug=slug
        ),
        "CommentsListFunction": lambda n: make(
            "CommentsListFunction", f"/api/articles/{slug}/comments", token=viewer, slug=slug
        ),
        "CommentCreateFunction": lambda n: make(
            "CommentCreateFunction",
            f"/api/articles/{slug}/comments",
            {"comment": {"body": f"c {n}"}},
            viewer,
            slug=slug,
        ),
        "CommentDeleteFunction": lambda n: delete_comment(next(spare_comments)),
        "TagsListFunction": lambda n: make("TagsListFunction", "/api/tags"),
        "GraphqlFunction": lambda n: make("GraphqlFunction", "/api/graphql", graphql, viewer),
        "GraphqlGetFunction": lambda n: make(
            "GraphqlGetFunction",
            "/api/graphql",
            token=viewer,
            query=f"query={quote(GRAPHQL_QUERY)}&variables={quote(json.dumps({'s': slug}))}",
        ),
        "OpenapiJsonFunction": lambda n: make("OpenapiJsonFunction", "/api/openapi.json"),
        "DocsPageFunction": lambda n: make("DocsPageFunction", "/api/docs"),
    }
    return {name: build for name, build in table.items() if name in routes}


_count = iter(range(1_000_000))


def _counter() -> int:
    return next(_count)


def render(cold: dict[str, Any]) -> str:
    hello = cold["hello_world"]
    variants = sorted(
        {
            key
            for row in cold["functions"].values()
            for key in row
            if key not in ("dir", "ours", "typical", "ratio_to_typical", "cpu_ratio_to_typical")
        }
    )
    lines = [
        f"### First response (spawn -> import -> one request; medians of {cold['runs']} interleaved runs; "
        f"DynamoDB: {cold['dynamodb']}; tracing {cold['tracing'].split()[0]})",
        "",
        f"hello world: {hello['total_ms']:.0f} ms (interpreter start {hello['start_ms']:.0f} ms"
        + (f", CPU {hello['cpu_ms']:.0f} ms)" if "cpu_ms" in hello else ")")
        + (
            f"; load average (1/5/15 min) {cold['load_average']['start']} at the start, "
            f"{cold['load_average']['end']} at the end"
            if "load_average" in cold
            else ""
        ),
        "",
        "| function | start | import | 1st request | first response | typical design | ratio | "
        + "".join(f"{name} | " for name in variants)
        + "CPU ms ours / typical | CPU ratio | log bytes |",
        "|---|---|---|---|---|---|---|" + "---|" * len(variants) + "---|---|---|",
    ]
    for row in cold["functions"].values():
        ours = row.get("ours", {})
        if "error" in ours:
            lines.append(f"| {row['dir']} | error: {ours['error'][:80]} |")
            continue
        typical = row.get("typical", {})
        typical_ms = f"{typical['total_ms']:.0f}" if "total_ms" in typical else typical.get("error", "-")[:40]
        ratio = f"{row['ratio_to_typical']:.2f}" if "ratio_to_typical" in row else "-"
        cpu = f"{ours['cpu_ms']:.0f} / {typical['cpu_ms']:.0f}" if "cpu_ms" in ours and "cpu_ms" in typical else "-"
        cpu_ratio = f"{row['cpu_ratio_to_typical']:.2f}" if "cpu_ratio_to_typical" in row else "-"
        extra = "".join(
            f"{row[v]['total_ms']:.0f} | "
            if "total_ms" in row.get(v, {})
            else f"{row.get(v, {}).get('error', '-')[:30]} | "
            for v in variants
        )
        lines.append(
            f"| {row['dir']} | {ours['start_ms']:.0f} | {ours['import_ms']:.0f} | {ours['request_ms']:.0f} | "
            f"{ours['total_ms']:.0f} | {typical_ms} | {ratio} | {extra}{cpu} | {cpu_ratio} | {ours['log_bytes']:.0f} |"
        )
    return "\n".join([*lines, ""])


VARIANTS = {
    # levers that are a setting rather than code: measured in the same run as "ours"
    "tracing off": {"POWERTOOLS_TRACE_DISABLED": "true"},
}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.coldstart", description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--only", help="comma-separated function dirs or logical ids")
    parser.add_argument("--realworld", action="store_true", help="only the RealWorld endpoints (and hello world)")
    parser.add_argument("--variants", action="store_true", help="also run the setting levers (tracing off)")
    parser.add_argument("--out", type=Path, help="write the JSON here")
    parser.add_argument("--dynamodb", choices=("local", "moto"), default="local")
    parser.add_argument("--source", action="store_true", help="the source tree and dev venv, not the built layer")
    args = parser.parse_args(argv)
    from localapi import template as template_module

    cold = measure(
        template_module.load(),
        args.runs,
        list(REALWORLD) if args.realworld else args.only.split(",") if args.only else None,
        variants=VARIANTS if args.variants else None,
        dynamodb=args.dynamodb,
        built=not args.source,
    )
    if args.out:
        args.out.write_text(json.dumps(cold, indent=1) + "\n", encoding="utf-8")
    print(render(cold))
    return 0


if __name__ == "__main__":
    sys.exit(main())
