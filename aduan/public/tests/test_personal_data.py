"""Sari's personal data (UU 27/2022): she downloads everything held about her from her
tracking page, it holds nobody else's data; her NIK is never in an address, a log or a
public answer; pages with personal data are not cached; the form says what is kept, why and
for how long."""

import json
import logging

import pytest
from django.db import connection
from django.urls import reverse

from aduan.api.tokens import token_create
from aduan.audit.models import AuditEvent
from aduan.complaints.models import Attachment, Complaint
from aduan.notify.models import Delivery
from aduan.public.tests.conftest import Citizen, png_bytes, upload

NIK = "3576014506900002"  # Sari's, from sari_answers
BAMBANG = {
    "name": "Bambang Irawan",
    "phone": "0813 9999 8888",
    "email": "bambang@contoh.id",
    "nik": "3576021203850004",
    "subject": "Akta kelahiran salah nama",
}


@pytest.fixture
def bambang(client_factory, sari_answers, sop_version):
    """Another citizen, in his own browser, who filed his own complaint."""
    citizen = Citizen(client_factory(), {**sari_answers, **BAMBANG})
    code, secret = citizen.codes(citizen.file_complaint())
    citizen.track(code, secret)
    return citizen, Complaint.objects.get(tracking_code=code)


@pytest.fixture
def sari_tracking(sari):
    """Sari filed with a photo of her KTP-el and opened her tracking page."""
    code, secret = sari.codes(
        sari.file_complaint(files=[upload("ktp.png", png_bytes(), "image/png")])
    )
    sari.track(code, secret)
    return Complaint.objects.get(tracking_code=code)


def reveal_as(client, official, complaint):
    client.force_login(official)
    return client.post(reverse("desk:reveal", args=[complaint.pk]))


def export_of(citizen_client, complaint):
    return citizen_client.post(reverse("public:my_data", args=[complaint.tracking_code]))


def test_sari_downloads_everything_held_about_her_and_nothing_of_bambang(
    sari, sari_tracking, bambang, budi, client_factory
):
    complaint = sari_tracking
    reveal_as(client_factory(), budi, complaint)  # an official looked at her identity
    track_page = sari.client.get(reverse("public:track", args=[complaint.tracking_code]))
    assert reverse("public:my_data", args=[complaint.tracking_code]) in track_page.content.decode()

    response = export_of(sari.client, complaint)

    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/json")
    assert response["Content-Disposition"] == (
        f'attachment; filename="data-saya-{complaint.tracking_code}.json"'
    )
    assert "no-store" in response["Cache-Control"]
    raw = response.content.decode()
    data = json.loads(raw)
    assert data["complainant"] == {
        "name": "Sari Wulandari",
        "anonymous": False,
        "nik": NIK,
        "phone": complaint.phone,
        "email": "sari@contoh.id",
        "language": complaint.language,
    }
    assert data["complaint"]["agenda_number"] == complaint.agenda_number
    assert data["complaint"]["description"] == complaint.description
    attachment = Attachment.objects.get(complaint=complaint)
    assert [(a["name"], a["sha256"]) for a in data["attachments"]] == [
        ("ktp.png", attachment.sha256)
    ]
    assert [d["to"] for d in data["notifications"]] == [
        d.to for d in Delivery.objects.filter(complaint=complaint, user__isnull=True)
    ]
    history = [(h["action"], h["by"]) for h in data["history"]]
    assert history[0] == ("complaint.registered", "Pelapor")
    assert ("personal_data.viewed", "Petugas") in history
    assert history[-1] == ("personal_data.exported", "Pelapor")
    # Nobody else's data: not Bambang's complaint, not the official's name.
    bambang_complaint = bambang[1]
    for other in (
        "Bambang",
        BAMBANG["email"],
        BAMBANG["nik"],
        bambang_complaint.phone,
        bambang_complaint.tracking_code,
        BAMBANG["subject"],
        "Budi",
    ):
        assert other not in raw
    event = AuditEvent.objects.get(action="personal_data.exported")
    assert (event.complaint_id, event.actor_id) == (complaint.pk, None)


def test_the_page_states_the_legal_time_and_asks_before_the_download(sari, sari_tracking):
    response = sari.client.get(reverse("public:my_data", args=[sari_tracking.tracking_code]))
    assert response.status_code == 200
    page = response.content.decode()
    assert "3 × 24 jam" in page and 'method="post"' in page
    assert NIK not in page
    assert not AuditEvent.objects.filter(action="personal_data.exported").exists()


