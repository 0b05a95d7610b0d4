"""Benchmark: the agenda book's downloads for a year of 100,000 complaints.

Run:  .venv/bin/python bench/agenda_export.py [--complaints 100000]
      DATABASE_URL=postgres://postgres@127.0.0.1:5432/test .venv/bin/python bench/agenda_export.py

Builds a throwaway database (SQLite in a temporary folder; with a PostgreSQL DATABASE_URL, a
new database on that server, dropped at the end), migrates it and fills it with
bulk_create: N complaints received at random moments of 2026 over every channel and five
categories, one in ten anonymous and one in ten confidential; four in five answered (each
with its answer letter), one in twenty withdrawn, the rest open at a step of the SOP.

Then each download runs in a fresh child process, through the real code path (the view,
called with Django's test client as an official, its response read to the end as a browser
would), and the child reports its wall time, its CPU time and its peak resident memory
(VmHWM of /proc/self/status, else getrusage's ru_maxrss, which Linux carries over from
the parent), beside its peak before the request (Python, Django and the libraries loaded):
  1. XLSX of the whole year (target: under 10 s and under 200 MB peak);
  2. XLSX of January only (about a twelfth): the same peak shows the memory is constant;
  3. CSV of the whole year;
  4. PDF of the first days of the year up to the PDF row cap (agenda_views.PDF_ROW_CAP).
A figure, not a test: the suite checks the files are right, this how fast and how lean.
"""

import argparse
import datetime as dt
import json
import os
import random
import resource
import subprocess
import sys
import time
from pathlib import Path
from zoneinfo import ZoneInfo

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "aduan.settings")
os.environ.setdefault("ADUAN_TESTING", "1")  # no secret key needed, no data folder touched

JAKARTA = ZoneInfo("Asia/Jakarta")
YEAR_START = dt.datetime(2026, 1, 1, tzinfo=JAKARTA)
CHUNK = 10_000
SUBJECTS = (
    "KTP-el belum jadi setelah tiga minggu",
    "Kartu Keluarga salah tulis nama ibu",
    "Antrean di loket 2 terlalu lama",
    "Akta kelahiran anak belum dapat diambil",
    '=HYPERLINK("http://contoh.invalid","klik")',
    "Petugas meminta biaya di luar ketentuan",
)
NAMES = ("Sari Wulandari", "Bambang Susilo", "Rina Marlina", "Tono Sugiarto", "Dewi Lestari")


def build(count: int, seed: int = 2026) -> None:
    from django.db import connection, transaction

    from aduan.complaints.models import Category, Complaint
    from aduan.papers.models import AnswerLetter
    from aduan.sop.services import sop_load
    from conftest import make_official

    rng = random.Random(seed)
    version, _created = sop_load()
    steps = [step.id for step in version.definition.main_path]
    categories = [
        Category.objects.get_or_create(code=code, defaults={"name": name})[0]
        for code, name in [
            ("ktp-el", "KTP-el"),
            ("kk", "Kartu Keluarga"),
            ("akta", "Akta kelahiran"),
            ("layanan", "Pelayanan loket"),
            ("pungli", "Pungutan liar"),
        ]
    ]
    make_official("budi", "Budi", "staff")
    hadi = make_official("hadi", "Hadi", "kadis")
    channels = [value for value, _label in Complaint.Channel.choices]
    seconds = 365 * 24 * 3600 - 7 * 24 * 3600  # the last week: time to be answered
    moments = sorted(
        YEAR_START + dt.timedelta(seconds=rng.randrange(seconds)) for _ in range(count)
    )
    made = letters = 0
    while made < count:
        size = min(CHUNK, count - made)
        complaints = []
        for n in range(made, made + size):
            draw = rng.random()
            status = "answered" if draw < 0.80 else "withdrawn" if draw < 0.85 else "open"
            received = moments[n]
            complaints.append(
                Complaint(
                    tracking_code=f"AGD-{n:09d}",
                    agenda_year=2026,
                    agenda_seq=n + 1,
                    channel=rng.choice(channels),
                    name="" if n % 10 == 0 else rng.choice(NAMES),
                    is_anonymous=n % 10 == 0,
                    is_confidential=n % 10 == 5,
                    phone="+6281234567890",
                    category=rng.choice(categories),
                    subject=rng.choice(SUBJECTS),
                    description="Uraian pengaduan untuk uji kecepatan.",
                    sop_version=version,
                    status=status,
                    current_step=rng.choice(steps) if status == "open" else "",
                    received_at=received,
                    closed_at=received + dt.timedelta(days=rng.randint(1, 6))
                    if status != "open"
                    else None,
                )
            )
        with transaction.atomic():
            complaints = Complaint.objects.bulk_create(complaints, batch_size=2000)
            answers = []
            for complaint in complaints:
                if complaint.status != "answered":
                    continue
                letters += 1
                answers.append(
                    AnswerLetter(
                        complaint_id=complaint.pk,
                        number=f"470/{letters:05d}/PGD/2026",
                        year=2026,
                        seq=letters,
                        dated=complaint.closed_at.date(),
                        issued_at=complaint.closed_at,
                        addressee=complaint.name or "Pelapor",
                        subject=complaint.subject,
                        kind="answer",
                        body="Jawaban.",
                        signer=hadi,
                        signer_name="Hadi",
                        signer_title="Kepala Dinas",
                        verify_token=f"v{letters:031d}",
                        content_sha256="0" * 64,
                    )
                )
            AnswerLetter.objects.bulk_create(answers, batch_size=2000)
        made += size
        print(f"\r  built {made:,} complaints, {letters:,} letters", end="", flush=True)
    print()
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


