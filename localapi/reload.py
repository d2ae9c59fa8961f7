"""Code reload for `make api`: a changed file under a function's code or one of its layers takes effect on
that function's next request, in a new execution environment, as after a deployment (the database and
the other functions' warm environments stay). Polls file stamps; nothing to install."""

from __future__ import annotations

import importlib.util
import logging
import threading
from collections.abc import Callable, Iterable
from pathlib import Path

log = logging.getLogger("localapi")
Stamps = dict[Path, tuple[int, int]]
IGNORED_PARTS = {"__pycache__", ".pytest_cache"}


def stamps(roots: Iterable[Path]) -> Stamps:
    """(mtime_ns, size) of every file below the roots, bytecode caches left out."""
    found: Stamps = {}
    for root in roots:
        for path in root.rglob("*"):
            if path.suffix == ".pyc" or IGNORED_PARTS.intersection(path.parts) or not path.is_file():
                continue
            try:
                stat = path.stat()
            except OSError:  # removed meanwhile
                continue
            found[path] = (stat.st_mtime_ns, stat.st_size)
    return found


def forget_bytecode(path: Path) -> None:
    """Drop a changed module's cached bytecode: Python trusts a .pyc whose recorded mtime (in whole seconds)
    and size match, so an edit within the same second that keeps the size would otherwise be missed."""
    if path.suffix != ".py":
        return
    cached = Path(importlib.util.cache_from_source(str(path)))
    cached.unlink(missing_ok=True)


class CodeWatcher:
    """Calls `reload(functions, changed_files)` when files of those functions' code or layers change."""

    def __init__(
        self,
        sources: dict[str, tuple[Path, ...]],  # function -> its code dir and layer dirs
        reload: Callable[[list[str], list[Path]], None],
        interval: float = 0.5,
    ) -> None:
        self.sources = sources
        self.reload = reload
        self.interval = interval
        self._roots = sorted({root for roots in sources.values() for root in roots})
        self._last = stamps(self._roots)
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def check(self) -> list[str]:
        """Reload what changed since the last check; returns the functions reloaded."""
        now = stamps(self._roots)
        changed = sorted(path for path in now.keys() | self._last.keys() if now.get(path) != self._last.get(path))
        self._last = now
        if not changed:
            return []
        functions = sorted(
            name
            for name, roots in self.sources.items()
            if any(path.is_relative_to(root) for path in changed for root in roots)
        )
        for path in changed:
            forget_bytecode(path)
        if functions:
            self.reload(functions, changed)
        return functions

    def start(self) -> CodeWatcher:
        def loop() -> None:
            while not self._stop.wait(self.interval):
                try:
                    self.check()
                except Exception:  # a watcher failure must never take the API down
                    log.exception("code watcher")

        self._thread = threading.Thread(target=loop, name="code-watcher", daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stop.set()
