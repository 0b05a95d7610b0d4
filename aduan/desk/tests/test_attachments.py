"""Attachments are served to officials only, through the desk, each view audited."""

from django.urls import reverse

from aduan.audit.models import AuditEvent

from .conftest import PDF, PNG, as_, complaint_url, page_text


def attachments_of(complaint):
    return {a.original_name: a for a in complaint.attachments.all()}


def body_of(response) -> bytes:
    return b"".join(response.streaming_content)


def test_the_complaint_page_links_attachments_through_the_desk(
    client, complaint_with_attachments, budi
):
    page = as_(client, budi).get(complaint_url(complaint_with_attachments))
    html = page.content.decode()
    for attachment in complaint_with_attachments.attachments.all():
        assert f'href="/meja/lampiran/{attachment.pk}/"' in html
    assert "/media/" not in html
    assert "tanda terima.png" in page_text(page)


def test_an_image_is_shown_inline_and_the_view_is_audited(client, complaint_with_attachments, budi):
    photo = attachments_of(complaint_with_attachments)["tanda terima.png"]
    response = as_(client, budi).get(reverse("desk:attachment", args=[photo.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    assert response["Content-Disposition"].startswith("inline")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "no-store" in response["Cache-Control"]
    assert body_of(response) == PNG
    event = AuditEvent.objects.get(action="attachment.viewed")
    assert (event.actor, event.complaint_id, event.target_id) == (
        budi,
        complaint_with_attachments.pk,
        str(photo.pk),
    )


def test_a_pdf_is_downloaded_not_shown(client, complaint_with_attachments, wati):
    letter = attachments_of(complaint_with_attachments)["surat.pdf"]
    response = as_(client, wati).get(reverse("desk:attachment", args=[letter.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'attachment; filename="surat.pdf"'
    assert body_of(response) == PDF


def test_anonymous_visitors_are_sent_to_the_login_page(client, complaint_with_attachments):
    photo = attachments_of(complaint_with_attachments)["tanda terima.png"]
    response = client.get(reverse("desk:attachment", args=[photo.pk]))
    assert response.status_code == 302
    assert response.url == f"/meja/masuk/?next=/meja/lampiran/{photo.pk}/"
    assert not AuditEvent.objects.filter(action="attachment.viewed").exists()


def test_a_user_without_a_role_is_refused(client, complaint_with_attachments, joko):
    photo = attachments_of(complaint_with_attachments)["tanda terima.png"]
    response = as_(client, joko).get(reverse("desk:attachment", args=[photo.pk]))
    assert response.status_code == 403
    assert "belum memiliki peran" in page_text(response)
    assert not AuditEvent.objects.filter(action="attachment.viewed").exists()


def test_an_unknown_attachment_is_404(client, budi, sop_version):
    assert as_(client, budi).get(reverse("desk:attachment", args=[999])).status_code == 404


def test_a_file_missing_from_storage_is_404_not_500(client, complaint_with_attachments, budi):
    photo = attachments_of(complaint_with_attachments)["tanda terima.png"]
    photo.file.storage.delete(photo.file.name)
    response = as_(client, budi).get(reverse("desk:attachment", args=[photo.pk]))
    assert response.status_code == 404
    assert not AuditEvent.objects.filter(action="attachment.viewed").exists()