def pdf_period(cap: int) -> tuple[str, str]:
    """From 1 January to the last day whose running total stays within the PDF cap."""
    from aduan.complaints.models import Complaint

    last = dt.date(2026, 1, 1)
    while True:
        end = dt.datetime.combine(last + dt.timedelta(days=1), dt.time.min, tzinfo=JAKARTA)
        if Complaint.objects.filter(received_at__gte=YEAR_START, received_at__lt=end).count() > cap:
            break
        last += dt.timedelta(days=1)
    return "2026-01-01", (last - dt.timedelta(days=1)).isoformat()


def peak_rss_kb() -> int:
    """This process's peak resident memory in KB: VmHWM where Linux has it.

    getrusage's ru_maxrss would do, but Linux carries it across fork and exec: a child
    started by this (large) bench process would report the parent's size.
    """
    try:
        with open("/proc/self/status") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss


def child(kind: str, first: str, last: str) -> None:
    """In a fresh process: one download through the view; print its figures as JSON."""
    import django

    django.setup()
    from django.test import Client

    from aduan.accounts.models import User
    from aduan.papers import agenda_views  # noqa: F401 (loaded before the baseline)

    if kind == "pdf":
        from aduan.papers.pdf import _weasyprint

        _weasyprint()  # WeasyPrint and Pango loaded before the baseline, as in a server
    client = Client(HTTP_HOST="localhost")
    client.force_login(User.objects.get(username="budi"))
    before = peak_rss_kb()
    started, cpu_started = time.perf_counter(), time.process_time()
    response = client.get("/meja/agenda/", {"dari": first, "sampai": last, "format": kind})
    size = 0
    chunks = response.streaming_content if response.streaming else [response.content]
    for chunk in chunks:
        size += len(chunk)
    elapsed, cpu = time.perf_counter() - started, time.process_time() - cpu_started
    response.close()
    peak = peak_rss_kb()
    assert response.status_code == 200, response.status_code
    assert not response["Content-Type"].startswith("text/html"), "got the page, not a file"
    print(
        json.dumps(
            {
                "seconds": elapsed,
                "cpu_seconds": cpu,
                "bytes": size,
                "rss_before_kb": before,
                "rss_peak_kb": peak,
            }
        )
    )


def run_child(label: str, kind: str, first: str, last: str, rows: int) -> dict:
    output = subprocess.run(
        [sys.executable, __file__, "--child", kind, first, last],
        check=True,
        capture_output=True,
        text=True,
        env=os.environ.copy(),
    ).stdout
    figures = json.loads(output.strip().splitlines()[-1])
    print(
        f"  {label}: {rows:,} rows in {figures['seconds']:.2f} s "
        f"(CPU {figures['cpu_seconds']:.2f} s), "
        f"{figures['bytes'] / 1e6:.1f} MB file, peak RSS {figures['rss_peak_kb'] / 1024:.0f} MB "
        f"(before the request {figures['rss_before_kb'] / 1024:.0f} MB)"
    )
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--complaints", type=int, default=100_000)
    parser.add_argument(
        "--formats", default="xlsx,csv,pdf", help="which downloads to time (default all)"
    )
    parser.add_argument("--child", nargs=3, metavar=("FORMAT", "FIRST", "LAST"))
    options = parser.parse_args()
    if options.child:
        child(*options.child)
        return

    sys.path.insert(0, str(ROOT / "bench"))
    from sla_sweep import throwaway_database

    url, remove = throwaway_database()
    os.environ["DATABASE_URL"] = url
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from aduan.complaints.models import Complaint
    from aduan.papers.agenda_views import PDF_ROW_CAP

    try:
        call_command("migrate", verbosity=0)
        print(f"{connection.vendor}, {options.complaints:,} complaints received in 2026:")
        started = time.perf_counter()
        build(options.complaints)
        print(f"  build: {time.perf_counter() - started:.1f} s")
        connection.close()  # the children open their own
        year = Complaint.objects.count()
        january = Complaint.objects.filter(
            received_at__lt=dt.datetime(2026, 2, 1, tzinfo=JAKARTA)
        ).count()
        first, last = pdf_period(PDF_ROW_CAP)
        at_cap = Complaint.objects.filter(
            received_at__lt=dt.datetime.fromisoformat(last).replace(tzinfo=JAKARTA)
            + dt.timedelta(days=1)
        ).count()
        connection.close()
        formats = options.formats.split(",")
        if "xlsx" in formats:
            run_child("XLSX, the whole year", "xlsx", "2026-01-01", "2026-12-31", year)
            run_child("XLSX, January", "xlsx", "2026-01-01", "2026-01-31", january)
        if "csv" in formats:
            run_child("CSV, the whole year", "csv", "2026-01-01", "2026-12-31", year)
        if "pdf" in formats:
            label = f"PDF, {first} to {last} (cap {PDF_ROW_CAP:,})"
            run_child(label, "pdf", first, last, at_cap)
    finally:
        connection.close()
        remove()


if __name__ == "__main__":
    main()
