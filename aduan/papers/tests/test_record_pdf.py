"""The complete record (lembar pengaduan) of one complaint, as the PDF an official prints."""

import datetime as dt

import pytest
from django.urls import reverse

from aduan.accounts.models import RoleGrant
from aduan.accounts.selectors import office_today
from aduan.audit.models import AuditEvent
from aduan.complaints.models import Complaint
from aduan.complaints.services import complaint_register
from aduan.papers.records import record_filename, record_pdf
from aduan.papers.tests.record_setup import (
    carry_to_answer,
    decide,
    draft,
    flat,
    pdf_text,
    sari_with_attachments,
)
from conftest import make_official

SARI_NIK = "3576014101900012"
SARI_PHONE = "+6281234567890"
SARI_EMAIL = "sari.wulandari@contoh.id"


@pytest.fixture
def joko(db):
    """Joko may log in but holds no role."""
    return make_official("joko", "Joko")


def pdf_url(complaint) -> str:
    return reverse("records:complaint_pdf", args=[complaint.pk])


@pytest.fixture
def answered(sop_version, category, budi, wati, agus, hadi):
    """Sari's complaint, with her NIK, phone and e-mail, answered after one return."""
    complaint = complaint_register(
        category=category,
        subject="KTP-el belum jadi",
        description="Sudah tiga minggu KTP-el saya belum jadi.\nMohon dibantu.",
        name="Sari Wulandari",
        phone=SARI_PHONE,
        email=SARI_EMAIL,
        nik=SARI_NIK,
    )
    carry_to_answer(complaint, budi=budi, wati=wati, agus=agus, hadi=hadi)
    complaint.refresh_from_db()
    return complaint


def test_the_record_holds_the_complaint_its_steps_drafts_messages_and_answer(answered, budi):
    text = flat(pdf_text(record_pdf(answered, printed_by=budi)))
    assert "LEMBAR PENGADUAN" in text
    assert "PEMERINTAH KOTA MOJOKERTO" in text
    assert answered.agenda_number in text
    assert answered.tracking_code in text
    assert "KTP-el belum jadi" in text
    assert "Sudah tiga minggu KTP-el saya belum jadi. Mohon dibantu." in text
    assert "Situs web" in text and "KTP-el" in text and "Terbuka" in text
    assert "SOP/PIPD/PIAK/11" in text
    # Every step: who decided, the decision and the note.
    for name in ("Budi", "Wati", "Agus", "Hadi"):
        assert name in text
    assert "Catatan Kasi 0: sebutkan jadwal pengambilan." in text
    assert "Setuju diteruskan." in text and "Disetujui." in text
    assert "Kepala Seksi" in text and "Kepala Dinas" in text
    # Every draft version and the messages with the citizen.
    assert "Versi 1" in text and "Versi 2" in text
    assert "Konsep putaran 0: berkas sedang diproses." in text
    assert "Mohon kirim nomor registrasi berkas." in text
    assert "Nomor registrasi 1234/KTP/2026." in text
    # The answer as sent, and who printed the record.
    assert "Jawaban akhir: KTP-el dapat diambil di loket 2 mulai Senin." in text
    assert "Dicetak oleh Budi" in text


def test_the_record_masks_the_nik_phone_and_email(answered, budi):
    text = pdf_text(record_pdf(answered, printed_by=budi))
    assert "Sari Wulandari" in text  # a public, named complaint shows the name
    assert SARI_NIK not in text
    assert SARI_PHONE not in text and "81234567890" not in text
    assert SARI_EMAIL not in text
    assert "s***@contoh.id" in text


@pytest.mark.parametrize(
    "anonymous, confidential, label", [(True, False, "Anonim"), (False, True, "Rahasia")]
)
def test_the_record_does_not_name_an_anonymous_or_confidential_complainant(
    sop_version, category, budi, anonymous, confidential, label
):
    complaint = complaint_register(
        category=category,
        subject="Petugas loket tidak ramah",
        description="Petugas membentak ibu saya.",
        name="" if anonymous else "Sari Wulandari",
        is_anonymous=anonymous,
        is_confidential=confidential,
        phone=SARI_PHONE,
    )
    text = pdf_text(record_pdf(complaint, printed_by=budi))
    assert "Sari Wulandari" not in text
    assert label in text
    if confidential:
        assert "Rahasia" in text


