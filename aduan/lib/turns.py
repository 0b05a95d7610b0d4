"""SQLite's one write lock, waited for in short turns by the busiest writes.

SQLite lets one connection write at a time. A writer that finds the lock taken waits in
SQLite's own busy handler, which sleeps 1, 2, 5, 10, 15 ms ... between tries: far longer
than the lock is held by a filing (well under a tenth of a millisecond). Under many
filings at once, the gunicorn processes spent much of their time asleep with the lock
free. `quick_turns()` makes the writes inside it try again after 50 µs, then 100, 200,
400 µs, and every millisecond after that, up to the connection's own timeout: Open311
filings at 16 clients went from 1,281 to 1,465 a second on SQLite (bench/README.md).

    with quick_turns() as turn:
        hits = turn(lambda: count())      # each a statement that commits by itself
        turn(lambda: insert())

Each `turn(write)` runs `write` again while SQLite answers "database is locked", which
it does before writing anything. Inside a transaction (the lock is held already, or is
the transaction's to take) and on PostgreSQL, `turn(write)` is just `write()`.
"""

import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from itertools import chain, repeat
from typing import TypeVar

from django.db import DEFAULT_DB_ALIAS, OperationalError, connections

T = TypeVar("T")
PAUSES = (0.00005, 0.0001, 0.0002, 0.0004)
LAST_PAUSE = 0.001


def _at_once(write: Callable[[], T]) -> T:
    return write()


@contextmanager
def quick_turns() -> Iterator[Callable[[Callable[[], T]], T]]:
    conn = connections[DEFAULT_DB_ALIAS]  # looked up once (each use of `connection` costs)
    if conn.vendor != "sqlite" or conn.in_atomic_block:
        yield _at_once
        return
    conn.ensure_connection()
    raw = conn.connection
    timeout = float(conn.settings_dict["OPTIONS"].get("timeout", 5))

    def turn(write: Callable[[], T]) -> T:
        deadline = time.monotonic() + timeout
        for pause in chain(PAUSES, repeat(LAST_PAUSE)):
            try:
                return write()
            except OperationalError as error:
                if "locked" not in str(error) or time.monotonic() + pause >= deadline:
                    raise
            time.sleep(pause)
        raise AssertionError  # not reached: the pauses never end

    raw.execute("PRAGMA busy_timeout = 0")
    try:
        yield turn
    finally:
        raw.execute(f"PRAGMA busy_timeout = {int(timeout * 1000)}")
