"""Sari fills the complaint form: each mistake is told beside its field and at the top."""

import html
import re

import pytest

from aduan.public.tests.conftest import errors_beside, summary_links
from aduan.public.views import session_draft


def test_the_form_asks_in_bahasa_indonesia_and_works_without_javascript(client, sop_version):
    page = client.get("/lapor/").content.decode()
    assert "<h1>Buat pengaduan</h1>" in page
    for label in (
        "Jenis layanan yang diadukan",
        "Perihal",
        "Uraian pengaduan",
        "Lampiran (opsional)",
        "Nama lengkap",
        "Nomor telepon / WhatsApp",
    ):
        assert label in page
    assert 'enctype="multipart/form-data"' in page
    assert "csrfmiddlewaretoken" in page
    assert "<script" not in page


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"name": ""}, "id_name", "Tuliskan nama Anda, atau pilih kirim sebagai anonim."),
        (
            {"phone": "", "email": ""},
            "id_phone",
            "Isi nomor telepon atau alamat surel agar kami dapat mengirim jawaban.",
        ),
        (
            {"phone": "812-3456"},
            "id_phone",
            "Nomor telepon diawali 0, 62 atau +62, misalnya 0812 3456 7890.",
        ),
        ({"phone": "0812 34"}, "id_phone", "Nomor telepon terlalu pendek atau terlalu panjang."),
        ({"email": "sari@"}, "id_email", "Tulis alamat surel yang benar, misalnya nama@contoh.id."),
        (
            {"nik": "357601450690000"},
            "id_nik",
            "NIK terdiri dari 16 angka; yang Anda tulis 15 angka.",
        ),
        ({"nik": "35760145069O0002"}, "id_nik", "NIK hanya berisi angka."),
        (
            {"nik": "3576014513900002"},
            "id_nik",
            "Bagian tanggal lahir pada NIK tidak benar: bulan harus 01–12.",
        ),
        (
            {"nik": "0000004506900002"},
            "id_nik",
            "Enam angka pertama NIK (kode wilayah) tidak boleh 000000.",
        ),
        (
            {"nik": "3576014506900000"},
            "id_nik",
            "Empat angka terakhir NIK (nomor urut) tidak boleh 0000.",
        ),
        ({"category": ""}, "id_category", "Pilih jenis layanan yang diadukan."),
        ({"category": "99999"}, "id_category", "Pilih jenis layanan dari daftar."),
        ({"subject": "   "}, "id_subject", "Tuliskan perihal pengaduan."),
        ({"description": ""}, "id_description", "Tuliskan uraian pengaduan Anda."),
        ({"subject": "x" * 201}, "id_subject", "Perihal paling banyak 200 karakter."),
    ],
)
def test_each_mistake_is_shown_beside_its_field_and_linked_from_the_summary(
    sari, changes, field, message
):
    response = sari.fill(**changes)
    page = response.content.decode()
    assert response.status_code == 200
    assert errors_beside(page, field) == message
    assert (field, message) in summary_links(page)
    assert "<title>Kesalahan:" in page
    assert "lapor" not in sari.client.session  # nothing goes on to the check page


def test_the_error_summary_lists_the_mistakes_in_the_order_the_page_asks(sari):
    page = sari.fill(category="", name="", phone="", email="").content.decode()
    assert [href for href, _text in summary_links(page)] == ["id_category", "id_name", "id_phone"]


def test_everything_typed_comes_back_with_the_errors(sari, category):
    page = sari.fill(subject="", is_confidential="on").content.decode()
    assert 'value="Sari Wulandari"' in page
    assert 'value="0812 3456 7890"' in page  # as typed, not yet normalised
    assert 'value="sari@contoh.id"' in page
    assert 'value="3576014506900002"' in page
    assert "Sudah tiga minggu sejak perekaman, KTP-el saya belum jadi.</textarea>" in page
    assert f'<option value="{category.pk}" selected>' in page
    assert re.search(r'<input type="checkbox" name="is_confidential"[^>]* checked>', page)


def test_a_10000_character_description_is_refused_beside_the_field_and_kept(sari):
    long_text = "Antre sejak pagi. " * 555 + "x" * 10  # 10,000 characters
    assert len(long_text) == 10_000
    page = sari.fill(description=long_text).content.decode()
    assert errors_beside(page, "id_description") == (
        "Uraian paling banyak 5.000 karakter; yang Anda tulis 10000 karakter."
    )
    assert html.escape(long_text) + "</textarea>" in page
    # The browser is not told to cut the text: the server says what is too long.
    assert 'maxlength="5000"' not in page


def test_an_anonymous_complaint_needs_no_name_and_never_keeps_one(sari):
    response = sari.fill(name="Sari Wulandari", is_anonymous="on")
    assert response.status_code == 302
    assert "name" not in session_draft(sari.client.session)["data"]
    page = sari.check_page().content.decode()
    assert "Anonim (nama tidak dikirim)" in page
    assert "Sari Wulandari" not in page


def test_a_phone_number_is_shown_to_check_in_its_plus_62_form(sari):
    sari.fill(phone="0812-3456-7890")
    assert "+6281234567890" in sari.check_page().content.decode()


def test_an_email_alone_is_enough_to_be_answered(sari):
    assert sari.fill(phone="").status_code == 302


def test_changing_an_answer_opens_the_form_filled_in(sari):
    sari.fill()
    check = sari.check_page().content.decode()
    assert 'href="/lapor/#id_subject"' in check
    form = sari.client.get("/lapor/").content.decode()
    assert 'value="KTP-el belum jadi"' in form
    assert "error-summary" not in form
