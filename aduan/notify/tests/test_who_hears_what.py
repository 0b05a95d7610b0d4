"""Who hears what: the citizen on receipt and on withdrawal, officials when a step lands in
their inbox and when the sweep reminds them; never an anonymous or confidential
complainant's name in an official's message."""

import pytest
from django.urls import reverse

from aduan.complaints.services import complaint_register
from aduan.notify.models import Delivery, MessageText
from aduan.sla.sweep import sla_sweep
from aduan.sla.tests.clock import WEDNESDAY_9, at
from aduan.sop.engine import complaint_withdraw, step_decide

pytestmark = pytest.mark.django_db


def file(category, **more):
    fields = {
        "category": category,
        "subject": "KTP-el belum jadi",
        "description": "Sudah tiga minggu.",
        "name": "Sari Wulandari",
        "email": "sari@example.test",
        "phone": "0812-3456-7890",
    }
    fields.update(more)
    return complaint_register(**fields)


def to_citizen(complaint, kind):
    return list(
        Delivery.objects.filter(complaint=complaint, kind=kind, user__isnull=True).order_by("id")
    )


def test_the_citizen_hears_of_receipt_by_every_contact_given(sop_version, category):
    complaint = file(category)
    email, phone = to_citizen(complaint, "received")
    assert (email.channel, email.to) == ("file", "sari@example.test")
    assert (phone.channel, phone.to) == ("file", "0812-3456-7890")
    assert email.subject == f"Pengaduan Anda diterima: {complaint.tracking_code}"
    assert complaint.agenda_number in email.body
    link = reverse("public:track_link", args=[complaint.tracking_code, complaint.tracking_secret])
    assert "http://localhost:8000" + link in email.body
    assert email.params == [complaint.tracking_code, "http://localhost:8000" + link]


def test_a_complaint_without_contact_queues_no_citizen_message(sop_version, category):
    complaint = file(category, email="", phone="", name="", is_anonymous=True)
    assert to_citizen(complaint, "received") == []


def test_an_english_complaint_is_answered_in_english(sop_version, category):
    complaint = file(category, language="en", phone="")
    [message] = to_citizen(complaint, "received")
    assert message.subject == f"Your complaint was received: {complaint.tracking_code}"


def test_the_admins_wording_replaces_the_default(sop_version, category):
    MessageText.objects.create(
        kind="received", language="id", subject="Diterima {kode_lacak}", body="Halo. {tautan}"
    )
    complaint = file(category, phone="")
    [message] = to_citizen(complaint, "received")
    assert message.subject == f"Diterima {complaint.tracking_code}"
    assert message.body.startswith("Halo. http://localhost:8000/lacak/")


def test_staff_hear_when_a_complaint_lands_in_their_inbox(sop_version, category, budi):
    budi.email = "budi@disdukcapil.test"
    budi.save()
    complaint = file(category)
    [message] = Delivery.objects.filter(kind="step_assigned", user=budi)
    assert message.to == "budi@disdukcapil.test" and message.channel == "file"
    assert message.subject.startswith(f"Pengaduan {complaint.agenda_number} menunggu Anda")
    assert "Sari Wulandari" in message.body
    assert f"/meja/pengaduan/{complaint.pk}/" in message.body


def test_the_kasi_hears_when_staff_move_it_on(sop_version, category, budi, wati):
    from aduan.desk.services import draft_save

    wati.email = "wati@disdukcapil.test"
    wati.save()
    complaint = file(category)
    draft_save(complaint_id=complaint.pk, actor=budi, kind="answer", body="Sudah dicetak.")
    step = complaint.steps.get(decided_at__isnull=True)
    assert step_decide(step_id=step.pk, actor=budi, decision="approve")
    [message] = Delivery.objects.filter(kind="step_assigned", user=wati)
    assert "Memverifikasi" in message.subject


@pytest.mark.parametrize(
    "private", [{"is_anonymous": True}, {"is_confidential": True}], ids=["anonim", "rahasia"]
)
def test_an_officials_message_never_names_a_private_complainant(
    sop_version, category, budi, private
):
    budi.email = "budi@disdukcapil.test"
    budi.save()
    complaint = file(category, **private)
    [message] = Delivery.objects.filter(kind="step_assigned", user=budi)
    assert "Sari" not in message.subject + message.body
    assert ("Anonim" if "is_anonymous" in private else "Rahasia") in message.body
    assert complaint.email not in message.body


