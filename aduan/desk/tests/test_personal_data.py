"""The complainant's NIK, phone and e-mail are masked until an official asks, and each reveal
is recorded in the audit log."""

from django.urls import reverse

from aduan.audit.models import AuditEvent
from aduan.complaints.services import complaint_register

from .conftest import as_, complaint_url, page_text


def reveal(client, complaint):
    return client.post(reverse("desk:reveal", args=[complaint.pk]))


def sari_in_confidence(category):
    return complaint_register(
        category=category,
        subject="Pungutan liar di loket",
        description="Petugas meminta uang.",
        name="Sari Wulandari",
        phone="+6281234567890",
        email="sari@contoh.id",
        nik="3576014101900012",
        is_confidential=True,
    )


def test_contact_details_are_masked_by_default(client, complaint_with_attachments, budi):
    text = page_text(as_(client, budi).get(complaint_url(complaint_with_attachments)))
    assert "Sari Wulandari" in text  # the name of a complaint that is not confidential
    assert "3576**********12" in text
    assert "+62812*****890" in text
    assert "3576014101900012" not in text
    assert "+6281234567890" not in text
    assert not AuditEvent.objects.filter(action="personal_data.viewed").exists()


def test_revealing_shows_them_for_this_page_view_and_is_audited(
    client, complaint_with_attachments, budi
):
    as_(client, budi)
    response = reveal(client, complaint_with_attachments)
    assert response.status_code == 200
    text = page_text(response)
    assert "3576014101900012" in text and "+6281234567890" in text
    assert "tercatat dalam jejak audit" in text
    event = AuditEvent.objects.get(action="personal_data.viewed")
    assert (event.actor, event.complaint_id) == (budi, complaint_with_attachments.pk)
    assert event.data == {"fields": ["name", "nik", "phone"]}
    # The next view of the page is masked again.
    assert "3576014101900012" not in page_text(
        client.get(complaint_url(complaint_with_attachments))
    )


def test_a_confidential_complainant_is_rahasia_until_revealed(client, category, sop_version, wati):
    complaint = sari_in_confidence(category)
    as_(client, wati)
    text = page_text(client.get(complaint_url(complaint)))
    assert "Sari Wulandari" not in text and "Rahasia" in text
    assert "s***@contoh.id" in text
    text = page_text(reveal(client, complaint))
    assert "Sari Wulandari" in text and "sari@contoh.id" in text


def test_an_auditor_may_not_reveal_a_confidential_complainant(client, category, sop_version, dewi):
    complaint = sari_in_confidence(category)
    as_(client, dewi)
    assert "Tampilkan data pribadi" not in page_text(client.get(complaint_url(complaint)))
    response = reveal(client, complaint)
    assert response.status_code == 403
    assert "hanya dapat dilihat oleh petugas yang menanganinya" in page_text(response)
    assert not AuditEvent.objects.filter(action="personal_data.viewed").exists()


def test_reveal_is_post_only_and_for_officials(client, complaint_of_sari, budi, joko):
    url = reverse("desk:reveal", args=[complaint_of_sari.pk])
    assert as_(client, budi).get(url).status_code == 405
    client.logout()
    response = client.post(url)
    assert response.status_code == 302 and response.url.startswith("/meja/masuk/")
    assert reveal(as_(client, joko), complaint_of_sari).status_code == 403
    assert not AuditEvent.objects.filter(action="personal_data.viewed").exists()


def test_reveal_of_an_unknown_complaint_is_404(client, budi, sop_version):
    assert as_(client, budi).post(reverse("desk:reveal", args=[999])).status_code == 404
