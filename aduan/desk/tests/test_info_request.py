"""Staff ask the citizen for more information at the first step; the inbox shows the wait."""

from django.urls import reverse

from aduan.audit.models import AuditEvent
from aduan.complaints.models import Complaint, Message
from aduan.desk.services import citizen_reply

from .conftest import as_, complaint_url, decide, page_text, save_draft


def ask(client, complaint, body):
    return client.post(reverse("desk:info_request", args=[complaint.pk]), {"body": body})


def test_staff_ask_sari_and_the_complaint_waits_for_her_reply(client, complaint_of_sari, budi):
    as_(client, budi)
    assert "Minta keterangan kepada pelapor" in page_text(
        client.get(complaint_url(complaint_of_sari))
    )
    response = ask(client, complaint_of_sari, "Mohon kirim nomor KK Ibu.")
    assert response.status_code == 302
    page = client.get(response.url)
    text = page_text(page)
    assert "Permintaan keterangan tersimpan; pengaduan menunggu jawaban pelapor." in text
    assert "Mohon kirim nomor KK Ibu." in text
    assert "Menunggu jawaban pelapor sejak" in text
    message = Message.objects.get()
    assert (message.direction, message.author) == (Message.Direction.TO_CITIZEN, budi)
    assert AuditEvent.objects.filter(action="info.requested", complaint_id=complaint_of_sari.pk)
    assert "Menunggu jawaban pelapor sejak" in page_text(client.get(reverse("desk:inbox")))


def test_sari_replies_and_the_reply_shows_on_the_complaint_page(client, complaint_of_sari, budi):
    as_(client, budi)
    ask(client, complaint_of_sari, "Mohon kirim nomor KK Ibu.")
    complaint = Complaint.objects.get(pk=complaint_of_sari.pk)
    assert citizen_reply(complaint=complaint, body="KK saya 3576010101010001.").ok
    text = page_text(client.get(complaint_url(complaint)))
    assert "Dari pelapor" in text and "KK saya 3576010101010001." in text
    assert "Menunggu jawaban pelapor sejak" not in text


def test_an_empty_question_is_refused_beside_the_field(client, complaint_of_sari, budi):
    response = ask(as_(client, budi), complaint_of_sari, "  ")
    assert response.status_code == 200
    assert (
        'id="info_body_error">Tuliskan pertanyaan kepada pelapor.</p>' in response.content.decode()
    )
    assert not Message.objects.exists()


def test_only_the_first_step_asks_the_citizen(client, complaint_of_sari, budi, wati):
    as_(client, budi)
    save_draft(client, complaint_of_sari, "Konsep.")
    decide(client, complaint_of_sari, "approve:verify_kasi")
    as_(client, wati)
    assert "Minta keterangan kepada pelapor" not in page_text(
        client.get(complaint_url(complaint_of_sari))
    )
    response = ask(client, complaint_of_sari, "Pertanyaan dari Kasi.")
    assert response.status_code == 409
    assert "Permintaan keterangan dikirim oleh petugas pada langkah verifikasi." in page_text(
        response
    )
    assert not Message.objects.exists()