def test_officials_without_an_email_get_no_message(sop_version, category, budi):
    file(category)
    assert not Delivery.objects.filter(kind="step_assigned").exists()


def test_the_citizen_hears_when_the_complaint_is_closed_as_withdrawn(sop_version, category):
    complaint = file(category, phone="")
    assert complaint_withdraw(complaint_id=complaint.pk, note="Tidak dibalas.")
    [message] = to_citizen(complaint, "withdrawn")
    assert message.subject == f"Pengaduan {complaint.tracking_code} ditutup"
    assert "30 hari" in message.body and "http://localhost:8000/lapor/" in message.body


def test_the_sweeps_reminders_also_go_by_email(time_machine, sop_version, category, budi):
    budi.email = "budi@disdukcapil.test"
    budi.save()
    time_machine.move_to(WEDNESDAY_9, tick=False)
    complaint = file(category)
    sla_sweep(now=at("2026-02-18 09:45"))
    [message] = Delivery.objects.filter(kind="sla", user=budi)
    assert message.body.startswith(f"Pengingat: pengaduan {complaint.agenda_number}")
    sla_sweep(now=at("2026-02-18 09:50"))
    assert Delivery.objects.filter(kind="sla", user=budi).count() == 1


def test_the_complaint_page_shows_each_message_and_its_delivery(client, complaint_of_sari, budi):
    Delivery.objects.filter(complaint=complaint_of_sari).update(
        status="failed", last_error="HTTP 400: nomor tidak terdaftar", attempts=1
    )
    client.force_login(budi)
    page = client.get(reverse("desk:complaint", args=[complaint_of_sari.pk])).content.decode()
    assert "Pesan terkirim" in page and "Pengaduan diterima" in page
    assert "Gagal" in page and "HTTP 400: nomor tidak terdaftar" in page
    assert "+6281234567890" not in page.split("Pesan terkirim")[1]  # the number is masked


def test_the_citizen_is_asked_for_information_with_a_link_to_reply(sop_version, category, budi):
    from aduan.desk.services import info_request

    complaint = file(category, phone="")
    assert info_request(complaint_id=complaint.pk, actor=budi, body="Mohon kirim nomor antrean.")
    [message] = to_citizen(complaint, "info_requested")
    assert "Mohon kirim nomor antrean." in message.body
    assert "http://localhost:8000/lacak/tautan/" in message.body
    assert "30 hari" in message.body


def test_the_answer_reaches_the_citizens_mailbox_with_the_letter_attached(
    sop_version, category, budi, wati, agus, hadi, smtp_server, settings, tmp_path
):
    import email as email_lib

    from aduan.complaints.models import ComplaintStep
    from aduan.desk.services import desk_decide, draft_save
    from aduan.notify.delivery import deliveries_send

    settings.MEDIA_ROOT = tmp_path
    complaint = file(category, phone="")
    assert draft_save(complaint_id=complaint.pk, actor=budi, kind="answer", body="Sudah jadi.")
    for actor in (budi, wati, agus, hadi, budi):
        step = ComplaintStep.objects.get(complaint=complaint, decided_at__isnull=True)
        assert desk_decide(step_id=step.pk, actor=actor, decision="approve")
    complaint.refresh_from_db()
    [message] = to_citizen(complaint, "answered")
    assert complaint.letter.number in message.body
    assert message.letter_id == complaint.letter.pk

    deliveries_send()
    answered = [
        email_lib.message_from_bytes(e.content)
        for e in smtp_server
        if b"sudah dijawab" in e.content
    ]
    [mail] = answered
    [attachment] = [part for part in mail.walk() if part.get_filename()]
    assert (
        attachment.get_filename()
        == f"surat-jawaban-{complaint.agenda_number.replace('/', '-')}.pdf"
    )
    assert attachment.get_payload(decode=True).startswith(b"%PDF-")
