"""Benchmark: the dashboard and the inboxes with 1,000,000 complaints and their steps.

Run:  .venv/bin/python bench/dashboard_speed.py [--complaints 1000000] [--open 300] [--runs 20]
      DATABASE_URL=postgres://postgres@127.0.0.1:5432/test .venv/bin/python bench/dashboard_speed.py

Builds a throwaway database (SQLite in a temporary folder; with a PostgreSQL DATABASE_URL a
new database on that server, dropped at the end), migrates it and fills it with the seeding
module (`aduan.core.seeding`, what `manage.py seed_complaints` runs) as of 2 June 2026 15:00:
N complaints of an office of 1,200 a weekday (about three years back), each with its whole
history through the SOP (steps, drafts, answers and letters, ratings, audit events), the
last `--open` still open at every step, the running counts as the services write them.

Then it times, `--runs` times each after one warm-up run (p50 and p95), with the SQL query
count of one run:
  - dashboard_for for Kadis (the office), a Kasi (a section of the office's categories), a
    Staff member (own work), for May 2026 and for June 2025 – May 2026;
  - inbox_for (the desk's inbox query and rows) for each role.
Targets (issue #8): dashboard p95 under 200 ms, inbox p95 under 50 ms. A figure, not a test.
"""

import argparse
import datetime as dt
import os
import statistics
import sys
import time
from pathlib import Path
from zoneinfo import ZoneInfo

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "aduan.settings")
os.environ.setdefault("ADUAN_TESTING", "1")

from sla_sweep import throwaway_database  # noqa: E402  (bench/ is on sys.path)

JAKARTA = ZoneInfo("Asia/Jakarta")
NOW = dt.datetime(2026, 6, 2, 15, 0, tzinfo=JAKARTA)  # Tuesday: 1 June is Pancasila Day


def build(complaints: int, still_open: int, seed: int = 8) -> dict:
    """Seed the office as of NOW; the officials who measure, by role."""
    import time_machine
    from django.db import connection

    from aduan.accounts.models import User
    from aduan.core.seeding import complaints_seed

    def progress(added: int, need: int, seconds: float) -> None:
        print(f"\r  built {added:,} of {need:,} complaints ({seconds:.0f} s)", end="", flush=True)

    with time_machine.travel(NOW, tick=True):
        report = complaints_seed(
            total=complaints, seed=seed, still_open=still_open, progress=progress
        )
    print(f"\r  built {report.added:,} complaints in {report.seconds:.0f} s" + " " * 20)
    started = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE" if connection.vendor == "postgresql" else "ANALYZE")
    print(f"  analyze: {time.perf_counter() - started:.0f} s")

    def holders(role: str, **grant):
        users = User.objects.filter(
            role_grants__role=role, role_grants__kind="definitive", **grant
        ).order_by("pk")
        return list(users.distinct())

    # The Kasi measured heads a section: their dashboard counts its categories.
    kasi = holders("kasi", role_grants__unit__isnull=False) or holders("kasi")
    return {
        "staff": holders("staff"),
        "kasi": kasi,
        "kabid": holders("kabid"),
        "kadis": holders("kadis"),
    }


def timed(call, runs: int) -> tuple[float, float, int]:
    """p50 and p95 in milliseconds over `runs` runs after a warm-up, and the queries of one."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        call()
    times = []
    for _run in range(runs):
        started = time.perf_counter()
        call()
        times.append((time.perf_counter() - started) * 1000)
    times.sort()
    p95 = times[max(0, -(-95 * len(times) // 100) - 1)]
    return statistics.median(times), p95, len(queries)


def measure(people: dict, runs: int) -> None:
    import time_machine

    from aduan.accounts.models import User
    from aduan.dashboard.selectors import dashboard_for
    from aduan.desk.inbox import inbox_for

    periods = {
        "month": (dt.date(2026, 5, 1), dt.date(2026, 5, 31)),
        "year": (dt.date(2025, 6, 1), dt.date(2026, 5, 31)),
    }
    levels = {
        "Kadis (office)": people["kadis"][0],
        "Kasi (section)": people["kasi"][0],
        "Staff (own work)": people["staff"][0],
    }
    print(f"  {'what':<40} {'p50 ms':>8} {'p95 ms':>8} {'queries':>8}")
    with time_machine.travel(NOW, tick=True):
        for level, user in levels.items():
            for name, (first, last) in periods.items():

                def call(user=user, first=first, last=last):
                    fresh = User.objects.get(pk=user.pk)  # a request's user: roles unread
                    return dashboard_for(user=fresh, first=first, last=last)

                p50, p95, queries = timed(call, runs)
                print(
                    f"  {'dashboard, ' + level + ', ' + name:<40} {p50:8.1f} {p95:8.1f} "
                    f"{queries:8d}"
                )
        for role in ("staff", "kasi", "kabid", "kadis"):
            user = people[role][0]

            def call(user=user):
                return inbox_for(user=User.objects.get(pk=user.pk))

            p50, p95, queries = timed(call, runs)
            rows = len(call().rows)
            print(
                f"  {'inbox, ' + role + f' ({rows} rows)':<40} {p50:8.1f} {p95:8.1f} {queries:8d}"
            )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--complaints", type=int, default=1_000_000)
    parser.add_argument("--open", type=int, default=300, help="complaints still open")
    parser.add_argument("--runs", type=int, default=20)
    options = parser.parse_args()
    url, remove = throwaway_database()
    os.environ["DATABASE_URL"] = url
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    try:
        call_command("migrate", verbosity=0)
        print(
            f"{connection.vendor}, {options.complaints:,} complaints "
            f"({options.open:,} open), {options.runs} runs each:"
        )
        people = build(options.complaints, options.open)
        measure(people, options.runs)
    finally:
        remove()


if __name__ == "__main__":
    main()
