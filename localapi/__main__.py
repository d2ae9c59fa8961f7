"""Command line: `python -m localapi serve` (the local API) and `python -m localapi invoke` (sam local invoke)."""

from __future__ import annotations

import argparse
import contextlib
import json
import logging
import os
import sys
from pathlib import Path

from localapi import template
from localapi.runtime import BuiltCode, Runtime


def _env_vars(path: Path | None) -> dict[str, str]:
    """Overrides from a `sam local --env-vars` file: its "Parameters" apply to every function."""
    if path is None:
        return {}
    data = json.loads(path.read_text(encoding="utf-8"))
    return {key: str(value) for key, value in (data.get("Parameters") or {}).items()}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m localapi", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)
    serve = commands.add_parser("serve", help="run the API at http://HOST:PORT/api")
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=3000)
    serve.add_argument("--db-port", type=int, default=0, help="port of the embedded DynamoDB (0: any free)")
    serve.add_argument(
        "--db-host",
        default="127.0.0.1",
        help="address the embedded DynamoDB listens on (0.0.0.0: reachable from Docker, e.g. sam local invoke)",
    )
    serve.add_argument("--seed", action="store_true", help="load demo users, articles and comments")
    serve.add_argument(
        "--build-dir",
        type=Path,
        help="serve built artifacts (sam build layout: <FunctionId>/, <LayerId>/python/) instead of the sources",
    )
    serve.add_argument(
        "--no-reload",
        action="store_true",
        help="keep running the code loaded first (by default a changed file "
        "under functions/ or layers/ takes effect on the next request of the functions using it)",
    )
    serve.add_argument(
        "--prefork",
        action="store_true",
        help="fork new environments from a process that has imported the third-party modules (faster, for "
        "test runs; INIT times then do not show those imports): see localapi/pool.py",
    )
    serve.add_argument("--python", default="python3.13", help="interpreter for --build-dir (a real 3.13)")
    serve.add_argument("--runtime-dir", type=Path, help="with --build-dir: the Lambda runtime's boto3/botocore")
    invoke = commands.add_parser("invoke", help="run one function with an event file and print its response")
    invoke.add_argument("function", help="logical id in template.yaml, e.g. ArticleGetFunction")
    invoke.add_argument("-e", "--event", required=True, type=Path, help="event JSON file (see events/)")
    invoke.add_argument("--seed", action="store_true", help="load demo data first")
    for command in (serve, invoke):
        command.add_argument("--env-vars", type=Path, help="JSON file of overrides, as `sam local --env-vars`")
    commands.add_parser("functions", help="list the template's functions and routes")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(levelname)s %(name)s: %(message)s")

    if args.command == "functions":
        for route in template.load().routes():
            print(f"{route.function:28} {route.route_key}")
        return 0
    code = None
    if args.command == "serve" and args.build_dir:
        code = BuiltCode(
            args.build_dir.resolve(), args.python, args.runtime_dir.resolve() if args.runtime_dir else None
        )
    endpoint = os.environ.get("DYNAMODB_ENDPOINT") or None  # any DynamoDB-compatible endpoint; else moto
    prefork = args.command == "serve" and args.prefork
    runtime = Runtime(template.load(), endpoint, environment=_env_vars(args.env_vars), code=code, prefork=prefork)
    if args.command == "serve":
        runtime.start(db_port=args.db_port, db_host=args.db_host)
    else:
        runtime.start()
    # The seed's role grants (tools.grant_role) run here, as an operator's shell: on the local table.
    os.environ.update(runtime.operator_environment())
    from localapi.seed import seed
    from localapi.server import LocalApi

    try:
        if args.command == "invoke":
            if args.function not in runtime.template.functions():
                print(f"unknown function {args.function}; see `python -m localapi functions`", file=sys.stderr)
                return 2
            if args.seed:
                seed(LocalApi(runtime, port=0))
            event = json.loads(args.event.read_text(encoding="utf-8"))
            print(
                json.dumps(runtime.invoke(args.function, event, integration_timeout=None), indent=2, ensure_ascii=False)
            )
            return 0
        api = LocalApi(runtime, args.host, args.port)
        runtime.start_stream_pollers()  # the feed fan-out and queue consumers, as their event sources would
        if not args.no_reload:
            runtime.watch_code()
        if args.seed:
            tokens = seed(api)
            print(f"demo data loaded: users {', '.join(tokens)} (password: password123; ada is admin, grace moderator)")
        print(f"Conduit API on {api.url}/api  (DynamoDB: {runtime.endpoint})", flush=True)
        if args.db_host not in ("127.0.0.1", "localhost", "::1"):
            print(f"DynamoDB listens on {args.db_host} without authentication", flush=True)
        with contextlib.suppress(KeyboardInterrupt):
            api.serve_forever()
        return 0
    finally:
        runtime.stop()


if __name__ == "__main__":
    sys.exit(main())
