"""Officials deciding at the same instant, on real concurrent database connections.

Each test runs in committed transactions (transaction=True) so that the threads, each on
its own connection, see the same rows; a barrier releases the threads together. The
database is flushed after each test; serialized_rollback puts back the rows written by
data migrations (the default categories) before the test, and the category is looked up
or created here so that the tests do not depend on it.
"""

from collections.abc import Callable

import pytest
from django.db import connection

from aduan.accounts.models import User
from aduan.complaints.models import AgendaCounter, Category, Complaint, ComplaintStep
from aduan.complaints.services import complaint_register
from aduan.sop.engine import Outcome, step_decide
from conftest import make_official, run_at_once

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

ROUNDS = 10
THREAD_TIMEOUT = 60  # seconds; a thread still running then is a hang, reported as such


def at_once(*calls: Callable[[], Callable[[], object]]) -> list:
    """Each call prepares on its thread and returns what to run once all are ready."""
    return run_at_once(*calls, prepared=True, timeout=THREAD_TIMEOUT)


def decide(actor_pk: int, step_pk: int, **decision) -> Callable[[], Callable[[], Outcome]]:
    """A decision to run in a thread, by the official loaded on that thread's connection."""

    def prepare() -> Callable[[], Outcome]:
        actor = User.objects.get(pk=actor_pk)
        return lambda: step_decide(step_id=step_pk, actor=actor, **decision)

    return prepare


def a_category() -> Category:
    category, _created = Category.objects.get_or_create(
        code="ktp-el", defaults={"name": "KTP-el", "name_en": "Electronic ID card (KTP-el)"}
    )
    return category


def a_complaint(category: Category, subject: str = "KTP-el belum jadi") -> Complaint:
    return complaint_register(
        category=category,
        subject=subject,
        description="Sudah tiga minggu KTP-el saya belum jadi.",
        name="Sari Wulandari",
        phone="+6281234567890",
    )


def open_steps(complaint: Complaint) -> list[ComplaintStep]:
    return list(ComplaintStep.objects.filter(complaint=complaint, decided_at__isnull=True))


def one_won_and_one_was_told(outcomes: list[Outcome], names: list[str]) -> tuple[int, int]:
    """Check one success and one plain refusal naming the winner; return (winner, loser)."""
    assert all(isinstance(o, Outcome) for o in outcomes), outcomes
    assert sorted(o.ok for o in outcomes) == [False, True], [o.message for o in outcomes]
    winner = next(i for i, o in enumerate(outcomes) if o.ok)
    loser = 1 - winner
    assert outcomes[loser].code == "already_decided", outcomes[loser].message
    assert outcomes[loser].message.startswith(
        f"Langkah ini sudah diputus oleh {names[winner]} pada "
    ), outcomes[loser].message
    assert outcomes[loser].next_step is None
    return winner, loser


def test_two_staff_deciding_at_once_give_one_success_and_one_plain_answer(sop_version, budi):
    eko = make_official("eko", "Eko", "staff")
    category = a_category()
    for _ in range(ROUNDS):
        complaint = a_complaint(category)
        draft = open_steps(complaint)[0]
        outcomes = at_once(
            decide(budi.pk, draft.pk, decision="approve"),
            decide(eko.pk, draft.pk, decision="approve"),
        )

        winner, _loser = one_won_and_one_was_told(outcomes, ["Budi", "Eko"])
        draft.refresh_from_db()
        assert draft.decided_by_id == [budi.pk, eko.pk][winner]
        assert ComplaintStep.objects.filter(complaint=complaint).count() == 2
        [verify] = open_steps(complaint)
        assert verify.pk == outcomes[winner].next_step.pk
        assert (verify.seq, verify.step) == (2, "verify_kasi")
        complaint.refresh_from_db()
        assert complaint.current_step == "verify_kasi"


def test_two_kasis_deciding_at_once_give_one_success_and_one_plain_answer(sop_version, budi, wati):
    """Kasi Wati approves while a second Kasi, Dewi, returns the draft with a note."""
    dewi = make_official("dewi", "Dewi", "kasi")
    category = a_category()
    for _ in range(ROUNDS):
        complaint = a_complaint(category)
        assert step_decide(step_id=open_steps(complaint)[0].pk, actor=budi, decision="approve").ok
        [verify] = open_steps(complaint)
        outcomes = at_once(
            decide(wati.pk, verify.pk, decision="approve"),
            decide(dewi.pk, verify.pk, decision="return", note="Lengkapi nomor register."),
        )

        winner, _loser = one_won_and_one_was_told(outcomes, ["Wati", "Dewi"])
        verify.refresh_from_db()
        assert verify.decided_by_id == [wati.pk, dewi.pk][winner]
        assert (verify.decision, verify.next_step, verify.note) == [
            ("approve", "verify_kabid", ""),
            ("return", "draft", "Lengkapi nomor register."),
        ][winner]
        assert ComplaintStep.objects.filter(complaint=complaint).count() == 3
        [following] = open_steps(complaint)
        assert following.pk == outcomes[winner].next_step.pk
        assert (following.seq, following.step) == (3, verify.next_step)
        complaint.refresh_from_db()
        assert complaint.current_step == verify.next_step


def test_the_same_official_clicking_twice_at_once_decides_once(sop_version, budi, wati, agus, hadi):
    """Staff Budi sends the answer from two tabs at the same instant."""
    category = a_category()
    for _ in range(ROUNDS):
        complaint = a_complaint(category)
        for actor in (budi, wati, agus, hadi):
            assert step_decide(
                step_id=open_steps(complaint)[0].pk, actor=actor, decision="approve"
            ).ok
        [answer] = open_steps(complaint)
        outcomes = at_once(
            decide(budi.pk, answer.pk, decision="approve"),
            decide(budi.pk, answer.pk, decision="approve"),
        )

        one_won_and_one_was_told(outcomes, ["Budi", "Budi"])
        assert open_steps(complaint) == []
        assert ComplaintStep.objects.filter(complaint=complaint).count() == 5
        complaint.refresh_from_db()
        assert (complaint.status, complaint.current_step) == (Complaint.Status.ANSWERED, "")


def test_complaints_registered_at_once_get_unique_agenda_numbers_without_gaps(sop_version):
    category = a_category()
    threads, per_thread = 4, 5

    def register_five(thread: int) -> Callable[[], Callable[[], list[int]]]:
        def prepare() -> Callable[[], list[int]]:
            connection.ensure_connection()
            return lambda: [
                a_complaint(category, f"Pengaduan {thread}-{n}").pk for n in range(per_thread)
            ]

        return prepare

    registered = at_once(*(register_five(t) for t in range(threads)))

    pks = [pk for batch in registered for pk in batch]
    assert len(set(pks)) == threads * per_thread
    for batch in registered:  # each thread's complaints in the order it registered them
        numbers = [Complaint.objects.get(pk=pk).agenda_seq for pk in batch]
        assert numbers == sorted(numbers)
    years = set(Complaint.objects.filter(pk__in=pks).values_list("agenda_year", flat=True))
    for year in years:  # one year, unless the test ran across midnight on 31 December
        numbers = sorted(
            Complaint.objects.filter(agenda_year=year).values_list("agenda_seq", flat=True)
        )
        assert numbers == list(range(1, len(numbers) + 1)), numbers
        assert AgendaCounter.objects.get(year=year).last == len(numbers)
    assert Complaint.objects.filter(agenda_year__in=years).count() >= threads * per_thread
    for complaint in Complaint.objects.filter(pk__in=pks):
        [first] = open_steps(complaint)
        assert (first.seq, first.step) == (1, "draft")
        assert complaint.current_step == "draft"
