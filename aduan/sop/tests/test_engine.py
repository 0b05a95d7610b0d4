"""The engine moves a complaint through SOP/PIPD/PIAK/11 and enforces its rules."""

from aduan.audit.models import AuditEvent
from aduan.complaints.models import Complaint
from aduan.sop.engine import decisions_for, step_decide
from conftest import make_official


def open_step(complaint):
    return complaint.steps.get(decided_at__isnull=True)


def test_new_complaint_waits_for_staff_to_draft(complaint_of_sari):
    step = open_step(complaint_of_sari)
    assert (step.step, step.role, step.seq) == ("draft", "staff", 1)
    assert complaint_of_sari.current_step == "draft"


def test_the_whole_sop_without_returns_answers_the_complaint(
    complaint_of_sari, budi, wati, agus, hadi
):
    for actor, expected_next in [
        (budi, "verify_kasi"),
        (wati, "verify_kabid"),
        (agus, "approve_kadis"),
        (hadi, "answer"),
    ]:
        outcome = step_decide(
            step_id=open_step(complaint_of_sari).pk, actor=actor, decision="approve"
        )
        assert outcome.ok, outcome.message
        assert outcome.next_step.step == expected_next
    outcome = step_decide(step_id=open_step(complaint_of_sari).pk, actor=budi, decision="approve")
    assert outcome.ok and outcome.next_step is None
    complaint = Complaint.objects.get(pk=complaint_of_sari.pk)
    assert complaint.status == Complaint.Status.ANSWERED
    assert complaint.current_step == ""
    assert complaint.closed_at is not None
    assert [s.step for s in complaint.steps.order_by("seq")] == [
        "draft",
        "verify_kasi",
        "verify_kabid",
        "approve_kadis",
        "answer",
    ]
    assert not complaint.steps.filter(decided_at__isnull=True).exists()


def test_kabid_return_goes_back_to_kasi(complaint_of_sari, budi, wati, agus):
    step_decide(step_id=open_step(complaint_of_sari).pk, actor=budi, decision="approve")
    step_decide(step_id=open_step(complaint_of_sari).pk, actor=wati, decision="approve")
    outcome = step_decide(
        step_id=open_step(complaint_of_sari).pk,
        actor=agus,
        decision="return",
        note="Dasar hukum belum dikutip.",
    )
    assert outcome.ok
    assert outcome.next_step.step == "verify_kasi"
    assert outcome.next_step.role == "kasi"
    returned = complaint_of_sari.steps.get(seq=3)
    assert (returned.decision, returned.note, returned.decided_by) == (
        "return",
        "Dasar hukum belum dikutip.",
        agus,
    )


def test_kasi_return_goes_back_to_staff_and_restarts_the_step(complaint_of_sari, budi, wati):
    step_decide(step_id=open_step(complaint_of_sari).pk, actor=budi, decision="approve")
    outcome = step_decide(
        step_id=open_step(complaint_of_sari).pk,
        actor=wati,
        decision="return",
        note="Lengkapi nomor register.",
    )
    assert outcome.ok and outcome.next_step.step == "draft"
    assert outcome.next_step.seq == 3
    assert outcome.next_step.started_at >= complaint_of_sari.steps.get(seq=2).decided_at


def test_a_return_needs_a_note(complaint_of_sari, budi, wati):
    step_decide(step_id=open_step(complaint_of_sari).pk, actor=budi, decision="approve")
    step = open_step(complaint_of_sari)
    outcome = step_decide(step_id=step.pk, actor=wati, decision="return", note="   ")
    assert not outcome.ok and outcome.code == "note_required"
    assert "catatan" in outcome.message
    assert open_step(complaint_of_sari).pk == step.pk


def test_kadis_cannot_return_under_the_default_sop(complaint_of_sari, budi, wati, agus, hadi):
    for actor in (budi, wati, agus):
        step_decide(step_id=open_step(complaint_of_sari).pk, actor=actor, decision="approve")
    step = open_step(complaint_of_sari)
    outcome = step_decide(step_id=step.pk, actor=hadi, decision="return", note="Tidak setuju.")
    assert not outcome.ok and outcome.code == "invalid_decision"
    assert [e.decision for e in decisions_for(step=step, actor=hadi)] == ["approve"]


def test_only_the_steps_role_may_decide_it(complaint_of_sari, wati):
    step = open_step(complaint_of_sari)
    outcome = step_decide(step_id=step.pk, actor=wati, decision="approve")
    assert not outcome.ok and outcome.code == "not_your_role"
    assert outcome.message == "Langkah ini hanya dapat diputus oleh Staf."
    assert decisions_for(step=step, actor=wati) == ()


def test_a_decided_step_says_who_decided_it_and_when(complaint_of_sari, budi):
    first = open_step(complaint_of_sari)
    assert step_decide(step_id=first.pk, actor=budi, decision="approve").ok
    outcome = step_decide(step_id=first.pk, actor=budi, decision="approve")
    assert not outcome.ok and outcome.code == "already_decided"
    assert outcome.message.startswith("Langkah ini sudah diputus oleh Budi pada ")


def test_one_person_may_not_decide_at_two_levels(complaint_of_sari, budi, wati):
    acting = make_official("rina", "Rina", "kasi", "kabid")  # Kasi, also acting Kabid
    step_decide(step_id=open_step(complaint_of_sari).pk, actor=budi, decision="approve")
    assert step_decide(step_id=open_step(complaint_of_sari).pk, actor=acting, decision="approve").ok
    step = open_step(complaint_of_sari)
    assert step.role == "kabid"
    outcome = step_decide(step_id=step.pk, actor=acting, decision="approve")
    assert not outcome.ok and outcome.code == "separation_of_duties"
    assert decisions_for(step=step, actor=acting) == ()


def test_staff_who_drafted_may_also_send_the_answer(complaint_of_sari, budi, wati, agus, hadi):
    for actor in (budi, wati, agus, hadi):
        step_decide(step_id=open_step(complaint_of_sari).pk, actor=actor, decision="approve")
    assert step_decide(step_id=open_step(complaint_of_sari).pk, actor=budi, decision="approve").ok


def test_every_decision_is_audited(complaint_of_sari, budi):
    step_decide(step_id=open_step(complaint_of_sari).pk, actor=budi, decision="approve")
    event = AuditEvent.objects.filter(
        complaint_id=complaint_of_sari.pk, action="step.approve"
    ).get()
    assert event.actor == budi
    assert event.data["to"] == "verify_kasi"


def test_control_characters_in_a_note_are_dropped_not_an_error(complaint_of_sari, budi, wati):
    step_decide(step_id=open_step(complaint_of_sari).pk, actor=budi, decision="approve")
    outcome = step_decide(
        step_id=open_step(complaint_of_sari).pk,
        actor=wati,
        decision="return",
        note="Lengkapi\x00 data\x07.",
    )
    assert outcome.ok
    assert complaint_of_sari.steps.get(seq=2).note == "Lengkapi data."


def test_a_note_of_control_characters_only_counts_as_no_note(complaint_of_sari, budi, wati):
    step_decide(step_id=open_step(complaint_of_sari).pk, actor=budi, decision="approve")
    outcome = step_decide(
        step_id=open_step(complaint_of_sari).pk, actor=wati, decision="return", note="\x00\x01 "
    )
    assert outcome.code == "note_required"
