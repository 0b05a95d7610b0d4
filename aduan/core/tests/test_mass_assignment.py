"""Fields a form or the API does not offer are ignored when posted: nobody sets a
complaint's status, step, agenda number, tracking code, dates, or who decided, by adding
them to a request. Each test posts the fields a person may send plus every field they may
not, and checks what was stored.
"""

import datetime as dt
import json

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from aduan.api.tokens import token_create
from aduan.complaints.models import Complaint, ComplaintStep, Draft
from aduan.public.views import session_draft

pytestmark = pytest.mark.django_db

LONG_AGO = "2001-01-01T00:00:00+07:00"
FORGED_CODE = "ADU-AAAA-AAAA"


def forged(hadi, other_pk: int) -> dict:
    """What an attacker adds: the fields of Complaint, ComplaintStep and Draft that no form
    offers, set to values that would show if they were taken."""
    return {
        "status": "answered",
        "current_step": "answer",
        "step": "answer",
        "step_id_": other_pk,
        "agenda_year": "1999",
        "agenda_seq": "424242",
        "agenda_number": "424242/1999",
        "tracking_code": FORGED_CODE,
        "code": FORGED_CODE,
        "tracking_digest": "0" * 64,
        "submission_key": "kunci-curian",
        "received_at": LONG_AGO,
        "closed_at": LONG_AGO,
        "decided_at": LONG_AGO,
        "created_at": LONG_AGO,
        "decided_by": hadi.pk,
        "decided_by_id": hadi.pk,
        "decided_as": "plt",
        "assignee": hadi.pk,
        "author": hadi.pk,
        "author_id": hadi.pk,
        "registered_by": hadi.pk,
        "registered_by_id": hadi.pk,
        "next_step": "selesai",
        "seq": "77",
        "complaint": other_pk,
        "complaint_id": other_pk,
        "answer_text": "Jawaban palsu",
        "sop_version": "999",
        "awaiting_reply_since": LONG_AGO,
        "language": "xx",
        "is_superuser": "on",
    }


def assert_untouched(complaint: Complaint, *, channel: str, registered_by=None):
    complaint.refresh_from_db()
    now = timezone.now()
    assert complaint.status == Complaint.Status.OPEN
    assert complaint.current_step == "draft"
    assert complaint.tracking_code != FORGED_CODE
    assert complaint.tracking_digest != "0" * 64
    assert complaint.submission_key != "kunci-curian"
    assert complaint.agenda_seq != 424242 and complaint.agenda_year == timezone.localdate().year
    assert now - dt.timedelta(minutes=5) < complaint.received_at <= now
    assert complaint.closed_at is None and complaint.awaiting_reply_since is None
    assert complaint.answer_text == ""
    assert complaint.channel == channel
    assert complaint.registered_by == registered_by
    step = ComplaintStep.objects.get(complaint=complaint)
    assert (step.step, step.decided_at, step.decided_by_id) == ("draft", None, None)


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def answers(category):
    return {
        "category": str(category.pk),
        "subject": "KTP-el belum jadi",
        "description": "Sudah tiga minggu sejak perekaman, KTP-el saya belum jadi.",
        "name": "Sari Wulandari",
        "phone": "0812 3456 7890",
    }


def test_the_public_form_takes_only_its_own_fields(
    sop_version, answers, hadi, complaint_of_sari, media
):
    browser = Client()
    assert (
        browser.post("/lapor/", {**answers, **forged(hadi, complaint_of_sari.pk)}).status_code
        == 302
    )
    typed = session_draft(browser.session)["data"]
    assert set(typed) <= {*answers, "is_anonymous", "is_confidential"}
    key = browser.session["lapor"]["key"]
    assert browser.post("/lapor/periksa/", {"kunci": key, **forged(hadi, 1)}).status_code == 302
    complaint = Complaint.objects.exclude(pk=complaint_of_sari.pk).get()
    assert_untouched(complaint, channel="web")
    assert complaint.language != "xx"
    assert_untouched(complaint_of_sari, channel="web")


def test_the_desk_s_registration_takes_only_its_own_fields(
    client, sop_version, answers, budi, hadi, complaint_of_sari
):
    client.force_login(budi)
    response = client.post(
        reverse("desk:complaint_new"),
        {**answers, "channel": "walk_in", **forged(hadi, complaint_of_sari.pk)},
    )
    assert response.status_code == 302
    complaint = Complaint.objects.exclude(pk=complaint_of_sari.pk).get()
    assert_untouched(complaint, channel="walk_in", registered_by=budi)


