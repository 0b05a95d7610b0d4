"""Benchmark: the working calendar counts day by day, never minute by minute.

Run: .venv/bin/python bench/calendar_speed.py
Prints the time of 10,000 add_working_minutes calls (random starts in 2025-2027, random
sizes up to 5 working days), the same spans measured back, and a whole year added and
measured 100 times. A figure, not a test: the suite checks correctness, this the speed.
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

from aduan.sla.calendar import WorkingCalendar  # noqa: E402

JAKARTA = ZoneInfo("Asia/Jakarta")
CALLS = 10_000
FIVE_WORKING_DAYS = 5 * 450


def main() -> None:
    rng = random.Random(2026)
    first = dt.datetime(2025, 1, 1, tzinfo=JAKARTA)
    span = 3 * 365 * 24 * 3600
    cases = [
        (first + dt.timedelta(seconds=rng.randrange(span)), rng.randint(1, FIVE_WORKING_DAYS))
        for _ in range(CALLS)
    ]

    started = time.perf_counter()
    office = WorkingCalendar.default(tz=JAKARTA)  # cold: each year's holidays computed once
    dues = [office.add_working_minutes(start, n) for start, n in cases]
    cold = time.perf_counter() - started
    started = time.perf_counter()
    dues = [office.add_working_minutes(start, n) for start, n in cases]
    warm = time.perf_counter() - started
    started = time.perf_counter()
    measured = [office.working_minutes_between(s, d) for (s, _), d in zip(cases, dues, strict=True)]
    between = time.perf_counter() - started
    assert measured == [n for _, n in cases], "measuring back did not give N"

    start = dt.datetime(2026, 1, 1, tzinfo=JAKARTA)
    started = time.perf_counter()
    for _ in range(100):
        year = office.working_minutes_between(start, start.replace(year=2027))
        office.add_working_minutes(start, year)
    whole_year = time.perf_counter() - started

    print(f"{CALLS} add_working_minutes (1..{FIVE_WORKING_DAYS} min), cold: {cold:.3f} s")
    print(f"{CALLS} add_working_minutes, warm: {warm:.3f} s")
    print(f"{CALLS} working_minutes_between over the same spans: {between:.3f} s")
    print(f"100 x (measure 2026 + add it back, {year} working minutes): {whole_year:.3f} s")


if __name__ == "__main__":
    main()
