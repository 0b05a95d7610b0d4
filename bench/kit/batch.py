"""The batch jobs of the kit, each in a child process of its own with its own throwaway
database (DATABASE_URL: a PostgreSQL server to make it on, or unset for SQLite), built and
timed by the existing scripts' own functions:

  python -m bench.kit.batch sweep --steps N --due D   # bench/sla_sweep.py's build, then
      # the sweep that finds nothing due and the sweep that finds D due: time, peak memory
  python -m bench.kit.batch agenda --complaints N     # bench/agenda_export.py's build, then
      # the XLSX of the year through the real view in a fresh child: time, CPU, peak memory

Prints one JSON object (the last line). Peak memory is VmHWM, reset before each sweep
(writing 5 to /proc/self/clear_refs), so it is the sweep's own peak, not the build's.
"""

import argparse
import dataclasses
import json
import os
import re
import sys
import time
from pathlib import Path

BENCH = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(BENCH.parent))
sys.path.insert(0, str(BENCH))  # the scripts import each other as top-level modules


def peak_reset() -> bool:
    try:
        Path("/proc/self/clear_refs").write_text("5")
        return True
    except OSError:
        return False


def status_mib(field: str) -> float | None:
    """VmHWM (peak) or VmRSS (now) of this process, in MiB."""
    try:
        found = re.search(rf"{field}:\s+(\d+)", Path("/proc/self/status").read_text())
    except OSError:
        return None
    return round(int(found.group(1)) / 1024, 1) if found else None


def sweep(steps: int, due: int) -> dict:
    import sla_sweep  # sets ADUAN_TESTING as the script does: no secret key, no data folder

    url, remove = sla_sweep.throwaway_database()
    os.environ["DATABASE_URL"] = url
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from aduan.sla.sweep import sla_sweep as run_sweep

    try:
        call_command("migrate", verbosity=0)
        began = time.perf_counter()
        sla_sweep.build(steps, due)
        figures = {"vendor": connection.vendor, "steps": steps, "due": due}
        figures["build_s"] = round(time.perf_counter() - began, 1)
        for label, now in (("quiet", sla_sweep.QUIET), ("busy", sla_sweep.BUSY)):
            reset = peak_reset()
            figures[f"{label}_before_mib"] = status_mib("VmRSS")
            began = time.perf_counter()
            counts = run_sweep(now=now)
            figures[f"{label}_s"] = round(time.perf_counter() - began, 3)
            figures[f"{label}_peak_mib"] = status_mib("VmHWM") if reset else None
            figures[f"{label}_counts"] = dataclasses.asdict(counts)
        return figures
    finally:
        connection.close()
        remove()


def agenda(complaints: int) -> dict:
    import agenda_export
    import sla_sweep

    url, remove = sla_sweep.throwaway_database()
    os.environ["DATABASE_URL"] = url
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from aduan.complaints.models import Complaint

    try:
        call_command("migrate", verbosity=0)
        began = time.perf_counter()
        agenda_export.build(complaints)
        build_s = round(time.perf_counter() - began, 1)
        rows = Complaint.objects.count()
        vendor = connection.vendor
        connection.close()  # the child opens its own
        child = agenda_export.run_child(
            "XLSX, the whole year", "xlsx", "2026-01-01", "2026-12-31", rows
        )
        return {
            "vendor": vendor,
            "rows": rows,
            "build_s": build_s,
            "seconds": round(child["seconds"], 2),
            "cpu_seconds": round(child["cpu_seconds"], 2),
            "bytes": child["bytes"],
            "peak_mib": round(child["rss_peak_kb"] / 1024, 1),
            "before_mib": round(child["rss_before_kb"] / 1024, 1),
        }
    finally:
        connection.close()
        remove()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("job", choices=["sweep", "agenda"])
    parser.add_argument("--steps", type=int, default=1_000_000)
    parser.add_argument("--due", type=int, default=10_000)
    parser.add_argument("--complaints", type=int, default=100_000)
    options = parser.parse_args()
    if options.job == "sweep":
        figures = sweep(options.steps, options.due)
    else:
        figures = agenda(options.complaints)
    print(json.dumps(figures))


if __name__ == "__main__":
    main()
