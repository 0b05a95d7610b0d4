"""The desk services refuse empty and over-long text (they used to accept it: an Outcome
refusal is falsy, and `if problem:` let it through)."""

from aduan.complaints.models import Complaint, Draft, Message
from aduan.desk.services import citizen_reply, draft_save, info_request


def test_an_empty_draft_is_refused(complaint_of_sari, budi):
    outcome = draft_save(complaint_id=complaint_of_sari.pk, actor=budi, kind="answer", body=" \n")
    assert (outcome.ok, outcome.code) == (False, "text_required")
    assert not Draft.objects.exists()


def test_a_draft_over_the_limit_is_refused(complaint_of_sari, budi):
    outcome = draft_save(
        complaint_id=complaint_of_sari.pk, actor=budi, kind="answer", body="x" * 20_001
    )
    assert (outcome.ok, outcome.code) == (False, "text_too_long")
    assert "paling banyak 20.000 karakter" in outcome.message


def test_an_empty_request_for_information_is_refused(complaint_of_sari, budi):
    outcome = info_request(complaint_id=complaint_of_sari.pk, actor=budi, body="")
    assert (outcome.ok, outcome.code) == (False, "text_required")
    assert not Message.objects.exists()
    assert Complaint.objects.get(pk=complaint_of_sari.pk).awaiting_reply_since is None


def test_an_empty_citizen_reply_is_refused_and_the_office_keeps_waiting(complaint_of_sari, budi):
    assert info_request(complaint_id=complaint_of_sari.pk, actor=budi, body="Nomor KK?").ok
    complaint = Complaint.objects.get(pk=complaint_of_sari.pk)
    outcome = citizen_reply(complaint=complaint, body="   ")
    assert (outcome.ok, outcome.code) == (False, "text_required")
    assert Complaint.objects.get(pk=complaint.pk).awaiting_reply_since is not None
