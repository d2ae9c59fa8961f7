"""Ids (time-ordered, strictly increasing) and timestamps."""

from __future__ import annotations

import calendar
import itertools
import re
import threading
import time
from types import SimpleNamespace

from conduit.store import ids
from conduit.store.ids import iso_now, new_id

ISO = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$")


def test_id_is_24_lowercase_hex_characters():
    for _ in range(100):
        assert re.fullmatch(r"[0-9a-f]{24}", new_id())


def test_ids_are_strictly_increasing():
    generated = [new_id() for _ in range(5000)]
    assert generated == sorted(generated)
    assert len(set(generated)) == len(generated)
    assert all(a < b for a, b in itertools.pairwise(generated))


def test_id_prefix_is_the_creation_time_in_nanoseconds():
    before = time.time_ns()
    made = new_id()
    after = time.time_ns()
    assert before <= int(made[:16], 16) <= max(after, ids._last)


def test_ids_are_ordered_like_their_creation_times():
    first = new_id()
    time.sleep(0.002)
    second = new_id()
    assert first < second
    assert int(second[:16], 16) - int(first[:16], 16) >= 1_000_000


def fake_time(**functions: object) -> SimpleNamespace:
    """A stand-in for the `time` module as ids.py sees it (the real module stays untouched)."""
    return SimpleNamespace(strftime=time.strftime, gmtime=time.gmtime, **functions)


def test_ids_keep_increasing_when_the_clock_goes_backwards(monkeypatch):
    clock = iter([5_000, 1_000, 5_000, 4_000, 9_000])
    monkeypatch.setattr(ids, "_last", 0)  # restored after the test
    monkeypatch.setattr(ids, "time", fake_time(time_ns=lambda: next(clock)))
    made = [new_id() for _ in range(5)]
    assert [int(m[:16], 16) for m in made] == [5_000, 5_001, 5_002, 5_003, 9_000]
    assert made == sorted(made)


def test_ids_are_unique_across_threads():
    found: list[str] = []
    lock = threading.Lock()

    def work() -> None:
        local = [new_id() for _ in range(500)]
        with lock:
            found.extend(local)

    threads = [threading.Thread(target=work) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(set(found)) == 8 * 500
    assert len({f[:16] for f in found}) == 8 * 500, "the time prefix alone is unique within a container"


def test_iso_now_format():
    for _ in range(50):
        assert ISO.match(iso_now())


def test_iso_now_is_utc_now():
    before = time.time()
    stamp = iso_now()
    after = time.time()
    parsed = calendar.timegm(time.strptime(stamp[:19], "%Y-%m-%dT%H:%M:%S"))
    seconds = parsed + int(stamp[20:23]) / 1000
    assert before - 0.002 <= seconds <= after + 0.002


def test_iso_now_milliseconds(monkeypatch):
    for now, expected in [
        (1_700_000_000.0456, "2023-11-14T22:13:20.045Z"),
        (1_700_000_000.0, "2023-11-14T22:13:20.000Z"),
        (1_700_000_000.999, "2023-11-14T22:13:20.999Z"),
        (1_700_000_059.9996, "2023-11-14T22:14:19.999Z"),
        (946_684_799.5, "1999-12-31T23:59:59.500Z"),
    ]:
        monkeypatch.setattr(ids, "time", fake_time(time=lambda now=now: now))
        assert iso_now() == expected


def test_iso_timestamps_sort_like_time():
    first = iso_now()
    time.sleep(0.002)
    assert iso_now() > first
