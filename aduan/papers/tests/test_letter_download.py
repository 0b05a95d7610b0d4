"""The answer letter's PDF: the citizen downloads it from the tracking page of the browser
that opened the complaint; officials from the desk; each download is audited."""

import hashlib

import pytest
from django.test import Client
from django.urls import reverse

from aduan.audit.models import AuditEvent
from aduan.desk.tests.conftest import page_text
from aduan.papers import letter_pdf
from aduan.papers.tests.letter_helpers import carry_to_answer, name_officials, pdf_text
from conftest import make_official

pytestmark = pytest.mark.django_db


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def letter(complaint_of_sari, budi, wati, agus, hadi, media):
    name_officials(budi, wati, agus, hadi)
    return carry_to_answer(complaint_of_sari, staff=budi, kasi=wati, kabid=agus, kadis=hadi)


def open_tracking(client, complaint):
    """Sari opens her complaint with its code and secret, as from the confirmation page."""
    link = reverse("public:track_link", args=[complaint.tracking_code, complaint.tracking_secret])
    assert client.get(link).status_code == 302


def letter_url(complaint) -> str:
    return reverse("public:track_letter", args=[complaint.tracking_code])


def test_sari_downloads_the_letter_from_her_tracking_page(client, complaint_of_sari, letter):
    open_tracking(client, complaint_of_sari)
    page = client.get(reverse("public:track", args=[complaint_of_sari.tracking_code]))
    assert "Unduh surat jawaban (PDF)" in page_text(page)
    assert letter_url(complaint_of_sari) in page.content.decode()

    response = client.get(letter_url(complaint_of_sari))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    agenda = complaint_of_sari.agenda_number.replace("/", "-")
    assert response["Content-Disposition"] == f'attachment; filename="surat-jawaban-{agenda}.pdf"'
    assert "private" in response["Cache-Control"] and "no-store" in response["Cache-Control"]
    letter.refresh_from_db()  # rendered on this first download
    assert hashlib.sha256(response.content).hexdigest() == letter.pdf_sha256
    assert "Yth. Sari Wulandari" in pdf_text(response.content)
    event = AuditEvent.objects.get(action="letter.downloaded")
    assert (event.actor_id, event.data["by"]) == (None, "citizen")


def test_another_browser_cannot_download_sari_s_letter(complaint_of_sari, letter):
    stranger = Client()
    response = stranger.get(letter_url(complaint_of_sari))
    assert response.status_code == 302
    assert response["Location"] == reverse("public:track_form")
    assert not AuditEvent.objects.filter(action="letter.downloaded").exists()


def test_an_unanswered_complaint_offers_no_letter(client, complaint_of_sari, media):
    open_tracking(client, complaint_of_sari)
    page = client.get(reverse("public:track", args=[complaint_of_sari.tracking_code]))
    assert "Unduh surat jawaban" not in page_text(page)
    response = client.get(letter_url(complaint_of_sari))  # typed by hand
    assert response.status_code == 404
    assert "Surat jawaban tidak tersedia" in page_text(response)


def test_a_letter_not_yet_printable_says_so_plainly_and_comes_on_a_later_visit(
    client, complaint_of_sari, letter, monkeypatch
):
    open_tracking(client, complaint_of_sari)

    def broken(*, letter):
        raise OSError("disk full")

    with monkeypatch.context() as patched:
        patched.setattr(letter_pdf, "letter_pdf_build", broken)
        response = client.get(letter_url(complaint_of_sari))
    assert response.status_code == 202
    assert "Surat jawaban sedang disiapkan" in page_text(response)
    response = client.get(letter_url(complaint_of_sari))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"


def test_an_official_downloads_the_letter_and_it_is_audited(client, budi, letter):
    client.force_login(budi)
    response = client.get(reverse("letters:desk_pdf", args=[letter.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert "no-store" in response["Cache-Control"]
    event = AuditEvent.objects.get(action="letter.downloaded")
    assert (event.actor_id, event.data["by"], event.data["number"]) == (
        budi.pk,
        "official",
        letter.number,
    )


def test_someone_without_a_role_is_refused_and_a_visitor_is_sent_to_log_in(client, letter):
    url = reverse("letters:desk_pdf", args=[letter.pk])
    assert client.get(url).status_code == 302
    client.force_login(make_official("joko", "Joko"))
    assert client.get(url).status_code == 403
    assert not AuditEvent.objects.filter(action="letter.downloaded").exists()


def test_an_auditor_may_not_download_the_letter_of_a_confidential_complaint(
    client, sop_version, category, budi, wati, agus, hadi, media
):
    from aduan.complaints.services import complaint_register

    complaint = complaint_register(
        category=category,
        subject="Petugas tidak ramah",
        description="Petugas loket membentak.",
        name="Sari Wulandari",
        phone="+6281234567890",
        is_confidential=True,
    )
    letter = carry_to_answer(complaint, staff=budi, kasi=wati, kabid=agus, kadis=hadi)
    client.force_login(make_official("dewi", "Dewi", "auditor"))
    response = client.get(reverse("letters:desk_pdf", args=[letter.pk]))
    assert response.status_code == 403
    assert "hanya dapat diunduh oleh petugas yang menanganinya" in page_text(response)
    client.force_login(budi)
    assert client.get(reverse("letters:desk_pdf", args=[letter.pk])).status_code == 200


def test_an_unknown_letter_is_not_found(client, budi, media):
    client.force_login(budi)
    assert client.get(reverse("letters:desk_pdf", args=[99999])).status_code == 404
