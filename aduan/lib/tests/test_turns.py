"""The busiest writes wait for SQLite's write lock in short turns, and give up only at the
connection's own timeout."""

import sqlite3
import threading
import time

import pytest
from django.db import OperationalError, connection, transaction

from aduan.lib.turns import quick_turns
from aduan.public.models import RateCounter

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


@pytest.fixture
def sqlite_only():
    if connection.vendor != "sqlite":
        pytest.skip("SQLite's write lock (PostgreSQL writers do not take turns)")
    connection.ensure_connection()


def hold_the_write_lock(release: threading.Event, held: threading.Event) -> threading.Thread:
    """Another connection (as another gunicorn process would) takes the write lock and
    keeps it until `release` is set."""
    path = connection.settings_dict["NAME"]

    def holder():
        other = sqlite3.connect(path, isolation_level=None, timeout=5)
        other.execute("BEGIN IMMEDIATE")
        held.set()
        release.wait(10)
        other.execute("COMMIT")
        other.close()

    thread = threading.Thread(target=holder)
    thread.start()
    assert held.wait(5)
    return thread


def count(bucket: str) -> None:
    RateCounter.objects.create(bucket=bucket, hits=1, expires_at="2030-01-01T00:00:00Z")


def busy_timeout() -> int:
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA busy_timeout")
        return cursor.fetchone()[0]


def test_a_write_waits_for_the_lock_and_is_written_once_it_is_free(sqlite_only):
    release, held = threading.Event(), threading.Event()
    holder = hold_the_write_lock(release, held)
    threading.Timer(0.05, release.set).start()
    with quick_turns() as turn:
        turn(lambda: count("waited"))
    holder.join()
    assert RateCounter.objects.filter(bucket="waited").count() == 1
    assert busy_timeout() == 20000  # the connection's own wait is back for other writes


def test_a_lock_held_past_the_timeout_is_an_error_not_a_hang(sqlite_only, monkeypatch):
    monkeypatch.setitem(connection.settings_dict["OPTIONS"], "timeout", 0.2)
    release, held = threading.Event(), threading.Event()
    holder = hold_the_write_lock(release, held)
    started = time.monotonic()
    try:
        with pytest.raises(OperationalError, match="locked"), quick_turns() as turn:
            turn(lambda: count("never"))
        waited = time.monotonic() - started
    finally:
        release.set()
        holder.join()
    assert 0.15 <= waited < 5
    assert not RateCounter.objects.filter(bucket="never").exists()
    assert busy_timeout() == 200
    connection.close()  # the next test's connection waits its 20 s again


def test_inside_a_transaction_the_write_just_runs(sqlite_only):
    with transaction.atomic(), quick_turns() as turn:
        turn(lambda: count("in a transaction"))
        assert busy_timeout() == 20000  # not touched: the transaction has its own wait
    assert RateCounter.objects.filter(bucket="in a transaction").count() == 1