def test_another_browser_gets_no_data_of_sari(sari_tracking, bambang):
    citizen, _his = bambang
    url = reverse("public:my_data", args=[sari_tracking.tracking_code])
    for response in (citizen.client.get(url), citizen.client.post(url)):
        assert response.status_code == 302 and response.url == reverse("public:track_form")
    assert not AuditEvent.objects.filter(action="personal_data.exported").exists()


def test_pages_with_personal_data_are_not_cached(sari, sari_answers, budi, client_factory):
    """The never_cache decorator on each citizen page that shows what they typed, and in
    desk_view for every officials' page."""
    pages = [sari.client.get("/lapor/")]
    pages.append(sari.fill(subject=""))  # the form again, with what she typed
    assert pages[-1].status_code == 200 and "Sari Wulandari" in pages[-1].content.decode()
    sari.fill()
    pages.append(sari.check_page())
    confirmation = sari.file_complaint()
    pages.append(confirmation)
    code, secret = sari.codes(confirmation)
    sari.track(code, secret)
    complaint = Complaint.objects.get(tracking_code=code)
    pages.append(sari.client.get(reverse("public:track", args=[code])))
    pages.append(sari.client.get(reverse("public:my_data", args=[code])))
    pages.append(export_of(sari.client, complaint))
    official = client_factory()
    pages.append(reveal_as(official, budi, complaint))
    pages.append(official.get(reverse("desk:complaint", args=[complaint.pk])))
    pages.append(official.get(reverse("desk:inbox")))
    for response in pages:
        assert response.status_code == 200, response.request["PATH_INFO"]
        assert "no-store" in response["Cache-Control"], response.request["PATH_INFO"]


def test_the_nik_is_never_in_an_address_a_log_or_a_public_answer(
    sari, sari_answers, budi, client_factory, caplog
):
    caplog.set_level(logging.DEBUG)
    caplog.set_level(logging.DEBUG, logger="django")  # Django's own is INFO
    connection.force_debug_cursor = True  # every SQL statement and its values, logged
    try:
        addresses = []
        for response in (sari.fill(), sari.check_page(), sari.send()):
            addresses.append(response.get("Location", ""))
        confirmation = sari.client.get(addresses[-1])
        code, secret = sari.codes(confirmation)
        addresses.append(sari.track(code, secret).redirect_chain[-1][0])
        complaint = Complaint.objects.get(tracking_code=code)
        public = [
            confirmation,
            sari.client.get(reverse("public:track", args=[code])),
            sari.client.get(f"/api/v1/complaints/{code}/status", HTTP_X_TRACKING_SECRET=secret),
            sari.client.get(f"/open311/v2/requests/{code}.json"),
            sari.client.get("/open311/v2/requests.json"),
        ]
        official = client_factory()
        official.force_login(budi)
        desk_page = official.get(reverse("desk:complaint", args=[complaint.pk]))
        api_detail = official.get(
            f"/api/v1/desk/complaints/{complaint.pk}",
            HTTP_AUTHORIZATION=f"Bearer {token_create(user=budi, name='t', actor=budi).secret}",
        )
        revealed = official.post(reverse("desk:reveal", args=[complaint.pk]))
    finally:
        connection.force_debug_cursor = False
    assert NIK in revealed.content.decode()  # the one place it is shown, audited
    assert "complaints_complaint" in caplog.text  # the SQL was logged
    assert NIK not in caplog.text
    assert not any(NIK in address for address in addresses)
    for response in public:
        assert response.status_code == 200, response.content[:300]
        assert NIK not in response.content.decode()
    for response in (desk_page, api_detail):
        assert response.status_code == 200
        body = response.content.decode()
        assert NIK not in body and "3576**********02" in body
    assert not any(NIK in d.body for d in Delivery.objects.filter(complaint=complaint))


def test_the_form_says_what_is_kept_why_and_how_long(client, sop_version):
    page = client.get("/lapor/").content.decode()
    notice = page.index('id="privasi"')
    assert notice < page.rindex('class="button"')  # just before the submit button
    assert "5 tahun" in page[notice:] and 'href="/privasi/"' in page
    privacy = client.get("/privasi/")
    assert privacy.status_code == 200
    text = privacy.content.decode()
    for words in ("NIK", "5 tahun", "Minta data saya", "3 × 24 jam", "terenkripsi", "jejak audit"):
        assert words in text


def test_the_period_shown_follows_the_setting(client, sop_version, settings):
    settings.RETENTION_DAYS = 90
    assert "90 hari" in client.get("/lapor/").content.decode()
    assert "90 hari" in client.get("/privasi/").content.decode()
