"""`make api` as a user runs it: `python -m localapi serve --seed` in a process of its own (no pytest
pythonpath), serving the seeded demo data with the demo roles granted (tools/grant_role in-process)."""

from __future__ import annotations

import os
import queue
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
import requests

ROOT = Path(__file__).resolve().parents[2]
READY = "Conduit API on "


@pytest.fixture(scope="module")
def served() -> Iterator[str]:
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "DYNAMODB_ENDPOINT", "TABLE_NAME")}
    command = [sys.executable, "-m", "localapi", "serve", "--seed", "--no-reload", "--port", "0"]  # port: in its log
    server = subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    lines: queue.Queue[str] = queue.Queue()
    threading.Thread(target=lambda: [lines.put(line) for line in server.stdout or []], daemon=True).start()
    seen: list[str] = []
    try:
        while not any(line.startswith(READY) for line in seen):
            try:
                seen.append(lines.get(timeout=120))
            except queue.Empty:
                pytest.fail("no answer from `localapi serve --seed` in 120 s:\n" + "".join(seen[-40:]))
            if server.poll() is not None and lines.empty():
                pytest.fail(f"`localapi serve --seed` exited with {server.returncode}:\n" + "".join(seen[-40:]))
        ready = next(line for line in seen if line.startswith(READY))
        yield ready.removeprefix(READY).split()[0]  # "Conduit API on http://127.0.0.1:<port>/api  (DynamoDB: ...)"
    finally:
        server.terminate()
        server.wait(timeout=30)


def test_the_demo_data_is_served(served):
    listed = requests.get(f"{served}/articles", timeout=10).json()
    assert listed["articlesCount"] >= 3
    assert {a["author"]["username"] for a in listed["articles"]} == {"ada", "grace", "linus"}


def test_the_demo_roles_are_granted(served):
    def token(name: str) -> str:
        user = {"email": f"{name}@example.com", "password": "password123"}
        answer = requests.post(f"{served}/users/login", json={"user": user}, timeout=10)
        assert answer.status_code == 200, answer.text
        return str(answer.json()["user"]["token"])

    def admin_list(name: str) -> int:
        headers = {"authorization": f"Token {token(name)}"}
        return requests.get(f"{served}/admin/users", headers=headers, timeout=10).status_code

    assert admin_list("ada") == 200  # admin
    assert admin_list("linus") == 403  # a plain user
