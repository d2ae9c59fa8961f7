"""Bootstrap or change a user's role straight in the table: how the first admin is made.

    python -m tools.grant_role --table conduit-prod --region eu-west-1 ada admin

Uses your AWS credentials (or DYNAMODB_ENDPOINT for a local table). There is deliberately no API
route that can create the first admin; after that, admins use PUT /api/admin/users/{username}/role.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

LAYER = Path(__file__).resolve().parent.parent / "layers" / "conduit"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tools.grant_role", description=__doc__.split("\n")[0])
    parser.add_argument("username")
    parser.add_argument("role", choices=["user", "moderator", "admin"])
    parser.add_argument("--table", required=True, help="the stack's table, e.g. conduit-prod")
    parser.add_argument("--region", default=os.environ.get("AWS_REGION", "us-east-1"))
    args = parser.parse_args(argv)
    os.environ["TABLE_NAME"] = args.table
    os.environ["AWS_REGION"] = args.region
    _layer_on_path()
    from conduit.settings import get_settings

    get_settings.cache_clear()
    return grant(args.username, args.role)


def grant(username: str, role: str) -> int:
    _layer_on_path()  # also when called in-process (`python -m localapi serve --seed`), not only from main
    from conduit.store import users

    uid = users.id_for_username(username)
    if uid is None:
        print(f"no user named {username!r}", file=sys.stderr)
        return 1
    updated = users.set_flags(uid, role=role)
    print(f"{updated['username']} is now {updated['role']}")
    return 0


if __name__ == "__main__":
    sys.exit(main())


def _layer_on_path() -> None:
    """The shared layer's `conduit` package, importable as in a function (the tool runs outside Lambda)."""
    if str(LAYER) not in sys.path:
        sys.path.insert(0, str(LAYER))
