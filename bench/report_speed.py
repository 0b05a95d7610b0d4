"""Benchmark: the compliance report (laporan mutu baku) over a year of complaints.

Run: .venv/bin/python bench/report_speed.py [--db]

Makes 50,000 decided step instances: about 9,000 complaints received at random working
moments of 2026, each taken through the SOP with random working times and some returns
(a Kasi returns one draft in ten, a Kabid one in twenty). Prints the time
aduan.sla.report.compliance_report takes to measure them all with the office calendar
(holidays included), per step and per official.

With --db it also stores them in a fresh test database (SQLite, or the PostgreSQL of
DATABASE_URL: Django's test database beside it, dropped afterwards) and times the one query
of aduan.sla.report_selectors.report_step_rows for the whole year. A figure, not a test.
"""

import datetime as dt
import os
import random
import sys
import time
from pathlib import Path
from zoneinfo import ZoneInfo

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "aduan.settings")
os.environ.setdefault("ADUAN_TESTING", "1")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402

from aduan.sla.calendar import WorkingCalendar  # noqa: E402
from aduan.sla.report import StepRow, compliance_report  # noqa: E402
from aduan.sop.definition import parse_definition  # noqa: E402

JAKARTA = ZoneInfo("Asia/Jakarta")
ROWS = 50_000
YEAR = (dt.datetime(2026, 1, 1, tzinfo=JAKARTA), dt.datetime(2027, 1, 1, tzinfo=JAKARTA))
RETURN_CHANCE = {"verify_kasi": 0.10, "verify_kabid": 0.05}
OFFICIALS = {"staff": (1, 2, 3), "kasi": (4, 5), "kabid": (6,), "kadis": (7, 8)}


def make_rows(definition, calendar, rng: random.Random) -> list[StepRow]:
    """Complaints taken through the SOP until there are ROWS step instances."""
    rows: list[StepRow] = []
    complaint_id = 0
    year_minutes = calendar.working_minutes_between(*YEAR) - 5 * 450
    while len(rows) < ROWS:
        complaint_id += 1
        received = calendar.add_working_minutes(YEAR[0], rng.randrange(year_minutes))
        started, step_id, seq = received, definition.start, 0
        while step_id != definition.end and len(rows) < ROWS:
            seq += 1
            step = definition.step(step_id)
            decided = calendar.add_working_minutes(
                started, max(1, int(rng.lognormvariate(0, 0.7) * step.minutes))
            )
            returns = definition.return_edges(step_id)
            if returns and rng.random() < RETURN_CHANCE.get(step_id, 0):
                decision, target = "return", returns[0].target
            else:
                decision, target = "approve", definition.approve_edge(step_id).target
            acting = "plh" if step.role == "kadis" and rng.random() < 0.1 else ""
            rows.append(
                StepRow(
                    complaint_id,
                    seq,
                    step_id,
                    step.role,
                    started,
                    decided,
                    decision,
                    target,
                    rng.choice(OFFICIALS[step.role]),
                    acting,
                    received,
                )
            )
            started, step_id = decided, target
    return rows


def timed(label: str, function):
    started = time.perf_counter()
    result = function()
    print(f"{label}: {time.perf_counter() - started:.3f} s")
    return result


def measure(rows, definition, calendar, per_official: bool):
    return compliance_report(
        rows=rows,
        definition=definition,
        calendar=calendar,
        start=YEAR[0],
        end=YEAR[1],
        per_official=per_official,
    )


def store_and_query(rows, definition) -> None:
    """Store the rows in a fresh test database and time the report's one query."""
    from django.db import connection
    from django.test.utils import setup_test_environment

    setup_test_environment()
    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        from aduan.accounts.models import User
        from aduan.complaints.models import Category, Complaint, ComplaintStep
        from aduan.sla.report_selectors import report_step_rows
        from aduan.sop.services import sop_load

        version, _created = sop_load()
        category, _ = Category.objects.get_or_create(code="bench", defaults={"name": "Bench"})
        for user_id in range(1, 9):
            User.objects.create(id=user_id, username=f"pejabat{user_id}")
        received = {row.complaint_id: row.received_at for row in rows}
        Complaint.objects.bulk_create(
            [
                Complaint(
                    id=complaint_id,
                    tracking_code=f"BENCH-{complaint_id:06d}",
                    agenda_year=2026,
                    agenda_seq=complaint_id,
                    category=category,
                    subject="Bench",
                    description="Bench",
                    sop_version=version,
                    received_at=at,
                )
                for complaint_id, at in received.items()
            ],
            batch_size=2000,
        )
        ComplaintStep.objects.bulk_create(
            [
                ComplaintStep(
                    complaint_id=row.complaint_id,
                    seq=row.seq,
                    step=row.step,
                    role=row.role,
                    started_at=row.started_at,
                    decided_at=row.decided_at,
                    decided_by_id=row.decided_by_id,
                    decided_as=row.decided_as,
                    decision=row.decision,
                    next_step=row.next_step,
                )
                for row in rows
            ],
            batch_size=2000,
        )
        print(f"stored {len(received)} complaints, {len(rows)} steps in {connection.vendor}")
        fetched = timed(
            "report_step_rows, the whole of 2026 (one query)",
            lambda: report_step_rows(sop_code=version.code, start=YEAR[0], end=YEAR[1]),
        )
        assert len(fetched) == len(rows), (len(fetched), len(rows))
        calendar = WorkingCalendar.default(tz=JAKARTA)
        timed(
            "query + compliance_report per step and per official",
            lambda: measure(
                report_step_rows(sop_code=version.code, start=YEAR[0], end=YEAR[1]),
                definition,
                calendar,
                True,
            ),
        )
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)


def main() -> None:
    definition = parse_definition(settings.DEFAULT_SOP_FILE.read_text(encoding="utf-8"))
    rng = random.Random(2026)
    rows = make_rows(definition, WorkingCalendar.default(tz=JAKARTA), rng)
    complaints = rows[-1].complaint_id
    print(f"{len(rows)} step instances of {complaints} complaints received in 2026")

    calendar = WorkingCalendar.default(tz=JAKARTA)  # its day cache empty
    report = timed(
        "compliance_report per step, new calendar object",
        lambda: measure(rows, definition, calendar, False),
    )
    timed("compliance_report per step, warm", lambda: measure(rows, definition, calendar, False))
    timed(
        "compliance_report per step and per official",
        lambda: measure(rows, definition, calendar, True),
    )
    print(
        f"checked: {report.total.count} instances, {report.total.returns} returns, "
        f"{report.end_to_end.count} answered, end-to-end median {report.end_to_end.median} min"
    )
    if "--db" in sys.argv:
        store_and_query(rows, definition)


if __name__ == "__main__":
    main()
