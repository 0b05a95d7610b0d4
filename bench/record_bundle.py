"""Benchmark: complete records (lembar pengaduan) as PDF, one and in a bundle (ZIP).

Run: .venv/bin/python bench/record_bundle.py [--count 200]

In a fresh test database (SQLite, or the PostgreSQL of DATABASE_URL: Django's test
database beside it, dropped afterwards) and a temporary MEDIA_ROOT, files `--count`
complaints (default 100) and takes each through the SOP with the real services: a request
for information and its reply, one draft returned by the Kasi, a second draft approved by
the Kasi, Kabid and Kadis, the answer sent (7 steps, 2 drafts, 2 messages). Then times one
record's PDF (cold: WeasyPrint loading; warm), and the worker's build of one bundle of all
of them (aduan.papers.bundles.bundle_build), with the ZIP's size and the process's peak
memory. A figure, not a test.
"""

import os
import resource
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "aduan.settings")
os.environ.setdefault("ADUAN_TESTING", "1")

import django  # noqa: E402

django.setup()


def timed(label: str, function):
    started = time.perf_counter()
    result = function()
    print(f"{label}: {time.perf_counter() - started:.2f} s")
    return result


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main() -> None:
    count = int(sys.argv[sys.argv.index("--count") + 1]) if "--count" in sys.argv else 100
    from django.conf import settings
    from django.db import connection
    from django.test.utils import setup_test_environment
    from django.utils import timezone

    setup_test_environment()
    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True)
    media = tempfile.TemporaryDirectory()
    settings.MEDIA_ROOT = media.name
    try:
        from aduan.accounts.models import RoleGrant, User
        from aduan.complaints.models import Category
        from aduan.complaints.services import complaint_register
        from aduan.papers.bundles import bundle_build
        from aduan.papers.models import RecordBundle
        from aduan.papers.records import record_pdf
        from aduan.papers.tests.record_setup import carry_to_answer
        from aduan.sop.services import sop_load

        sop_load()
        people = {}
        for name, role in (
            ("budi", "staff"),
            ("wati", "kasi"),
            ("agus", "kabid"),
            ("hadi", "kadis"),
        ):
            people[name] = User.objects.create_user(username=name, first_name=name.title())
            RoleGrant.objects.create(user=people[name], role=role)
        category, _ = Category.objects.get_or_create(code="ktp-el", defaults={"name": "KTP-el"})

        def file_all():
            for i in range(count):
                complaint = complaint_register(
                    category=category,
                    subject=f"KTP-el belum jadi ({i})",
                    description="Sudah tiga minggu KTP-el saya belum jadi.\n" * 5,
                    name="Sari Wulandari",
                    phone="+6281234567890",
                    nik="3576014101900012",
                )
                carry_to_answer(complaint, **people)
            return complaint

        last = timed(f"{count} complaints filed and answered", file_all)
        before = peak_mb()
        size = len(timed("one record, cold", lambda: record_pdf(last, printed_by=people["budi"])))
        timed("one record, warm", lambda: record_pdf(last, printed_by=people["budi"]))
        print(f"one record: {size / 1024:.0f} KiB")

        from aduan.accounts.selectors import office_today

        today = office_today()
        # As bundle_request makes it, without enqueueing: the build is timed here.
        bundle = RecordBundle.objects.create(
            requested_by=people["budi"],
            first_day=today,
            last_day=today,
            created_at=timezone.now(),
            total=count,
        )
        started = time.perf_counter()
        assert bundle_build(bundle_id=bundle.pk)
        elapsed = time.perf_counter() - started
        bundle = RecordBundle.objects.get(pk=bundle.pk)
        print(
            f"bundle of {bundle.done} records: {elapsed:.1f} s "
            f"({elapsed / bundle.done:.2f} s each), ZIP {bundle.size / 1024 / 1024:.1f} MiB"
        )
        print(f"peak memory: {before:.0f} MB before the PDFs, {peak_mb():.0f} MB after")
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)
        media.cleanup()


if __name__ == "__main__":
    main()