def test_a_draft_cannot_name_its_author_its_version_or_another_complaint(
    client, budi, hadi, complaint_of_sari, sop_version, category
):
    from aduan.complaints.services import complaint_register

    other = complaint_register(
        category=category,
        subject="Lain",
        description="Pengaduan lain.",
        name="Bambang",
        phone="+6285712345678",
    )
    client.force_login(budi)
    response = client.post(
        reverse("desk:draft", args=[complaint_of_sari.pk]),
        {"kind": "answer", "body": "Konsep jawaban.", **forged(hadi, other.pk)},
    )
    assert response.status_code == 302
    draft = Draft.objects.get()
    assert (draft.complaint_id, draft.author, draft.seq) == (complaint_of_sari.pk, budi, 1)
    assert timezone.now() - draft.created_at < dt.timedelta(minutes=5)
    assert not Draft.objects.filter(complaint=other).exists()
    assert_untouched(complaint_of_sari, channel="web")


def test_a_decision_cannot_name_who_decided_or_where_it_goes(client, budi, hadi, complaint_of_sari):
    client.force_login(budi)
    client.post(
        reverse("desk:draft", args=[complaint_of_sari.pk]), {"kind": "answer", "body": "Konsep."}
    )
    step = ComplaintStep.objects.get(complaint=complaint_of_sari, decided_at__isnull=True)
    response = client.post(
        reverse("desk:decide", args=[complaint_of_sari.pk]),
        {"step_id": step.pk, "edge": "approve:verify_kasi", "note": "", **forged(hadi, 1)},
    )
    assert response.status_code == 302
    step.refresh_from_db()
    assert (step.decided_by, step.decided_as, step.next_step) == (budi, "", "verify_kasi")
    assert timezone.now() - step.decided_at < dt.timedelta(minutes=5)
    complaint_of_sari.refresh_from_db()
    assert (complaint_of_sari.status, complaint_of_sari.current_step) == ("open", "verify_kasi")
    assert complaint_of_sari.answer_text == ""


def test_the_api_filing_takes_only_the_form_s_fields(
    client, sop_version, category, hadi, complaint_of_sari, media
):
    response = client.post(
        "/api/v1/complaints",
        {
            "category": category.code,
            "subject": "Lewat API",
            "description": "Sudah tiga minggu sejak perekaman, KTP-el saya belum jadi.",
            "name": "Sari Wulandari",
            "phone": "0812 3456 7890",
            "channel": "walk_in",
            **forged(hadi, complaint_of_sari.pk),
        },
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["tracking_code"] != FORGED_CODE and body["agenda_number"] != "424242/1999"
    complaint = Complaint.objects.get(tracking_code=body["tracking_code"])
    assert_untouched(complaint, channel="api")


def test_the_api_s_desk_writes_take_only_their_own_fields(
    client, budi, hadi, complaint_of_sari, sop_version, category
):
    secret = token_create(user=budi, name="tes", actor=budi).secret
    bearer = {"HTTP_AUTHORIZATION": f"Bearer {secret}"}

    def post(path, body):
        return client.post(
            "/api/v1" + path, json.dumps(body), content_type="application/json", **bearer
        )

    response = post(
        f"/desk/complaints/{complaint_of_sari.pk}/draft",
        {"kind": "answer", "body": "Konsep API.", **forged(hadi, 1)},
    )
    assert response.status_code == 201, response.content
    draft = Draft.objects.get()
    assert (draft.author, draft.seq, draft.complaint_id) == (budi, 1, complaint_of_sari.pk)
    step = ComplaintStep.objects.get(complaint=complaint_of_sari, decided_at__isnull=True)
    response = post(f"/desk/steps/{step.pk}/decision", {"decision": "approve", **forged(hadi, 1)})
    assert response.status_code == 200, response.content
    step.refresh_from_db()
    assert (step.decided_by, step.decided_as, step.next_step) == (budi, "", "verify_kasi")


def test_open311_takes_only_the_standard_s_fields(
    client, sop_version, category, hadi, complaint_of_sari, media
):
    from aduan.open311.keys import key_create

    _key, secret = key_create(name="Aplikasi Mojokerto")
    response = client.post(
        "/open311/v2/requests.json",
        {
            "api_key": secret,
            "service_code": category.code,
            "description": "KTP-el saya belum jadi\nSudah tiga minggu menunggu.",
            "first_name": "Sari",
            "phone": "081234567890",
            "service_request_id": FORGED_CODE,
            "requested_datetime": LONG_AGO,
            "updated_datetime": LONG_AGO,
            "agency_responsible": "Bukan kami",
            "service_notice": "palsu",
            "attribute[status]": "closed",
            **forged(hadi, complaint_of_sari.pk),
        },
    )
    assert response.status_code == 200, response.content
    code = response.json()[0]["service_request_id"]
    assert code != FORGED_CODE
    assert_untouched(Complaint.objects.get(tracking_code=code), channel="open311")
