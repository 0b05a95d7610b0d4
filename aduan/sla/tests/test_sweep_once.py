"""Each reminder and each escalation happens once per step instance: with two sweeps at once
on real separate connections, and when a sweep stops half-way and the next one takes over.

The tests run in committed transactions (transaction=True), as the worker does; a barrier
releases the threads together. serialized_rollback puts back the rows of the data
migrations (office hours, categories) that the flush after each test removes.
"""

import pytest
from django.db.models import Count

from aduan.complaints.models import ComplaintStep
from aduan.notices.models import Notice
from aduan.sla import sweep as sweep_module
from aduan.sla.sweep import sla_sweep
from conftest import make_official, run_at_once

from .clock import at, file_complaint

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

THREAD_TIMEOUT = 60  # seconds; a thread still running then is a hang, reported as such
STEPS = 12
# Long after every step filed now is due, whatever the day the suite runs.
LATER = at("2099-01-05 10:00")


def at_once(*calls):
    return run_at_once(*calls, timeout=THREAD_TIMEOUT)


@pytest.fixture
def office(sop_version):
    """Two staff and a kasi; STEPS complaints waiting at the first step."""
    make_official("budi", "Budi", "staff")
    make_official("eko", "Eko", "staff")
    make_official("wati", "Wati", "kasi")
    return [file_complaint(f"Pengaduan {i}") for i in range(STEPS)]


def assert_each_told_once() -> None:
    """Every open step: reminded and marked overdue once, its notices written once."""
    steps = ComplaintStep.objects.filter(decided_at__isnull=True)
    assert steps.count() == STEPS
    assert not steps.filter(reminded_at__isnull=True).exists()
    assert not steps.filter(overdue_at__isnull=True).exists()
    per_step = Notice.objects.values("step", "kind").annotate(n=Count("id"))
    told = {(row["step"], row["kind"]): row["n"] for row in per_step}
    for step in steps:
        assert told[(step.pk, "remind")] == 2  # Budi and Eko
        assert told[(step.pk, "overdue")] == 1  # Wati
    assert Notice.objects.count() == 3 * STEPS


def test_two_sweeps_at_once_remind_and_escalate_each_step_once(office):
    first, second = at_once(
        lambda: sla_sweep(now=LATER, batch=5), lambda: sla_sweep(now=LATER, batch=5)
    )
    assert first.reminded + second.reminded == STEPS
    assert first.overdue + second.overdue == STEPS
    assert first.notices + second.notices == 3 * STEPS
    assert_each_told_once()


def test_a_sweep_stopped_half_way_is_finished_by_the_next_without_repeats(office, monkeypatch):
    """The worker dies after claiming its second batch, while writing that batch's notices:
    the batch is rolled back (claims and notices together); the first batch stays done. The
    next sweep does the rest and repeats nothing."""
    claimed_field, time_field, make = sweep_module.CLAIMS["reminded"]
    calls = []

    def dies_on_the_fifth_claim(row, sweep, decided):
        calls.append(row.id)
        if len(calls) == 5:  # batches of 3: the second row of the second batch
            raise KeyboardInterrupt("the worker was stopped")
        return make(row, sweep, decided)

    monkeypatch.setitem(
        sweep_module.CLAIMS, "reminded", (claimed_field, time_field, dies_on_the_fifth_claim)
    )
    with pytest.raises(KeyboardInterrupt):
        sla_sweep(now=LATER, batch=3)
    steps = ComplaintStep.objects.filter(decided_at__isnull=True)
    assert steps.filter(reminded_at__isnull=False).count() == 3  # the first batch only
    assert Notice.objects.filter(kind="remind").count() == 6
    assert not Notice.objects.filter(step__reminded_at__isnull=True).exists()

    monkeypatch.undo()
    counts = sla_sweep(now=LATER, batch=3)
    assert (counts.reminded, counts.overdue) == (STEPS - 3, STEPS)
    assert_each_told_once()
