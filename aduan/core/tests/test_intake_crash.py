"""Crash safety of the intake worker: killed with SIGKILL while it registers 600 filings,
it leaves each filing either an intake or a whole complaint, the agenda book without gaps;
started again, it registers the rest, numbered in the order they arrived.

The worker is `manage.py intake_register --loop` as production runs it, on a database of
its own (SQLite in a temporary folder, or a new database on the PostgreSQL server when
the suite runs there).
"""

import json
import os
import signal
import subprocess
import sys
import time

import pytest
from django.conf import settings

sys.path.insert(0, str(settings.BASE_DIR))
from bench.load import ROOT, installation_create, installation_prepare, manage  # noqa: E402

FILINGS = 600

# Run in the installation: 600 filings taken as intakes, as the web form stores them.
FILE = f"""
from aduan.complaints.forms import ComplaintForm
from aduan.complaints.intake import intake_store
from aduan.complaints.models import Category
category = Category.objects.filter(is_active=True).order_by("pk").first()
for n in range({FILINGS}):
    form = ComplaintForm(data={{
        "category": str(category.pk), "subject": f"Pengaduan ke-{{n}}",
        "description": "KTP-el saya belum jadi.", "is_anonymous": "on",
        "email": f"warga{{n}}@contoh.id",
    }})
    assert form.is_valid(), form.errors
    intake_store(fields=form.complaint_fields(), channel="web", submission_key=f"k{{n}}")
"""

# Run in the installation: what the book holds.
FACTS = """
import json
from aduan.complaints.models import AgendaCounter, Complaint, ComplaintStep, Intake
complaints = list(Complaint.objects.values("submission_key", "agenda_seq", "pk"))
print(json.dumps({
    "complaints": {c["submission_key"]: c["agenda_seq"] for c in complaints},
    "with_a_step": ComplaintStep.objects.filter(seq=1).values("complaint").distinct().count(),
    "intakes": list(Intake.objects.values_list("submission_key", flat=True)),
    "failed": Intake.objects.filter(failed_at__isnull=False).count(),
    "counter": max(AgendaCounter.objects.values_list("last", flat=True), default=0),
}))
"""


def facts_of(installation) -> dict:
    out = manage(installation, "shell", "--no-startup", "--no-imports", "-c", FACTS)
    return json.loads(out.strip().splitlines()[-1])


def assert_whole(facts: dict) -> None:
    """Each filing is an intake or a complaint, never both, never neither; every complaint
    has its first step; the agenda numbers run 1..n without gaps."""
    registered, waiting = set(facts["complaints"]), set(facts["intakes"])
    assert not registered & waiting
    assert registered | waiting == {f"k{n}" for n in range(FILINGS)}
    assert facts["with_a_step"] == len(registered)
    assert sorted(facts["complaints"].values()) == list(range(1, len(registered) + 1))
    assert facts["counter"] == len(registered)
    assert facts["failed"] == 0


@pytest.fixture
def installation():
    base = os.environ.get("DATABASE_URL", "")
    made = installation_create(
        base_url=base if base.startswith("postgres") else "", prefix="aduan_intake_crash"
    )
    try:
        installation_prepare(made)
        yield made
    finally:
        made.drop()


def test_an_intake_worker_killed_mid_batch_loses_nothing_and_numbers_in_order(installation):
    manage(installation, "shell", "--no-startup", "--no-imports", "-c", FILE, timeout=300)
    worker = subprocess.Popen(
        [sys.executable, str(ROOT / "manage.py"), "intake_register", "--loop", "--batch", "10"],
        cwd=ROOT,
        env=installation.env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    try:
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:  # kill it once it is well into its work
            facts = facts_of(installation)
            if len(facts["complaints"]) >= 40:
                break
            time.sleep(0.2)
    finally:
        os.killpg(worker.pid, signal.SIGKILL)
        worker.wait(timeout=30)
    killed = facts_of(installation)
    assert 40 <= len(killed["complaints"]) < FILINGS, "the kill came too late to show anything"
    assert_whole(killed)

    manage(installation, "intake_register", timeout=300)  # started again: one full run
    done = facts_of(installation)
    assert_whole(done)
    assert not done["intakes"]
    # Numbered in the order the filings arrived, across the kill.
    assert [done["complaints"][f"k{n}"] for n in range(FILINGS)] == list(range(1, FILINGS + 1))
