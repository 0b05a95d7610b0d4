"""After the answer the citizen may rate it once, or reopen the complaint within the
period: a new cycle through the SOP, linked to the first, with the citizen's reason."""

import datetime as dt

import pytest
from django.utils import timezone

from aduan.audit.models import AuditEvent
from aduan.complaints.feedback import complaint_reopen, rating_save
from aduan.complaints.models import Complaint, ComplaintStep, Rating
from aduan.desk.services import desk_decide, draft_save

pytestmark = pytest.mark.django_db


def answer(complaint, budi, wati, agus, hadi):
    assert draft_save(complaint_id=complaint.pk, actor=budi, kind="answer", body="Sudah jadi.")
    for actor in (budi, wati, agus, hadi, budi):
        step = ComplaintStep.objects.get(complaint=complaint, decided_at__isnull=True)
        assert desk_decide(step_id=step.pk, actor=actor, decision="approve")
    complaint.refresh_from_db()
    assert complaint.status == Complaint.Status.ANSWERED
    return complaint


@pytest.fixture
def answered(complaint_of_sari, budi, wati, agus, hadi):
    return answer(complaint_of_sari, budi, wati, agus, hadi)


def test_sari_rates_the_answer_once(answered):
    outcome = rating_save(
        complaint=answered, score=4, comment="Cepat.", answers={"waktu": 4, "perilaku": 3}
    )
    assert outcome.ok
    assert answered.rating.score == 4 and answered.rating.answers == {"waktu": 4, "perilaku": 3}
    again = rating_save(complaint=answered, score=1)
    assert not again and again.code == "already_rated"
    assert Rating.objects.get(complaint=answered).score == 4
    assert AuditEvent.objects.filter(action="complaint.rated").count() == 1


@pytest.mark.parametrize(
    "score, answers, code",
    [(0, {}, "score"), (6, {}, "score"), (3, {"waktu": 5}, "answers"), (3, {"x": 2}, "answers")],
)
def test_a_rating_out_of_range_is_refused(answered, score, answers, code):
    outcome = rating_save(complaint=answered, score=score, answers=answers)
    assert not outcome and outcome.code == code


def test_an_open_complaint_cannot_be_rated_or_reopened(complaint_of_sari):
    assert rating_save(complaint=complaint_of_sari, score=5).code == "not_answered"
    assert complaint_reopen(complaint=complaint_of_sari, reason="x").code == "not_answered"


def test_reopening_starts_a_new_cycle_linked_to_the_first(answered):
    outcome = complaint_reopen(complaint=answered, reason="Di loket 2 belum ada KTP saya.")
    assert outcome.ok and outcome.secret
    new = outcome.complaint
    assert new.reopened_from == answered
    assert new.reopen_reason == "Di loket 2 belum ada KTP saya."
    assert new.description == "Di loket 2 belum ada KTP saya."
    assert (new.name, new.phone, new.subject) == (answered.name, answered.phone, answered.subject)
    assert new.agenda_number != answered.agenda_number
    assert new.status == Complaint.Status.OPEN and new.current_step == "draft"
    assert new.tracking_code in outcome.message
    assert AuditEvent.objects.filter(action="complaint.reopened").exists()


def test_a_complaint_is_reopened_once(answered):
    first = complaint_reopen(complaint=answered, reason="Belum selesai.")
    again = complaint_reopen(complaint=answered, reason="Masih belum.")
    assert not again and again.code == "already_reopened"
    assert first.complaint.tracking_code in again.message
    assert answered.reopenings.count() == 1


def test_reopening_needs_a_reason(answered):
    assert complaint_reopen(complaint=answered, reason="  ").code == "reason_required"


def test_reopening_after_the_period_is_refused_plainly(answered, settings, time_machine):
    settings.REOPEN_DAYS = 14
    time_machine.move_to(answered.closed_at + dt.timedelta(days=14, minutes=1))
    outcome = complaint_reopen(complaint=answered, reason="Belum selesai.")
    assert outcome.code == "too_late" and "14 hari" in outcome.message
    time_machine.move_to(timezone.now() - dt.timedelta(minutes=2))
    assert complaint_reopen(complaint=answered, reason="Belum selesai.").ok


def test_the_report_shows_the_ratings_and_the_satisfaction_index(
    client, sop_version, category, budi, wati, agus, hadi
):
    from aduan.accounts.selectors import office_today
    from aduan.complaints.services import complaint_register

    def filed(subject):
        return complaint_register(category=category, subject=subject, description="…")

    first = answer(filed("Satu"), budi, wati, agus, hadi)
    second = answer(filed("Dua"), budi, wati, agus, hadi)
    assert rating_save(complaint=first, score=5, answers={"waktu": 4, "perilaku": 4})
    assert rating_save(complaint=second, score=2, answers={"waktu": 2})
    assert complaint_reopen(complaint=second, reason="Belum selesai.")

    client.force_login(hadi)
    today = office_today().isoformat()
    page = client.get(f"/meja/laporan/mutu-baku/?dari={today}&sampai={today}").content.decode()
    assert "2 penilaian pada periode ini, nilai rata-rata 3,5 dari 5." in page
    # Elements: waktu (4+2)/2 = 3.00, perilaku 4.00; IKM = (3 + 4) / 2 × 25 = 87.50 → B.
    assert "Indeks kepuasan masyarakat (IKM): 87,50, mutu B." in page
    assert "1 pengaduan dibuka kembali oleh pelapor pada periode ini." in page
