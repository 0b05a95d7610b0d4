"""Benchmark: the dashboard and the inboxes with 1,000,000 complaints and their steps.

Run:  .venv/bin/python bench/dashboard_speed.py [--complaints 1000000] [--open 300] [--runs 20]
      DATABASE_URL=postgres://postgres@127.0.0.1:5432/test .venv/bin/python bench/dashboard_speed.py

Builds a throwaway database (SQLite in a temporary folder; with a PostgreSQL DATABASE_URL a
new database on that server, dropped at the end), migrates it and fills it with raw inserts
(executemany on SQLite, COPY on PostgreSQL): N complaints received at working moments over
three years (June 2023 to May 2026) in the office's categories and channels, each taken
through the SOP (five steps; one in twelve returned once by the Kasi: seven), four in ten
rated; the last `--open` complaints are still open at a step. The stored measures and the
dashboard's running counts are written as the services would have written them. The
working minutes are drawn, not computed with the calendar: this measures speed, the suite
checks the numbers.

Then it times, `--runs` times each after one warm-up run (p50 and p95), with the SQL query
count of one run:
  - dashboard_for for Kadis (the office), a Kasi (a section of 3 categories), a Staff member
    (own work), for May 2026 and for June 2025 – May 2026;
  - inbox_for (the desk's inbox query and rows) for each role.
Targets (issue #8): dashboard p95 under 200 ms, inbox p95 under 50 ms. A figure, not a test.
"""

import argparse
import datetime as dt
import os
import random
import statistics
import sys
import time
from collections import defaultdict
from pathlib import Path
from zoneinfo import ZoneInfo

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "aduan.settings")
os.environ.setdefault("ADUAN_TESTING", "1")

from sla_sweep import throwaway_database  # noqa: E402  (bench/ is on sys.path)

JAKARTA = ZoneInfo("Asia/Jakarta")
START = dt.date(2023, 6, 1)
END = dt.date(2026, 5, 30)
NOW = dt.datetime(2026, 6, 1, 10, 0, tzinfo=JAKARTA)
STAFF = 10
CHANNELS = ("web", "whatsapp", "email", "phone", "walk_in", "letter", "lapor")
CHANNEL_WEIGHTS = (40, 25, 10, 8, 10, 2, 5)
CHUNK = 20_000


def working_days() -> list[dt.date]:
    days, day = [], START
    while day <= END:
        if day.weekday() < 5:
            days.append(day)
        day += dt.timedelta(days=1)
    return days


class Writer:
    """Rows of one table in column order, written in chunks by the fastest plain means."""

    def __init__(self, model, **constants):
        from django.db import connection

        self.connection = connection
        self.fields = [f for f in model._meta.concrete_fields if not f.primary_key]
        self.columns = [f.column for f in self.fields]
        self.table = model._meta.db_table
        defaults = {}
        for f in self.fields:
            value = constants.get(f.name, constants.get(f.attname, f.get_default()))
            defaults[f.attname] = f.get_db_prep_save(value, connection)
        self.defaults = defaults
        self.rows: list[tuple] = []
        self.written = 0

    def add(self, **values) -> None:
        row = dict(self.defaults)
        row.update(values)
        self.rows.append(tuple(row[f.attname] for f in self.fields))
        if len(self.rows) >= CHUNK:
            self.flush()

    def flush(self) -> None:
        if not self.rows:
            return
        with self.connection.cursor() as cursor:
            if self.connection.vendor == "postgresql":
                columns = ", ".join(f'"{c}"' for c in self.columns)
                with cursor.cursor.copy(f'COPY "{self.table}" ({columns}) FROM STDIN') as copy:
                    for row in self.rows:
                        copy.write_row(row)
            else:
                marks = ", ".join("?" for _c in self.columns)
                columns = ", ".join(f'"{c}"' for c in self.columns)
                cursor.cursor.executemany(
                    f'INSERT INTO "{self.table}" ({columns}) VALUES ({marks})', self.rows
                )
        self.written += len(self.rows)
        self.rows = []


