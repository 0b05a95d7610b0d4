"""The agenda book page (/meja/agenda/): the register for a period, filtered, masked."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from aduan.complaints.models import Category, Complaint
from aduan.papers.tests.agenda_setup import (
    NOVEMBER,
    answered,
    at,
    book_url,
    page_text,
    received,
    table_rows,
    withdrawn,
)
from conftest import make_official


@pytest.fixture
def joko(db):
    """Joko may log in but holds no role."""
    return make_official("joko", "Joko")


@pytest.fixture
def akta(db):
    return Category.objects.get_or_create(code="akta", defaults={"name": "Akta kelahiran"})[0]


@pytest.fixture
def november(sop_version, category, akta, hadi):
    """Four complaints of November 2026: open, answered with a letter, withdrawn, by phone."""
    return {
        "open": received(at(3, 8, 15), category, name="Sari Wulandari", subject="KTP-el hilang"),
        "answered": answered(
            received(at(5), akta, name="Bambang", subject="Akta salah nama"),
            at(12, 14, 30),
            signer=hadi,
            number="470/007/PGD/XI/2026",
        ),
        "withdrawn": withdrawn(
            received(at(7), category, name="Rina", subject="KK belum terbit"), at(20)
        ),
        "phone": received(
            at(9), category, name="Tono", subject="Antrean lama", channel=Complaint.Channel.PHONE
        ),
    }


def test_an_official_sees_the_register_of_the_period_with_every_column(client, budi, november):
    client.force_login(budi)
    response = client.get(book_url(**NOVEMBER))
    assert response.status_code == 200
    text = page_text(response)
    assert "Periode 1 November 2026 sampai dengan 30 November 2026" in text
    assert "4 pengaduan" in text
    for header in (
        "Nomor agenda",
        "Diterima (tanggal, jam)",
        "Saluran",
        "Pelapor",
        "Kategori",
        "Perihal",
        "Langkah sekarang / disposisi",
        "Tanggal dijawab",
        "Nomor surat jawaban",
    ):
        assert header in text
    rows = table_rows(response)
    assert len(rows) == 4
    first = november["open"]
    assert rows[0].startswith(f"{first.agenda_number} 03-11-2026 08:15 Situs web Sari Wulandari")
    assert "KTP-el hilang" in rows[0]
    assert rows[1].endswith("Dijawab 12-11-2026 470/007/PGD/XI/2026")
    assert "Akta kelahiran" in rows[1]
    assert rows[2].endswith("Ditarik — —")
    assert "Telepon" in rows[3]


def test_an_open_complaint_shows_its_current_step_from_its_own_sop(client, budi, november):
    client.force_login(budi)
    complaint = november["open"]
    definition = complaint.sop_version.definition
    spec = definition.step(complaint.current_step)
    rows = table_rows(client.get(book_url(**NOVEMBER)))
    assert f"{spec.title} ({definition.role(spec.role).name})" in rows[0]


def test_the_book_shows_the_current_month_unless_another_period_is_chosen(
    client, budi, sop_version, category
):
    today = received(timezone.now(), category, subject="Diterima hari ini")
    received(at(3, month=1), category, subject="Diterima Januari")
    client.force_login(budi)
    text = page_text(client.get(book_url()))
    assert today.agenda_number in text
    assert "Diterima Januari" not in text


def test_the_period_is_counted_in_the_office_time_zone(client, budi, sop_version, category):
    last_evening = received(at(30, 23, 30), category, subject="Malam terakhir November")
    received(at(1, 0, 30, month=12), category, subject="Dini hari Desember")
    received(at(1, 0, 0), category, subject="Tengah malam awal November")
    client.force_login(budi)
    text = page_text(client.get(book_url(**NOVEMBER)))
    assert "Malam terakhir November" in text
    assert f"{last_evening.agenda_number} 30-11-2026 23:30" in text
    assert "Tengah malam awal November" in text
    assert "Dini hari Desember" not in text


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({"saluran": "phone"}, ["Antrean lama"]),
        ({"kategori": "akta"}, ["Akta salah nama"]),
        ({"status": "withdrawn"}, ["KK belum terbit"]),
        ({"status": "open"}, ["KTP-el hilang", "Antrean lama"]),
        ({"status": "open", "saluran": "web", "kategori": "ktp-el"}, ["KTP-el hilang"]),
    ],
)
def test_filters_narrow_the_rows(client, budi, november, query, expected):
    client.force_login(budi)
    rows = table_rows(client.get(book_url(**NOVEMBER, **query)))
    assert len(rows) == len(expected)
    for row, subject in zip(rows, expected, strict=True):
        assert subject in row


def test_anonymous_and_confidential_complainants_are_masked(client, budi, sop_version, category):
    received(at(2), category, name="", is_anonymous=True, subject="Tanpa nama")
    received(at(3), category, name="Dewi Lestari", is_confidential=True, subject="Rahasia")
    received(at(4), category, name="Sari Wulandari", subject="Terbuka")
    client.force_login(budi)
    response = client.get(book_url(**NOVEMBER))
    text = page_text(response)
    assert "Dewi Lestari" not in text
    rows = table_rows(response)
    assert "Anonim" in rows[0]
    assert "Rahasia" in rows[1]
    assert "Sari Wulandari" in rows[2]


def test_html_typed_in_a_subject_is_shown_as_text(client, budi, sop_version, category):
    received(at(2), category, subject="<script>alert('x')</script> <b>tebal</b>")
    client.force_login(budi)
    response = client.get(book_url(**NOVEMBER))
    assert b"<script>alert" not in response.content
    assert b"&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;" in response.content
    assert "<script>alert('x')</script> <b>tebal</b>" in page_text(response)


@pytest.mark.parametrize(
    ("query", "field", "message"),
    [
        ({"dari": "31-31-2026"}, "dari", "Tanggal tidak dikenali"),
        ({"dari": "2026-11-30", "sampai": "2026-11-01"}, "sampai", "tidak boleh sebelum"),
        ({"dari": "2025-01-01", "sampai": "2026-11-30"}, "sampai", "paling panjang 366 hari"),
        ({"saluran": "merpati"}, "saluran", "Pilih saluran dari daftar"),
        ({"kategori": "tidak-ada"}, "kategori", "Pilih kategori dari daftar"),
        ({"status": "hilang"}, "status", "Pilih status dari daftar"),
    ],
)
def test_bad_filters_are_explained_beside_the_field_with_what_was_typed(
    client, budi, category, query, field, message
):
    client.force_login(budi)
    response = client.get(book_url(**query))
    assert response.status_code == 200
    markup = response.content.decode()
    assert f'id="id_{field}_error"' in markup
    error = markup.split(f'id="id_{field}_error">', 1)[1].split("</p>", 1)[0]
    assert message in error
    assert "Ada yang perlu diperbaiki" in page_text(response)
    if field == "dari":
        assert 'value="31-31-2026"' in markup  # kept as typed
    assert "<tbody>" not in markup


def test_bad_filters_on_a_download_give_the_page_not_a_file(client, budi, category):
    client.force_login(budi)
    response = client.get(book_url(dari="kemarin", format="xlsx"))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/html")
    assert "Tanggal tidak dikenali" in page_text(response)


def test_a_visitor_is_sent_to_log_in_and_someone_without_a_role_is_refused(client, joko):
    response = client.get(book_url())
    assert response.status_code == 302
    assert response["Location"].startswith("/meja/masuk/")
    client.force_login(joko)
    for query in ({}, {"format": "csv"}, {"format": "xlsx"}, {"format": "pdf"}):
        response = client.get(book_url(**query))
        assert response.status_code == 403
        assert "belum memiliki peran" in page_text(response)


def test_the_desk_menu_leads_to_the_agenda_book(client, wati, sop_version):
    client.force_login(wati)
    text = page_text(client.get("/meja/"))
    assert "Buku agenda" in text
    response = client.get(book_url())
    assert 'aria-current="page">Buku agenda' in response.content.decode()


def test_a_long_period_is_shown_a_hundred_lines_a_page(client, budi, sop_version, category):
    complaints = [received(at(1 + n % 28, 8 + n % 8), category) for n in range(101)]
    client.force_login(budi)
    first = client.get(book_url(**NOVEMBER))
    assert len(table_rows(first)) == 100
    assert "101 pengaduan · baris 1–100" in page_text(first)
    assert "Halaman 1 dari 2" in page_text(first)
    second = client.get(book_url(**NOVEMBER, page=2))
    assert len(table_rows(second)) == 1
    last = max(complaints, key=lambda c: (c.received_at, c.agenda_seq))
    assert last.agenda_number in table_rows(second)[0]


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_the_page_reads_in_the_same_few_queries_for_3_or_30_complaints(
    client, budi, sop_version, category, hadi
):
    client.force_login(budi)
    for n in range(3):
        received(at(2 + n), category, name=f"Warga {n}")
    few = _queries(client, book_url(**NOVEMBER))
    for n in range(27):
        complaint = received(at(2 + n % 25, 10), category, is_confidential=n % 2 == 0)
        if n % 3 == 0:
            answered(complaint, at(28), signer=hadi, number=f"470/{n:03d}/PGD/XI/2026")
    many = _queries(client, book_url(**NOVEMBER))
    assert few == many
    assert many <= 12
