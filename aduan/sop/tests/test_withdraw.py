"""complaint_withdraw: the engine closes an open complaint as withdrawn, once, and never one
that has moved on (answered, or its citizen replied) in the meantime."""

import datetime as dt

from django.utils import timezone

from aduan.audit.models import AuditEvent
from aduan.complaints.models import Complaint, ComplaintStep
from aduan.desk.services import citizen_reply, info_request
from aduan.sop.engine import complaint_withdraw

NOTE = "Pelapor tidak menjawab permintaan keterangan dalam 30 hari."


def test_a_withdrawal_closes_the_open_step_and_the_complaint(complaint_of_sari):
    outcome = complaint_withdraw(complaint_id=complaint_of_sari.pk, note=NOTE)
    assert outcome.ok and outcome.code == "withdrawn"
    complaint_of_sari.refresh_from_db()
    assert complaint_of_sari.status == Complaint.Status.WITHDRAWN
    assert complaint_of_sari.current_step == "" and complaint_of_sari.closed_at is not None
    step = ComplaintStep.objects.get(complaint=complaint_of_sari)
    assert (step.decision, step.note, step.decided_by) == ("withdrawn", NOTE, None)
    event = AuditEvent.objects.get(action="complaint.withdrawn")
    assert event.data == {"step": "draft", "seq": 1, "note": NOTE}


def test_a_complaint_is_withdrawn_once(complaint_of_sari):
    assert complaint_withdraw(complaint_id=complaint_of_sari.pk, note=NOTE).ok
    again = complaint_withdraw(complaint_id=complaint_of_sari.pk, note=NOTE)
    assert not again.ok and again.code == "not_open"
    assert AuditEvent.objects.filter(action="complaint.withdrawn").count() == 1


def test_a_complaint_whose_citizen_replied_is_not_withdrawn(complaint_of_sari, budi):
    """The sweep chose it while it waited; the reply came first. Nothing is written: the
    step it had closed is open again."""
    info_request(complaint_id=complaint_of_sari.pk, actor=budi, body="Nomor antrean?")
    complaint_of_sari.refresh_from_db()
    assert citizen_reply(complaint=complaint_of_sari, body="Nomor 17.").ok
    outcome = complaint_withdraw(
        complaint_id=complaint_of_sari.pk,
        note=NOTE,
        awaiting_reply_before=timezone.now() + dt.timedelta(days=1),
    )
    assert not outcome.ok
    complaint_of_sari.refresh_from_db()
    assert complaint_of_sari.status == Complaint.Status.OPEN
    assert ComplaintStep.objects.get(complaint=complaint_of_sari).decided_at is None
    assert not AuditEvent.objects.filter(action="complaint.withdrawn").exists()


def test_a_withdrawn_complaint_takes_no_reply(complaint_of_sari, budi):
    info_request(complaint_id=complaint_of_sari.pk, actor=budi, body="Nomor antrean?")
    assert complaint_withdraw(complaint_id=complaint_of_sari.pk, note=NOTE).ok
    complaint_of_sari.refresh_from_db()
    outcome = citizen_reply(complaint=complaint_of_sari, body="Maaf terlambat.")
    assert not outcome.ok and outcome.code == "closed"
