"""Aduan's side of the kit on one database kind: throwaway installations served by gunicorn
as production runs them (bench/load.py), the load scenarios, the officials' pages at each
data size, the query counts, and the batch jobs.

Two installations per database kind: one for the filing scenarios (it starts empty and
fills with what the load files), one for the officials' pages (seeded to each size in
turn with `manage.py seed_complaints`), so neither's data disturbs the other's figures.
"""

import atexit
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, replace
from pathlib import Path

from bench.kit.cpu import CpuTally, backend_pids, process_seconds
from bench.kit.loadgen import Session, get_page, run_closed_loop, run_sequential
from bench.kit.ours import (
    Numbers,
    category_of_form,
    complaint_in_inbox,
    insert_worker,
    official_signed_in,
    open311_worker,
    web_form_worker,
)
from bench.load import (
    HOST,
    ROOT,
    Installation,
    Server,
    installation_create,
    installation_prepare,
    manage,
)

INSERT_SETTINGS = "bench.insertsite.settings"
# Raised, not off: every filing still pays for its count (one upsert), as in production.
RAISED_RATE = "1000000000/d"
RATE_LIMITS = ("ADUAN_SUBMIT_RATE", "ADUAN_TRACK_RATE", "ADUAN_POST_RATE")
PASSWORD = "bench-Sandi-Uji-2026"
STAFF, KADIS = "bench_staf", "bench_kadis"
MAKE_OFFICIALS = f"""
from aduan.accounts.models import RoleGrant, User
for username, first_name, role in [({STAFF!r}, "Staf Uji", "staff"),
                                   ({KADIS!r}, "Kadis Uji", "kadis")]:
    user, _ = User.objects.get_or_create(
        username=username, defaults={{"first_name": first_name, "is_staff": True}})
    user.set_password({PASSWORD!r})
    user.save()
    RoleGrant.objects.get_or_create(user=user, role=role)
"""


@dataclass
class Plan:
    workers: int
    intake_share: float  # the intake worker's --share
    levels: list[int]
    duration: float
    sizes: list[int]
    requests: int
    warmup: int
    sweep_steps: int
    sweep_due: int
    agenda_rows: int
    parts: set[str]  # which of: web, open311, insert, desk, sweep, agenda
    postgres_url: str


_static: list[Path] = []  # the static files collected once (compressing takes a minute)


def _static_files(installation: Installation) -> None:
    """collectstatic into the installation's data folder, or a copy of the first one's."""
    target = installation.folder / "static"
    if _static:
        shutil.copytree(_static[0], target)
        return
    manage(installation, "collectstatic", "--noinput", "--verbosity", "0")
    kept = Path(tempfile.mkdtemp(prefix="aduan-bench-static-")) / "static"
    shutil.copytree(target, kept)
    atexit.register(shutil.rmtree, kept.parent, ignore_errors=True)
    _static.append(kept)


def _installation(kind: str, plan: Plan, prefix: str) -> Installation:
    base = plan.postgres_url if kind == "postgresql" else ""
    installation = installation_create(base_url=base, prefix=prefix)
    installation.env.update({name: RAISED_RATE for name in RATE_LIMITS})
    try:
        installation_prepare(installation)
        _static_files(installation)
        manage(installation, "migrate", "insertsite", "--verbosity", "0", settings=INSERT_SETTINGS)
        manage(installation, "shell", "-c", MAKE_OFFICIALS)
    except BaseException:
        installation.drop()
        raise
    return installation