def build(complaints: int, still_open: int, seed: int = 8) -> dict:
    from django.db import connection, transaction

    from aduan.accounts.models import RoleGrant, Unit
    from aduan.complaints.models import Category, Complaint, ComplaintStep, Rating
    from aduan.dashboard.models import (
        DayCount,
        OwnAnswer,
        OwnDayCount,
        OwnStepDayCount,
        StepDayCount,
    )
    from aduan.dashboard.tallies import week_and_month
    from aduan.sop.services import sop_load
    from conftest import make_official

    rng = random.Random(seed)
    version, _created = sop_load()
    definition = version.definition
    categories = list(Category.objects.order_by("position"))
    units = [Unit.objects.create(code=f"seksi-{n}", name=f"Seksi {n}") for n in range(1, 4)]
    for n, category in enumerate(categories):
        category.unit = units[n % 3]
        category.save(update_fields=["unit"])
    people = {
        "staff": [make_official(f"staf{n}", f"Staf {n}", "staff") for n in range(STAFF)],
        "kasi": [make_official(f"kasi{n}", f"Kasi {n}", "kasi") for n in range(3)],
        "kabid": [make_official("agus", "Agus", "kabid")],
        "kadis": [make_official("hadi", "Hadi", "kadis")],
    }
    for unit, kasi in zip(units, people["kasi"], strict=True):
        RoleGrant.objects.filter(user=kasi, role="kasi").update(unit=unit)
    standard = {s.id: s.minutes for s in definition.ordered_steps}
    path = [s.id for s in definition.main_path]
    role = {s.id: s.role for s in definition.ordered_steps}
    spread = {"draft": (10, 150), "answer": (3, 40)}
    days = working_days()
    per_day = complaints / len(days)
    to_db = connection.ops.adapt_datetimefield_value
    complaint_rows = Writer(Complaint, sop_version=version.pk, language="id")
    step_rows = Writer(ComplaintStep)
    rating_rows = Writer(Rating)
    answer_rows = Writer(OwnAnswer)
    day_counts: dict[tuple, list[int]] = defaultdict(lambda: [0, 0, 0, 0, 0])
    step_counts: dict[tuple, list[int]] = defaultdict(lambda: [0, 0, 0])
    # The officials' own counts: (official, day, category, channel) -> taken up, answered,
    # rated, score sum; (official, day, step, category) -> decided, within, returns.
    own_counts: dict[tuple, list[int]] = defaultdict(lambda: [0, 0, 0, 0])
    own_step_counts: dict[tuple, list[int]] = defaultdict(lambda: [0, 0, 0])
    seq_of_year: dict[int, int] = defaultdict(int)
    started_build = time.perf_counter()
    with transaction.atomic():
        for n in range(complaints):
            day = days[min(len(days) - 1, int(n / per_day))]
            received = dt.datetime.combine(day, dt.time(7, 30), JAKARTA) + dt.timedelta(
                minutes=rng.randrange(450)
            )
            category = categories[min(int(rng.expovariate(0.35)), len(categories) - 1)]
            channel = rng.choices(CHANNELS, CHANNEL_WEIGHTS)[0]
            staff = people["staff"][n % STAFF]
            kasi = people["kasi"][categories.index(category) % 3]
            deciders = {"staff": staff, "kasi": kasi}
            deciders |= {"kabid": people["kabid"][0], "kadis": people["kadis"][0]}
            is_open = n >= complaints - still_open
            route = list(path)
            if rng.random() < 1 / 12:
                route[2:2] = ["draft", "verify_kasi"]  # the Kasi returns the first draft
            stop = rng.randrange(len(route)) if is_open else len(route)
            seq_of_year[day.year] += 1
            pk = n + 1
            at, total = received, 0
            worked_on: list[int] = []  # the officials who decided a step, in order
            for seq, step in enumerate(route[: stop + 1], start=1):
                if seq > stop:  # the open step
                    step_rows.add(
                        complaint_id=pk,
                        seq=seq,
                        step=step,
                        role=role[step],
                        started_at=to_db(at),
                        due_at=to_db(at + dt.timedelta(minutes=standard[step] * 3)),
                    )
                    break
                low, high = spread.get(step, (2, 45))
                minutes = rng.randint(low, high)
                decided = at + dt.timedelta(minutes=minutes)
                returned = len(route) == 7 and seq == 2
                within = minutes <= standard[step]
                following = route[seq] if seq < len(route) else definition.end
                step_rows.add(
                    complaint_id=pk,
                    seq=seq,
                    step=step,
                    role=role[step],
                    started_at=to_db(at),
                    due_at=to_db(at + dt.timedelta(minutes=standard[step])),
                    decided_at=to_db(decided),
                    decided_by_id=deciders[role[step]].pk,
                    decision="return" if returned else "approve",
                    next_step=following,
                    working_minutes=minutes,
                    within_standard=within,
                )
                official = deciders[role[step]].pk
                for counts in (
                    step_counts[decided.date(), step, category.pk],
                    own_step_counts[official, decided.date(), step, category.pk],
                ):
                    counts[0] += 1
                    counts[1] += within
                    counts[2] += returned
                if official not in worked_on:
                    worked_on.append(official)
                    own_counts[official, decided.date(), category.pk, channel][0] += 1
                at, total = decided, total + minutes
            counts = day_counts[day, category.pk, channel]
            counts[0] += 1
            answered = not is_open
            if answered:
                day_counts[at.date(), category.pk, channel][1] += 1
                for official in worked_on:
                    own_counts[official, at.date(), category.pk, channel][1] += 1
                    answer_rows.add(
                        official_id=official,
                        complaint_id=pk,
                        category_id=category.pk,
                        answered_at=to_db(at),
                        answered_month=at.date().replace(day=1),
                        answer_minutes=total,
                    )
            complaint_rows.add(
                tracking_code=f"BEN-{pk:010d}",
                agenda_year=day.year,
                agenda_seq=seq_of_year[day.year],
                channel=channel,
                category_id=category.pk,
                subject=f"Pengaduan {pk}",
                description="",
                current_step="" if answered else route[stop],
                status="answered" if answered else "open",
                received_at=to_db(received),
                closed_at=to_db(at) if answered else None,
                answer_minutes=total if answered else None,
                answered_month=at.date().replace(day=1) if answered else None,
            )
            if answered and rng.random() < 0.4:
                rated_at = at + dt.timedelta(days=1)
                score = rng.choices((1, 2, 3, 4, 5), (5, 10, 20, 40, 25))[0]
                rating_rows.add(complaint_id=pk, score=score, created_at=to_db(rated_at))
                counts = day_counts[rated_at.date(), category.pk, channel]
                counts[3] += 1
                counts[4] += score
                for official in worked_on:
                    counts = own_counts[official, rated_at.date(), category.pk, channel]
                    counts[2] += 1
                    counts[3] += score
            if n % CHUNK == 0:
                complaint_rows.flush()  # the complaints before their steps and ratings
                step_rows.flush()
                rating_rows.flush()
                answer_rows.flush()
                print(f"\r  built {n:,} complaints", end="", flush=True)
        for writer in (complaint_rows, step_rows, rating_rows, answer_rows):
            writer.flush()
        DayCount.objects.bulk_create(
            (
                DayCount(
                    day=d,
                    **week_and_month(d),
                    category_id=c,
                    channel=ch,
                    received=r,
                    answered=a,
                    withdrawn=w,
                    rated=n,
                    score_sum=total,
                )
                for (d, c, ch), (r, a, w, n, total) in day_counts.items()
            ),
            batch_size=5000,
        )
        StepDayCount.objects.bulk_create(
            (
                StepDayCount(
                    day=d,
                    month=d.replace(day=1),
                    step=s,
                    category_id=c,
                    decided=n,
                    within=w,
                    returns=r,
                )
                for (d, s, c), (n, w, r) in step_counts.items()
            ),
            batch_size=5000,
        )
        OwnDayCount.objects.bulk_create(
            (
                OwnDayCount(
                    official_id=o,
                    day=d,
                    **week_and_month(d),
                    category_id=c,
                    channel=ch,
                    taken_up=t,
                    answered=a,
                    rated=n,
                    score_sum=total,
                )
                for (o, d, c, ch), (t, a, n, total) in own_counts.items()
            ),
            batch_size=5000,
        )
        OwnStepDayCount.objects.bulk_create(
            (
                OwnStepDayCount(
                    official_id=o,
                    day=d,
                    month=d.replace(day=1),
                    step=s,
                    category_id=c,
                    decided=n,
                    within=w,
                    returns=r,
                )
                for (o, d, s, c), (n, w, r) in own_step_counts.items()
            ),
            batch_size=5000,
        )
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT setval(pg_get_serial_sequence('complaints_complaint', 'id'), %s)",
                [complaints],
            )
    print(
        f"\r  built {complaints:,} complaints, {step_rows.written:,} steps, "
        f"{rating_rows.written:,} ratings, {answer_rows.written:,} own answers "
        f"in {time.perf_counter() - started_build:.0f} s"
    )
    started = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE" if connection.vendor == "postgresql" else "ANALYZE")
    print(f"  analyze: {time.perf_counter() - started:.0f} s")
    return people


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
