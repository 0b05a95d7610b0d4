"""The public page the letter's QR code opens: it confirms the number, date, subject and
hashes without personal data, and tells whether an uploaded copy is the letter issued."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from aduan.complaints.services import complaint_register
from aduan.desk.tests.conftest import page_text
from aduan.papers import letter_views
from aduan.papers.letters import letter_pdf_bytes, letter_render
from aduan.papers.models import AnswerLetter
from aduan.papers.tests.letter_helpers import carry_to_answer, name_officials

pytestmark = pytest.mark.django_db

MONTHS = (
    "Januari Februari Maret April Mei Juni Juli Agustus September Oktober November Desember"
).split()


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def letter(sop_version, category, budi, wati, agus, hadi, media):
    """Sari's answered complaint (with her NIK and phone), its letter printed."""
    name_officials(budi, wati, agus, hadi)
    complaint = complaint_register(
        category=category,
        subject="KTP-el belum jadi",
        description="Sudah tiga minggu KTP-el saya belum jadi.",
        name="Sari Wulandari",
        phone="+6281234567890",
        nik="3576014101900012",
    )
    issued = carry_to_answer(complaint, staff=budi, kasi=wati, kabid=agus, kadis=hadi)
    return letter_render(letter_id=issued.pk)


def verify_url(letter) -> str:
    return reverse("letters:verify", args=[letter.verify_token])


def upload(content: bytes, name: str = "surat.pdf", content_type: str = "application/pdf"):
    return SimpleUploadedFile(name, content, content_type=content_type)


def test_the_page_confirms_number_date_subject_and_hashes(client, letter):
    text = page_text(client.get(verify_url(letter)))
    day = letter.dated
    assert letter.number in text
    assert f"{day.day} {MONTHS[day.month - 1]} {day.year}" in text
    assert "Jawaban atas pengaduan" in text
    assert letter.content_sha256 in text
    assert letter.pdf_sha256 in text
    assert "DINAS KEPENDUDUKAN DAN PENCATATAN SIPIL" in text
    assert "Tanda tangan elektronik Tidak" in text


def test_the_page_shows_no_personal_data_and_not_the_answer(client, letter):
    complaint = letter.complaint
    text = page_text(client.get(verify_url(letter)))
    for secret in ("Sari", "Wulandari", "81234567890", "3576014101900012", "loket 2"):
        assert secret not in text
    assert complaint.tracking_code not in text
    assert complaint.subject not in text


def test_the_real_pdf_is_accepted(client, letter):
    copy = upload(letter_pdf_bytes(letter=letter))
    text = page_text(client.post(verify_url(letter), {"copy": copy}))
    assert "Cocok Berkas yang Anda unggah sama persis dengan surat yang diterbitkan" in text


def test_a_copy_with_one_byte_changed_does_not_match(client, letter):
    content = bytearray(letter_pdf_bytes(letter=letter))
    content[len(content) // 2] ^= 0x01
    text = page_text(client.post(verify_url(letter), {"copy": upload(bytes(content))}))
    assert "Tidak cocok" in text
    assert "sama persis" not in text


def test_a_file_that_is_not_a_pdf_is_refused_beside_the_field(client, letter):
    response = client.post(
        verify_url(letter), {"copy": upload(b"GIF89a....", "surat.pdf", "image/gif")}
    )
    assert response.status_code == 200
    assert 'id="id_copy_error"' in response.content.decode()
    assert "Berkas ini bukan PDF" in page_text(response)
    assert "Cocok" not in page_text(response)


def test_no_file_and_a_too_large_file_are_refused_with_a_message(client, letter, monkeypatch):
    assert "Pilih berkas PDF surat yang ingin diperiksa" in page_text(
        client.post(verify_url(letter), {})
    )
    monkeypatch.setattr(letter_views, "MAX_COPY", 100)
    response = client.post(verify_url(letter), {"copy": upload(b"%PDF-1.7\n" + b"x" * 200)})
    assert "Berkas terlalu besar" in page_text(response)


def test_a_malformed_pdf_is_told_it_does_not_match(client, letter):
    response = client.post(verify_url(letter), {"copy": upload(b"%PDF-1.7\n\x00\xff broken")})
    assert response.status_code == 200
    assert "Tidak cocok" in page_text(response)


def test_an_unknown_address_is_a_plain_404(client, letter):
    assert client.get(reverse("letters:verify", args=["x" * 22])).status_code == 404
    assert client.get(reverse("letters:verify", args=["<script>"])).status_code == 404
    response = client.post(reverse("letters:verify", args=["y" * 22]), {"copy": upload(b"%PDF")})
    assert response.status_code == 404


def test_the_page_runs_a_bounded_number_of_queries_however_many_letters(
    client, letter, category, django_assert_max_num_queries
):
    def visit():
        with django_assert_max_num_queries(3):
            client.get(verify_url(letter))
        with django_assert_max_num_queries(3):
            client.post(verify_url(letter), {"copy": upload(letter_pdf_bytes(letter=letter))})

    visit()
    others = [
        complaint_register(category=category, subject=f"Aduan {i}", description="-", name="X")
        for i in range(25)
    ]
    AnswerLetter.objects.bulk_create(
        AnswerLetter(
            complaint=complaint,
            number=f"470/{i + 100}/PGD",
            year=letter.year,
            seq=i + 100,
            dated=letter.dated,
            issued_at=letter.issued_at,
            addressee="X",
            subject=letter.subject,
            kind="answer",
            body="-",
            signer=letter.signer,
            signer_name="Hadi",
            signer_title="Kepala Dinas",
            verify_token=f"token{i:02d}-abcdefghijklmnop",
            content_sha256="0" * 64,
        )
        for i, complaint in enumerate(others)
    )
    visit()
