"""A background poller: `drain()` once every `interval` seconds on a daemon thread until stopped.

What Lambda's event source mappings do for the local API (streams.py: the table's stream,
queues.py: SQS queues); each subclass says how to drain its source.
"""

from __future__ import annotations

import contextlib
import threading
from typing import Self


class Poller:
    thread_name = "poller"

    def __init__(self, interval: float) -> None:
        self.interval = interval
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def drain(self) -> int:
        raise NotImplementedError

    def start(self) -> Self:
        def loop() -> None:
            while not self._stop.wait(self.interval):
                with contextlib.suppress(Exception):  # the local server keeps serving; the next poll retries
                    self.drain()

        self._thread = threading.Thread(target=loop, name=self.thread_name, daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stop.set()
        if self._thread:
            self._thread.join(timeout=5)