def _queries(installation: Installation, *args: str, key: str = "") -> list[dict]:
    env = installation.env | {"DJANGO_SETTINGS_MODULE": INSERT_SETTINGS, "BENCH_OPEN311_KEY": key}
    done = subprocess.run(
        [sys.executable, "-m", "bench.kit.queries", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=1800,
    )
    if done.returncode:
        raise RuntimeError(f"query count failed:\n{done.stdout}{done.stderr}")
    return json.loads(done.stdout.strip().splitlines()[-1])["rows"]


def _levels(name: str, worker, plan: Plan, log, groups=None) -> list[dict]:
    """Each concurrency level of a closed-loop scenario; with `groups` (CpuTally's), the
    processor time per request by process group as well."""
    results = []
    for concurrency in plan.levels:
        tally = CpuTally(groups) if groups else None
        if tally:
            tally.start()
        level = run_closed_loop(worker, concurrency=concurrency, duration=plan.duration)
        said = ""
        if tally:
            level["cpu"] = tally.per_request(level["ok"])
            if level["cpu"]:
                said = (
                    "; processor ms a request: "
                    + ", ".join(f"{group} {ms}" for group, ms in level["cpu"]["ms"].items())
                    + f" (machine {level['cpu']['busy_pct']}% busy)"
                )
        log(
            f"    {name} c={concurrency}: {level['rps']}/s ({level['http_rps']} HTTP/s), "
            f"p95 {level['p95_ms']} ms, errors {level['errors']}{said}"
        )
        results.append(level)
        time.sleep(1)  # let the last writes settle between levels
    return results


def _groups(installation: Installation, server: Server, intakes=None):
    """CpuTally's groups for a load on this installation: gunicorn (master and workers),
    PostgreSQL's processes for its database (on SQLite the app does the database's
    work), the intake worker while it runs."""
    database = installation.database_url.rsplit("/", 1)[-1]

    def groups() -> dict[str, list[int]]:
        found = {"app": list(server.pids().values())}
        if installation.vendor == "postgresql":
            found["database"] = backend_pids(database)
        if intakes is not None:
            found["intake worker"] = [intakes.process.pid]
        return found

    return groups


class IntakeWorker:
    """`manage.py intake_register --loop` on the installation, from now until drained."""

    def __init__(self, installation: Installation, *, share: float):
        self.installation = installation
        self.started = time.monotonic()
        self.log_path = installation.folder / "intake-worker.log"
        with self.log_path.open("wb") as log:
            self.process = subprocess.Popen(
                [
                    sys.executable,
                    str(ROOT / "manage.py"),
                    "intake_register",
                    "--loop",
                    "--share",
                    str(share),
                ],
                cwd=ROOT,
                env=installation.env,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )

    def started_up(self, timeout: float = 60) -> None:
        """Wait until the worker has started (its processor time stops growing), so that
        its start-up is not counted in the first level's processor time."""
        deadline = time.monotonic() + timeout
        spent = process_seconds(self.process.pid)
        while time.monotonic() < deadline and self.process.poll() is None:
            time.sleep(0.5)
            now = process_seconds(self.process.pid)
            if now - spent < 0.05:
                return
            spent = now

    def drained(self, *, expected: int, log, timeout: float = 1800) -> dict:
        """Wait until no intake waits: how long that took after the load stopped, and
        whether every filing that was answered became a complaint."""
        load_ended = time.time()
        out = manage(self.installation, "shell", "-c", DRAIN_WATCH, timeout=timeout + 60)
        watch = json.loads(out.strip().splitlines()[-1])
        os.killpg(self.process.pid, signal.SIGTERM)
        self.process.wait(timeout=30)
        figures = {
            "filed": expected,
            "waiting_when_load_ended": watch["waiting_at_start"],
            "drain_s": round(max(0.0, watch["drained_at"] - load_ended), 1),
            "registered": watch["registered"],
            "failed": watch["failed"],
            "left_waiting": watch["waiting"],
        }
        log(
            f"    registration: {figures['registered']} of {expected} filings registered; "
            f"{figures['waiting_when_load_ended']} intakes waited when the load stopped, "
            f"none after {figures['drain_s']} s; {figures['failed']} failed"
        )
        return figures


# Run in the installation (manage.py shell -c): polls until no intake waits.
DRAIN_WATCH = """
import json, time
from aduan.complaints.models import Complaint, Intake
waiting = Intake.objects.filter(failed_at__isnull=True).count()
start, deadline = waiting, time.time() + 1800
while waiting and time.time() < deadline:
    time.sleep(0.2)
    waiting = Intake.objects.filter(failed_at__isnull=True).count()
print(json.dumps({
    "waiting_at_start": start, "waiting": waiting, "drained_at": time.time(),
    "registered": Complaint.objects.count(),
    "failed": Intake.objects.filter(failed_at__isnull=False).count(),
}))
"""


def filing_scenarios(kind: str, plan: Plan, log) -> dict:
    """Web form, Open311 and the one-INSERT view on an installation that starts empty."""
    figures: dict = {}
    installation = _installation(kind, plan, "aduan_bench_load")
    server = None
    try:
        key = manage(installation, "open311_key", "create", "bench").strip().splitlines()[-1]
        figures["queries"] = _queries(installation, "public", key=key)
        if "insert" in plan.parts and plan.parts & {"web", "open311"}:
            # The one-INSERT view at the top level before Aduan's load as well as after
            # it: the target's baseline is their mean, so that the machine's drift over
            # the minutes between (±10% on these machines) weighs on both sides alike.
            server = Server(installation, workers=plan.workers, settings=INSERT_SETTINGS)
            server.start()
            worker = insert_worker(f"http://{HOST}:{server.port}")
            top = replace(plan, levels=[max(plan.levels)])
            figures["insert_before"] = _levels(
                "one INSERT (before)", worker, top, log, _groups(installation, server)
            )
            server.stop()
        server = Server(installation, workers=plan.workers)
        server.start()
        base = f"http://{HOST}:{server.port}"
        # The one-INSERT view is not part of Aduan: its address is a 404 there.
        figures["insert_in_aduan_status"] = Session(base).request("POST", "/bench/insert/")[0]
        # The intake worker, as production runs it beside gunicorn (`manage.py serve`, the
        # deployment's units): filings are intakes until it registers them.
        intakes = IntakeWorker(installation, share=plan.intake_share)
        intakes.started_up()
        numbers = Numbers()
        if "web" in plan.parts:
            worker = web_form_worker(base, category=category_of_form(base), numbers=numbers)
            figures["web_form"] = _levels(
                "web form", worker, plan, log, _groups(installation, server, intakes)
            )
        if "open311" in plan.parts:
            worker = open311_worker(base, api_key=key, service_code="ktp-el", numbers=numbers)
            figures["open311"] = _levels(
                "Open311 POST", worker, plan, log, _groups(installation, server, intakes)
            )
        server.stop()
        filed = sum(
            level["ok"] for part in ("web_form", "open311") for level in figures.get(part, [])
        )
        figures["registration"] = intakes.drained(expected=filed, log=log)
        if "insert" in plan.parts:
            server = Server(installation, workers=plan.workers, settings=INSERT_SETTINGS)
            server.start()
            worker = insert_worker(f"http://{HOST}:{server.port}")
            figures["insert"] = _levels(
                "one INSERT", worker, plan, log, _groups(installation, server)
            )
            server.stop()
    except Exception:
        if server is not None:
            log(server.log())
        raise
    finally:
        if server is not None:
            server.stop()
        installation.drop()
    return figures


def seed(installation: Installation, total: int) -> float:
    began = time.perf_counter()
    manage(
        installation,
        "seed_complaints",
        "--total",
        str(total),
        "--yes-on-this-database",
        timeout=4 * 3600,
    )
    # Fresh planner statistics, as after any bulk load (bench/dashboard_speed.py does the
    # same). Without them SQLite picks another plan for the inbox: at 5,000 seeded
    # complaints a Kadis inbox took 4.6 s in-process instead of 0.2 s.
    manage(installation, "shell", "-c", ANALYZE, timeout=3600)
    return round(time.perf_counter() - began, 1)


ANALYZE = "from django.db import connection\nconnection.cursor().execute('ANALYZE')"


def desk_pages(kind: str, plan: Plan, log) -> dict:
    """At each size: seeded, then the officials' pages over HTTP, then the query counts."""
    figures: dict = {}
    installation = _installation(kind, plan, "aduan_bench_desk")
    server = None
    try:
        for size in plan.sizes:
            log(f"    seeding {size:,} complaints")
            seeded = seed(installation, size)
            log(f"    seeded in {seeded} s")
            server = Server(installation, workers=plan.workers)
            server.start()
            base = f"http://{HOST}:{server.port}"
            staff = official_signed_in(base, username=STAFF, password=PASSWORD)
            kadis = official_signed_in(base, username=KADIS, password=PASSWORD)
            complaint = complaint_in_inbox(staff) or ""
            pages = [("inbox (Staff)", staff, "/meja/"), ("inbox (Kadis)", kadis, "/meja/")]
            if complaint:
                pages.append(("complaint page", staff, f"/meja/pengaduan/{complaint}/"))
            pages.append(("dashboard (Kadis)", kadis, "/meja/dasbor/"))
            measured = []
            for name, session, path in pages:
                page = run_sequential(
                    get_page(session, path),
                    requests=plan.requests,
                    warmup=plan.warmup,
                    page=name,
                    size=size,
                )
                log(f"    {size:,}: {name} p50 {page['p50_ms']} p95 {page['p95_ms']} ms")
                measured.append(page)
            server.stop()
            server = None
            queries = _queries(
                installation,
                "desk",
                "--staff",
                STAFF,
                "--kadis",
                KADIS,
                "--password",
                PASSWORD,
                "--complaint",
                complaint,
            )
            figures[str(size)] = {"seed_s": seeded, "pages": measured, "queries": queries}
    except Exception:
        if server is not None:
            log(server.log())
        raise
    finally:
        if server is not None:
            server.stop()
        installation.drop()
    return figures


def batch_job(kind: str, plan: Plan, *args: str) -> dict:
    """bench/kit/batch.py in a child process, on a throwaway database of this kind."""
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    if kind == "postgresql":
        env["DATABASE_URL"] = plan.postgres_url
    done = subprocess.run(
        [sys.executable, "-m", "bench.kit.batch", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=4 * 3600,
    )
    if done.returncode:
        raise RuntimeError(f"bench.kit.batch {' '.join(args)} failed:\n{done.stderr[-3000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def run_database(kind: str, plan: Plan, log) -> dict:
    figures: dict = {}
    if plan.parts & {"web", "open311", "insert"}:
        log(f"  {kind}: filing scenarios")
        figures |= filing_scenarios(kind, plan, log)
    if "desk" in plan.parts:
        log(f"  {kind}: officials' pages")
        figures["desk"] = desk_pages(kind, plan, log)
    if "sweep" in plan.parts:
        log(f"  {kind}: SLA sweep over {plan.sweep_steps:,} open steps")
        figures["sweep"] = batch_job(
            kind, plan, "sweep", "--steps", str(plan.sweep_steps), "--due", str(plan.sweep_due)
        )
        log(f"    due sweep {figures['sweep']['busy_s']} s")
    if "agenda" in plan.parts:
        log(f"  {kind}: agenda XLSX of {plan.agenda_rows:,} rows")
        figures["agenda"] = batch_job(kind, plan, "agenda", "--complaints", str(plan.agenda_rows))
        log(f"    XLSX {figures['agenda']['seconds']} s, peak {figures['agenda']['peak_mib']} MiB")
    return figures
