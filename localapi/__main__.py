"""Command line: `python -m localapi serve` (the local API) and `python -m localapi invoke` (sam local invoke)."""

from __future__ import annotations

import argparse
import json
import logging
import sys
from pathlib import Path

from localapi import template
from localapi.database import EmbeddedDynamoDB
from localapi.runtime import Runtime


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
    invoke = commands.add_parser("invoke", help="run one function with an event file and print its response")
    invoke.add_argument("function", help="logical id in template.yaml, e.g. ArticleGetFunction")
    invoke.add_argument("-e", "--event", required=True, type=Path, help="event JSON file (see events/)")
    invoke.add_argument("--seed", action="store_true", help="load demo data first")
    commands.add_parser("functions", help="list the template's functions and routes")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(levelname)s %(name)s: %(message)s")
    logging.getLogger("conduit").setLevel(logging.WARNING)

    runtime = Runtime(template.load())
    if args.command == "functions":
        for route in runtime.routes:
            print(f"{route.function:28} {route.route_key}")
        return 0
    embedded: EmbeddedDynamoDB | None = None
    if args.command == "serve" and runtime.endpoint is None:
        embedded = EmbeddedDynamoDB(port=args.db_port, host=args.db_host)
        runtime.endpoint = embedded.start()
    runtime.start()
    from localapi.seed import seed
    from localapi.server import LocalApi

    if args.command == "invoke":
        if args.function not in runtime.template.functions():
            print(f"unknown function {args.function}; see `python -m localapi functions`", file=sys.stderr)
            return 2
        if args.seed:
            seed(LocalApi(runtime, port=0))
        event = json.loads(args.event.read_text(encoding="utf-8"))
        print(json.dumps(runtime.invoke(args.function, event), indent=2, ensure_ascii=False))
        return 0

    api = LocalApi(runtime, args.host, args.port)
    runtime.start_stream_pollers()  # the feed fan-out consumer, as the stream's event source would
    if args.seed:
        tokens = seed(api)
        print(f"demo data loaded: users {', '.join(tokens)} (password: password123; ada is admin, grace moderator)")
    print(f"Conduit API on {api.url}/api  (DynamoDB: {runtime.endpoint})", flush=True)
    if embedded is not None and embedded.host not in ("127.0.0.1", "localhost", "::1"):
        print(
            f"DynamoDB listens on {embedded.host}:{embedded.port} without authentication "
            f"(containers: http://host.docker.internal:{embedded.port})",
            flush=True,
        )
    try:
        api.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        runtime.stop()
        if embedded is not None:
            embedded.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
