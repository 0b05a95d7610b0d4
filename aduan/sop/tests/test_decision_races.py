"""Two officials deciding the same open step at the same moment: exactly one wins (#9.15).

Kasi Wati approves the draft while Kasi Dewi returns it, each through the desk service on
a thread with its own database connection, released together by a barrier; many rounds,
each on its own complaint. Every round: one decision is stored, the other official is told
who decided and when, one audit row records the decision, and one next step is opened.
The tests run in committed transactions (transaction=True) so that the threads see the
same rows; see test_engine_concurrency for the engine-level races.
"""

import threading

import pytest
from django.db import connection, transaction

from aduan.accounts.models import User
from aduan.audit.models import AuditEvent
from aduan.audit.services import audit_verify
from aduan.complaints.models import Category, Complaint, ComplaintStep
from aduan.complaints.services import complaint_register
from aduan.desk.services import desk_decide, draft_save
from aduan.sop.engine import Outcome
from conftest import make_official

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

ROUNDS = {"postgresql": 100, "sqlite": 30}  # SQLite serialises writers: fewer rounds
TIMEOUT = 60  # seconds a thread may wait at the barrier or run: longer is a hang


def open_verification_steps(rounds: int, budi: User) -> list[ComplaintStep]:
    """`rounds` complaints, each drafted and sent on by staff Budi to the Kasi's check,
    committed together (committing each would make the setup take longer than the races)."""
    category, _created = Category.objects.get_or_create(
        code="ktp-el", defaults={"name": "KTP-el", "name_en": "Electronic ID card (KTP-el)"}
    )
    steps = []
    with transaction.atomic():
        for n in range(rounds):
            complaint = complaint_register(
                category=category,
                subject=f"KTP-el belum jadi ({n})",
                description="Sudah tiga minggu KTP-el saya belum jadi.",
                name="Sari Wulandari",
                phone="+6281234567890",
            )
            assert draft_save(complaint_id=complaint.pk, actor=budi, kind="answer", body="Konsep.")
            draft = ComplaintStep.objects.get(complaint=complaint, decided_at__isnull=True)
            assert desk_decide(step_id=draft.pk, actor=budi, decision="approve")
            steps.append(ComplaintStep.objects.get(complaint=complaint, decided_at__isnull=True))
    assert {step.step for step in steps} == {"verify_kasi"}
    return steps


def race(step_ids: list[int], *officials: tuple[int, dict]) -> list[list[Outcome]]:
    """Each official decides every step on a thread of its own, all threads released
    together for each step. Returns each official's outcomes, round by round."""
    barrier = threading.Barrier(len(officials), timeout=TIMEOUT)
    outcomes: list[list[Outcome]] = [[] for _ in officials]
    errors: list[BaseException] = []

    def decide_each(index: int, actor_pk: int, decision: dict) -> None:
        try:
            actor = User.objects.get(pk=actor_pk)  # on this thread's own connection
            for step_id in step_ids:
                barrier.wait()
                outcomes[index].append(desk_decide(step_id=step_id, actor=actor, **decision))
        except BaseException as exc:  # reported by the test
            errors.append(exc)
            barrier.abort()
        finally:
            connection.close()

    threads = [
        threading.Thread(target=decide_each, args=(i, pk, decision))
        for i, (pk, decision) in enumerate(officials)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(TIMEOUT * 2)
    assert not any(thread.is_alive() for thread in threads), "a thread hung"
    assert errors == [], f"an exception escaped a thread: {errors!r}"
    return outcomes


def test_two_kasis_deciding_the_same_step_at_once_decide_it_once(sop_version, budi, wati):
    dewi = make_official("dewi", "Dewi", "kasi")
    steps = open_verification_steps(ROUNDS[connection.vendor], budi)
    # Who decides, how, and the step that decision opens.
    decisions = [
        (wati, {"decision": "approve"}, "verify_kabid"),
        (dewi, {"decision": "return", "note": "Lengkapi nomor register."}, "draft"),
    ]

    outcomes = race([s.pk for s in steps], *((o.pk, d) for o, d, _next in decisions))

    for step, pair in zip(steps, zip(*outcomes, strict=True), strict=True):
        assert sorted(o.ok for o in pair) == [False, True], [o.message for o in pair]
        winner = 0 if pair[0].ok else 1
        official, decision, next_step = decisions[winner]
        loser = pair[1 - winner]
        assert (loser.code, loser.next_step) == ("already_decided", None)
        assert loser.message.startswith(f"Langkah ini sudah diputus oleh {official} pada ")

        step.refresh_from_db()
        assert (step.decided_by, step.next_step) == (official, next_step)
        [decided] = AuditEvent.objects.filter(
            target_type="complaints.complaintstep",
            target_id=str(step.pk),
            action__startswith="step.",
        )
        assert (decided.actor, decided.action) == (official, f"step.{decision['decision']}")
        following = ComplaintStep.objects.filter(complaint_id=step.complaint_id, seq=step.seq + 1)
        assert [s.pk for s in following] == [pair[winner].next_step.pk]
        assert [s.step for s in following] == [next_step]
        still_open = ComplaintStep.objects.filter(
            complaint_id=step.complaint_id, decided_at__isnull=True
        )
        assert [s.pk for s in still_open] == [pair[winner].next_step.pk]
        assert Complaint.objects.get(pk=step.complaint_id).current_step == next_step
    assert audit_verify() == (True, None)  # concurrent appends formed one chain
