"""Benchmark: the SLA sweep with many open steps.

Run:  .venv/bin/python bench/sla_sweep.py [--steps 1000000] [--due 10000]
      DATABASE_URL=postgres://postgres@127.0.0.1:5432/test .venv/bin/python bench/sla_sweep.py

Builds a throwaway database (SQLite in a temporary folder; with a PostgreSQL DATABASE_URL, a
new database on that server, dropped at the end), migrates it, and fills it with bulk_create:
N open complaints, each with one open step spread over the SOP's five steps. Then it times
  1. a sweep that finds nothing due (target: under 1 s), with the query plan of its search;
  2. a sweep at a later instant at which `--due` steps are past both their reminder and their
     due time: each is reminded and marked overdue, with its notices (target: under 10 s);
  3. the same sweep again, which finds nothing: the claimed rows have left the index.
A figure, not a test: the suite checks that the sweep is right, this how fast it is.
"""

import argparse
import datetime as dt
import os
import sys
import tempfile
import time
from pathlib import Path
from zoneinfo import ZoneInfo

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "aduan.settings")
os.environ.setdefault("ADUAN_TESTING", "1")  # no secret key needed, no data folder touched

JAKARTA = ZoneInfo("Asia/Jakarta")
# The instant the first sweep runs; nothing is due by then. The due steps come due in the
# hour after it; every other step a day or more later.
QUIET = dt.datetime(2026, 3, 2, 9, 0, tzinfo=JAKARTA)
BUSY = QUIET + dt.timedelta(hours=2)
CHUNK = 20_000


def throwaway_database() -> tuple[str, object]:
    """A DATABASE_URL for a new, empty database, and a function that removes it."""
    given = os.environ.get("DATABASE_URL", "")
    if given.startswith(("postgres://", "postgresql://")):
        import psycopg

        name = f"aduan_bench_{os.getpid()}"
        base, _slash, _db = given.rpartition("/")
        with psycopg.connect(given, autocommit=True) as admin:
            admin.execute(f'CREATE DATABASE "{name}"')

        def drop():
            from django.db import connections

            connections.close_all()
            with psycopg.connect(given, autocommit=True) as admin:
                admin.execute(f'DROP DATABASE IF EXISTS "{name}"')

        return f"{base}/{name}", drop
    folder = Path(tempfile.mkdtemp(prefix="aduan-bench-"))

    def remove():
        for path in folder.iterdir():
            path.unlink()
        folder.rmdir()

    return f"sqlite:///{folder / 'bench.sqlite3'}", remove


def build(steps: int, due: int) -> None:
    from django.db import connection, transaction

    from aduan.complaints.models import Category, Complaint, ComplaintStep
    from aduan.sop.services import sop_load
    from conftest import make_official

    version, _created = sop_load()
    definition = version.definition
    category = Category.objects.get_or_create(code="ktp-el", defaults={"name": "KTP-el"})[0]
    for username, role in [
        ("budi", "staff"),
        ("eko", "staff"),
        ("wati", "kasi"),
        ("agus", "kabid"),
        ("hadi", "kadis"),
        ("dewi", "auditor"),
    ]:
        make_official(username, username.title(), role)
    spread = definition.main_path
    every = max(1, steps // due) if due else steps + 1  # the due ones, spread evenly
    received = QUIET - dt.timedelta(days=1)
    made = 0
    while made < steps:
        size = min(CHUNK, steps - made)
        with transaction.atomic():
            complaints = Complaint.objects.bulk_create(
                [
                    Complaint(
                        tracking_code=f"BEN-{n:09d}",
                        agenda_year=2026,
                        agenda_seq=n + 1,
                        category=category,
                        subject=f"Pengaduan {n}",
                        description="",
                        sop_version=version,
                        current_step=spread[n % len(spread)].id,
                        received_at=received,
                    )
                    for n in range(made, made + size)
                ]
            )
            rows = []
            for complaint in complaints:
                n = complaint.agenda_seq - 1
                spec = spread[n % len(spread)]
                if n % every == 0 and n // every < due:  # due within the hour after QUIET
                    remind_at = QUIET + dt.timedelta(seconds=1 + (n // every) % 3599)
                    due_at = remind_at + dt.timedelta(minutes=5)
                else:  # a day to a month later
                    remind_at = BUSY + dt.timedelta(days=1, minutes=n % 43_200)
                    due_at = remind_at + dt.timedelta(minutes=5)
                rows.append(
                    ComplaintStep(
                        complaint_id=complaint.pk,
                        seq=1,
                        step=spec.id,
                        role=spec.role,
                        started_at=received,
                        remind_at=remind_at,
                        due_at=due_at,
                    )
                )
            ComplaintStep.objects.bulk_create(rows, batch_size=5000)
        made += size
        print(f"\r  built {made:,} open steps", end="", flush=True)
    print()
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


def search_plan() -> str:
    from django.db import connection

    from aduan.sla.sweep import _candidates

    query = None

    def capture(execute, sql, params, many, context):
        nonlocal query
        query = query or (sql, params)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(capture):
        _candidates("reminded_at", "remind_at", QUIET, None, 500)
    sql, params = query
    with connection.cursor() as cursor:
        prefix = "EXPLAIN QUERY PLAN " if connection.vendor == "sqlite" else "EXPLAIN "
        cursor.execute(prefix + sql, params)
        return "\n".join("    " + " ".join(str(c) for c in row) for row in cursor.fetchall())


def timed(label: str, **kwargs):
    from aduan.sla.sweep import sla_sweep

    started = time.perf_counter()
    counts = sla_sweep(**kwargs)
    elapsed = time.perf_counter() - started
    print(f"  {label}: {elapsed:.3f} s ({counts})")
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--steps", type=int, default=1_000_000, help="open steps to build")
    parser.add_argument("--due", type=int, default=10_000, help="steps due at the busy sweep")
    options = parser.parse_args()
    url, remove = throwaway_database()
    os.environ["DATABASE_URL"] = url
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    try:
        call_command("migrate", verbosity=0)
        print(f"{connection.vendor}, {options.steps:,} open steps, {options.due:,} due:")
        started = time.perf_counter()
        build(options.steps, options.due)
        print(f"  build: {time.perf_counter() - started:.1f} s")
        print("  search plan of a sweep:")
        print(search_plan())
        timed("sweep, nothing due (cold)", now=QUIET)
        timed("sweep, nothing due", now=QUIET)
        timed(f"sweep, {options.due:,} due", now=BUSY)
        timed("sweep again, nothing left", now=BUSY)
    finally:
        remove()


if __name__ == "__main__":
    main()