def test_html_and_script_typed_by_a_citizen_print_as_text(sop_version, category, budi):
    complaint = complaint_register(
        category=category,
        subject="<b>Tolong</b> segera",
        description="<script>alert(1)</script>\nbaris kedua & <i>miring</i>",
        name="Sari <img src=x onerror=alert(2)>",
        phone=SARI_PHONE,
    )
    draft(complaint, budi, "<script>alert(3)</script> jawaban")
    text = pdf_text(record_pdf(complaint, printed_by=budi))
    assert "<script>alert(1)</script>" in text
    assert "<b>Tolong</b> segera" in text
    assert "baris kedua & <i>miring</i>" in text
    assert "<img src=x onerror=alert(2)>" in text
    assert "<script>alert(3)</script> jawaban" in text


def test_the_record_lists_attachments_with_their_hash_but_not_their_content(
    settings, tmp_path, sop_version, category, budi
):
    settings.MEDIA_ROOT = tmp_path / "media"
    complaint = sari_with_attachments(category)
    text = flat(pdf_text(record_pdf(complaint, printed_by=budi)))
    assert "tanda terima.png" in text and "surat.pdf" in text
    assert "image/png" in text and "application/pdf" in text
    for attachment in complaint.attachments.all():
        assert attachment.sha256[:16] in text.replace(" ", "")


def test_an_acting_officials_decision_prints_plt(sop_version, category, budi, wati, agus):
    """Agus, acting head of office (Plt.), approves: the record says so."""
    today = office_today()
    RoleGrant.objects.create(
        user=agus,
        role="kadis",
        kind=RoleGrant.Kind.PLT,
        starts_on=today - dt.timedelta(days=1),
        ends_on=today + dt.timedelta(days=30),
    )
    kabid2 = make_official("rina", "Rina", "kabid")
    complaint = complaint_register(
        category=category, subject="Akta", description="Akta belum terbit.", phone=SARI_PHONE
    )
    draft(complaint, budi, "Jawaban.")
    decide(complaint, budi)
    decide(complaint, wati)
    decide(complaint, kabid2)
    decide(complaint, agus, note="Disetujui Plt.")
    text = flat(pdf_text(record_pdf(complaint, printed_by=budi)))
    assert "Plt. Kepala Dinas" in text


def test_the_record_is_printed_in_indonesian_whatever_the_interface_language(
    client, answered, budi
):
    client.force_login(budi)
    response = client.get(pdf_url(answered), headers={"accept-language": "en"})
    text = flat(pdf_text(b"".join(response.streaming_content)))
    assert "Riwayat langkah" in text and "Diterima" in text
    assert "Website" not in text


def test_an_official_downloads_the_record_and_the_printing_is_audited(client, answered, wati):
    client.force_login(wati)
    response = client.get(pdf_url(answered))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert record_filename(answered) in response["Content-Disposition"]
    content = b"".join(response.streaming_content)
    assert "Dicetak oleh Wati" in flat(pdf_text(content))
    event = AuditEvent.objects.get(action="record.printed")
    assert event.actor_id == wati.pk and event.complaint_id == answered.pk


def test_someone_without_a_role_is_refused_and_a_visitor_is_sent_to_log_in(
    client, complaint_of_sari, joko
):
    assert client.get(pdf_url(complaint_of_sari)).status_code == 302
    client.force_login(joko)
    response = client.get(pdf_url(complaint_of_sari))
    assert response.status_code == 403
    assert not AuditEvent.objects.filter(action="record.printed").exists()


def test_an_unknown_complaint_is_404(client, budi, sop_version):
    client.force_login(budi)
    assert client.get(reverse("records:complaint_pdf", args=[999999])).status_code == 404


@pytest.mark.parametrize("returns", [2, 10])
def test_the_record_reads_in_a_fixed_number_of_queries(
    sop_version, category, budi, wati, agus, hadi, django_assert_max_num_queries, returns
):
    complaint = complaint_register(
        category=category, subject="KTP-el", description="Belum jadi.", phone=SARI_PHONE
    )
    carry_to_answer(complaint, budi=budi, wati=wati, agus=agus, hadi=hadi, returns=returns)
    complaint = Complaint.objects.get(pk=complaint.pk)
    # complaint, steps, drafts, messages, attachments, the working calendar (2), the letter,
    # the letterhead
    with django_assert_max_num_queries(9):
        content = record_pdf(complaint, printed_by=budi)
    assert f"Catatan Kasi {returns - 1}" in pdf_text(content)
