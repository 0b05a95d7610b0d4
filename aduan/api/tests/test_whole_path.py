"""Sari files through the API; Budi, Wati, Agus and Hadi carry it through the SOP with
their tokens (one return with a note on the way); Sari reads the answer through the API."""

import pytest

from aduan.api.tests.conftest import error_of
from aduan.audit.models import AuditEvent
from aduan.complaints.models import Complaint

pytestmark = pytest.mark.django_db


def test_a_complaint_filed_through_the_api_is_answered_through_the_api(
    client, api, sop_version, sari_fields, budi, wati, agus, hadi
):
    filed = client.post("/api/v1/complaints", sari_fields)
    assert filed.status_code == 201, filed.content
    code, secret = filed.json()["tracking_code"], filed.json()["secret"]
    assert filed.json()["status_url"].endswith(f"/api/v1/complaints/{code}/status")
    complaint = Complaint.objects.get(tracking_code=code)
    assert complaint.channel == "api" and complaint.phone == "+6281234567890"

    as_budi, as_wati = api.as_(budi), api.as_(wati)
    as_agus, as_hadi = api.as_(agus), api.as_(hadi)
    inbox = as_budi.get("/inbox").json()
    assert [i["id"] for i in inbox["items"]] == [complaint.pk]
    step_id = inbox["items"][0]["step_id"]
    assert inbox["items"][0]["complainant"] == "Sari Wulandari"

    saved = as_budi.post(
        f"/desk/complaints/{complaint.pk}/draft", {"kind": "answer", "body": "Sudah jadi."}
    )
    assert saved.status_code == 201 and saved.json()["code"] == "draft_saved"
    moved = as_budi.post(f"/desk/steps/{step_id}/decision", {"decision": "approve"})
    assert moved.status_code == 200, moved.content
    step_id = moved.json()["open_step_id"]

    returned = as_wati.post(
        f"/desk/steps/{step_id}/decision",
        {"decision": "return", "note": "Sebutkan loket pengambilan."},
    )
    assert returned.status_code == 200, returned.content
    step_id = returned.json()["open_step_id"]
    as_budi.post(
        f"/desk/complaints/{complaint.pk}/draft",
        {"kind": "answer", "body": "Sudah jadi; ambil di loket 2."},
    )
    for official in (as_budi, as_wati, as_agus, as_hadi, as_budi):
        moved = official.post(f"/desk/steps/{step_id}/decision", {"decision": "approve"})
        assert moved.status_code == 200, moved.content
        step_id = moved.json()["open_step_id"]
    assert moved.json()["status"] == "answered" and step_id is None

    detail = as_wati.get(f"/desk/complaints/{complaint.pk}").json()
    assert detail["complainant"]["phone"] != complaint.phone  # masked: reveal on the desk
    assert detail["complainant"]["nik"] != complaint.nik and detail["decisions"] == []
    assert [s["decision"] for s in detail["steps"]][:2] == ["approve", "return"]
    assert detail["steps"][1]["note"] == "Sebutkan loket pengambilan."
    assert [d["seq"] for d in detail["drafts"]] == [1, 2]
    assert detail["letter_number"]

    status = api.get(f"/complaints/{code}/status", HTTP_X_TRACKING_SECRET=secret).json()
    assert status["status"] == "answered" and status["stage"] == "answered"
    assert status["answer"]["text"] == "Sudah jadi; ambil di loket 2."
    assert status["answer"]["letter_number"] == detail["letter_number"]
    assert "Wati" not in str(status) and "Sebutkan loket" not in str(status)
    # The same audit as the desk pages.
    actions = list(AuditEvent.objects.values_list("action", flat=True))
    assert actions.count("step.approve") == 6 and actions.count("step.return") == 1
    assert {"complaint.registered", "draft.saved", "answer.sent"} <= set(actions)


def test_the_status_tells_the_stage_and_never_names_the_official(
    client, api, sop_version, sari_fields, budi
):
    filed = client.post("/api/v1/complaints", sari_fields).json()
    status = api.get(
        f"/complaints/{filed['tracking_code']}/status", HTTP_X_TRACKING_SECRET=filed["secret"]
    ).json()
    assert [s["state"] for s in status["stages"]] == ["done", "current", "todo", "todo"]
    assert status["stage"] == "verified" and status["current_role"] == "Staf"
    assert status["answer"] is None
    assert "Sari" not in str(status) and "0812" not in str(status)


def test_a_wrong_secret_and_an_unknown_code_get_the_same_404(api, complaint_of_sari):
    code = complaint_of_sari.tracking_code
    wrong = api.get(f"/complaints/{code}/status", HTTP_X_TRACKING_SECRET="AAAAAAAA")
    unknown = api.get(
        "/complaints/ADU-0000-0000/status",
        HTTP_X_TRACKING_SECRET=complaint_of_sari.tracking_secret,
    )
    assert wrong.status_code == unknown.status_code == 404
    assert error_of(wrong) == error_of(unknown)


def test_the_status_needs_the_secret_header(api, complaint_of_sari):
    response = api.get(f"/complaints/{complaint_of_sari.tracking_code}/status")
    assert response.status_code == 422
    assert "X-Tracking-Secret" in error_of(response)["fields"]
