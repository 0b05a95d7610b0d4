"""The compliance report page (laporan mutu baku): who sees what, the numbers officials
read for a period, the CSV file, bad dates, and a bounded number of queries.

Sari's complaint goes through the SOP on Monday 2 February 2026 with a return from kasi
Wati and one from kabid Agus (220 working minutes end to end); a second one goes straight
through on Tuesday 3 February across the lunch break (130), approved by Rina as Plh.
Kepala Dinas while kadis Hadi is away. Early February 2026 has no holiday, so the working
minutes are those of the office hours alone (07:30–16:00, break 12:00–13:00).
"""

import csv
import datetime as dt
import io
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from aduan.accounts.models import RoleGrant
from aduan.accounts.selectors import can_see_official_performance
from aduan.complaints.services import complaint_register
from aduan.desk.services import desk_decide, draft_save
from aduan.lib.sheets import csv_cell
from conftest import make_official

from .conftest import as_, open_step, page_text

URL = reverse("desk:report_compliance")
FEBRUARY = {"dari": "2026-02-01", "sampai": "2026-02-28"}
STEP_HEADERS = [
    "No.",
    "Kegiatan",
    "Pelaksana",
    "Waktu baku (menit kerja)",
    "Jumlah diputus",
    "Median (menit kerja)",
    "Persentil ke-90 (menit kerja)",
    "Dalam waktu baku (%)",
    "Pengembalian",
    "Waktu hilang karena pengembalian (menit kerja)",
]
DRAFT = "Memverifikasi permasalahan dan membuat konsep jawaban pengaduan online"
VERIFY = "Memverifikasi konsep jawaban pengaduan"
APPROVE = "Menyetujui konsep jawaban pengaduan"
ANSWER = "Menjawab pengaduan masyarakat"


@pytest.fixture
def rina(db):
    """Plh. Kepala Dinas on Tuesday 3 February 2026 only."""
    rina = make_official("rina", "Rina")
    RoleGrant.objects.create(
        user=rina,
        role="kadis",
        kind="plh",
        starts_on=dt.date(2026, 2, 3),
        ends_on=dt.date(2026, 2, 3),
        note="Sprint 800/12/417.302/2026",
    )
    return rina


@pytest.fixture
def dewi(db):
    return make_official("dewi", "Dewi", "auditor")


class Desk:
    """Moves complaints through the SOP at chosen moments on the office's clock."""

    def __init__(self, time_machine, category):
        self.time_machine, self.category = time_machine, category

    def at(self, moment: str) -> None:
        self.time_machine.move_to(f"{moment} +0700", tick=False)

    def file(self, moment: str, subject: str = "KTP-el belum jadi"):
        self.at(moment)
        return complaint_register(
            category=self.category, subject=subject, description="Uraian.", name="Sari Wulandari"
        )

    def draft(self, moment: str, complaint, actor, body: str = "Konsep jawaban.") -> None:
        self.at(moment)
        assert draft_save(complaint_id=complaint.pk, actor=actor, kind="answer", body=body).ok

    def approve(self, moment: str, complaint, actor) -> None:
        self.at(moment)
        step = open_step(complaint)
        assert desk_decide(step_id=step.pk, actor=actor, decision="approve").ok

    def send_back(self, moment: str, complaint, actor, note: str = "Perbaiki.") -> None:
        self.at(moment)
        step = open_step(complaint)
        assert desk_decide(step_id=step.pk, actor=actor, decision="return", note=note).ok

    def straight_through(self, day: str, times, staff, kasi, kabid, kadis, subject="Akta"):
        received, *decided = times
        complaint = self.file(f"{day} {received}", subject)
        self.draft(f"{day} {received}", complaint, staff)
        for moment, official in zip(decided, (staff, kasi, kabid, kadis, staff), strict=True):
            self.approve(f"{day} {moment}", complaint, official)
        return complaint


@pytest.fixture
def desk(time_machine, sop_version, category):
    return Desk(time_machine, category)


@pytest.fixture
def february(desk, budi, wati, agus, hadi, rina):
    """The two complaints of early February, then the clock on 10 February 2026."""
    sari = desk.file("2026-02-02 08:00")
    desk.draft("2026-02-02 09:00", sari, budi)
    desk.approve("2026-02-02 09:30", sari, budi)  # 90
    desk.send_back("2026-02-02 09:50", sari, wati)  # 20, returned to Budi
    desk.draft("2026-02-02 10:15", sari, budi, "Konsep jawaban, diperbaiki.")
    desk.approve("2026-02-02 10:20", sari, budi)  # 30, done again
    desk.approve("2026-02-02 10:30", sari, wati)  # 10
    desk.send_back("2026-02-02 11:00", sari, agus)  # 30, returned to Wati
    desk.approve("2026-02-02 11:10", sari, wati)  # 10, done again
    desk.approve("2026-02-02 11:20", sari, agus)  # 10
    desk.approve("2026-02-02 11:30", sari, hadi)  # 10
    desk.approve("2026-02-02 11:40", sari, budi)  # 10: answered, 220 minutes
    # Across the lunch break: the draft takes 11:30–13:30, 60 working minutes.
    desk.straight_through(
        "2026-02-03", ("11:30", "13:30", "13:50", "14:20", "14:30", "14:40"), budi, wati, agus, rina
    )
    desk.at("2026-02-10 09:00")
    return sari


def tables(response) -> list[list[list[str]]]:
    """Every table of the page as rows of cell texts."""
    markup = response.content.decode()
    found = []
    for table in re.findall(r"<table.*?</table>", markup, re.S):
        rows = []
        for row in re.findall(r"<tr>(.*?)</tr>", table, re.S):
            cells = re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row, re.S)
            rows.append([re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", c)).strip() for c in cells])
        found.append(rows)
    return found


def csv_rows(response) -> list[list[str]]:
    content = response.content.decode("utf-8")
    assert content.startswith("\ufeff")
    return list(csv.reader(io.StringIO(content[1:])))


def field_errors(response, name: str) -> str:
    markup = response.content.decode()
    match = re.search(rf'<div class="field has-error" id="field-{name}">(.*?)</div>', markup, re.S)
    return page_text_of(match.group(1)) if match else ""


def page_text_of(markup: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", markup)).strip()


# Who may open it -----------------------------------------------------------------------


def test_anonymous_visitors_are_sent_to_the_login_page(client, db):
    response = client.get(URL)
    assert response.status_code == 302
    assert response.url.startswith(reverse("desk:login"))


def test_someone_without_a_role_is_refused(client, db):
    joko = make_official("joko", "Joko")
    assert as_(client, joko).get(URL).status_code == 403


def test_the_desk_menu_links_to_the_report(client, sop_version, budi):
    page = as_(client, budi).get(reverse("desk:inbox"))
    assert f'href="{URL}"' in page.content.decode()
    assert "Laporan mutu baku" in page_text(page)


@pytest.mark.parametrize(
    ("roles", "superuser", "allowed"),
    [
        (("staff",), False, False),
        (("kasi",), False, True),
        (("kabid",), False, True),
        (("kadis",), False, True),
        (("auditor",), False, True),
        ((), True, True),
    ],
)
def test_who_may_see_the_report_per_official(db, roles, superuser, allowed):
    official = make_official("pejabat", "Pejabat", *roles)
    official.is_superuser = superuser
    assert can_see_official_performance(user=official) is allowed


def test_staff_see_the_step_table_but_not_the_officials(client, february, budi):
    page = as_(client, budi).get(URL, {**FEBRUARY, "per": "pejabat"})
    assert page.status_code == 200
    text = page_text(page)
    assert "Rincian per pejabat hanya dapat dibuka oleh Kepala Seksi" in text
    assert len(tables(page)) == 1
    assert "Wati" not in text and "Plh. Kepala Dinas" not in text
    assert "Tampilkan rincian per pejabat" not in text
    assert 'href="?dari=2026-02-01&amp;sampai=2026-02-28&amp;format=csv"' in page.content.decode()
    response = client.get(URL, {**FEBRUARY, "per": "pejabat", "format": "csv"})
    assert response.status_code == 403


def test_the_kasi_sees_each_official_with_acting_officials_marked(client, february, wati):
    page = as_(client, wati).get(URL, {**FEBRUARY, "per": "pejabat"})
    assert page.status_code == 200
    steps, officials = tables(page)
    assert officials[0][:3] == ["Pejabat", "Sebagai", "No."]
    rows = {(row[0], row[1], row[2]): row[4:] for row in officials[1:]}
    # standard, decided, median, p90, within %, returns, lost
    assert rows[("Wati", "Kepala Seksi", "2")] == ["20", "4", "10", "20", "100,0", "1", "50"]
    assert rows[("Agus", "Kepala Bidang", "3")] == ["20", "3", "30", "30", "33,3", "1", "40"]
    assert rows[("Budi", "Staf", "1")] == ["60", "3", "60", "90", "66,7", "0", "0"]
    assert rows[("Budi", "Staf", "5")] == ["20", "2", "10", "10", "100,0", "0", "0"]
    assert rows[("Hadi", "Kepala Dinas", "4")] == ["20", "1", "10", "10", "100,0", "0", "0"]
    assert rows[("Rina", "Plh. Kepala Dinas", "4")] == ["20", "1", "10", "10", "100,0", "0", "0"]


def test_auditors_and_admins_see_the_officials_too(client, february, dewi, django_user_model):
    assert len(tables(as_(client, dewi).get(URL, {**FEBRUARY, "per": "pejabat"}))) == 2
    admin = django_user_model.objects.create_superuser("root", "root@example.test", "x-long-pw")
    assert len(tables(as_(client, admin).get(URL, {**FEBRUARY, "per": "pejabat"}))) == 2


# What the report says ------------------------------------------------------------------


def test_the_step_table_measures_february_against_the_sop(client, february, budi):
    page = as_(client, budi).get(URL, FEBRUARY)
    assert page.status_code == 200
    [steps] = tables(page)
    assert steps[0] == STEP_HEADERS
    assert steps[1:] == [
        ["1", DRAFT, "Staf", "60", "3", "60", "90", "66,7", "0", "0"],
        ["2", VERIFY, "Kepala Seksi", "20", "4", "10", "20", "100,0", "1", "50"],
        ["3", VERIFY, "Kepala Bidang", "20", "3", "30", "30", "33,3", "1", "40"],
        ["4", APPROVE, "Kepala Dinas", "20", "2", "10", "10", "100,0", "0", "0"],
        ["5", ANSWER, "Staf", "20", "2", "10", "10", "100,0", "0", "0"],
        ["Semua langkah", "—", "14", "—", "—", "78,6", "2", "90"],
        [
            "Ujung ke ujung: dari pengaduan diterima sampai jawaban dikirim",
            "140",
            "2",
            "130",
            "220",
            "50,0",
            "—",
            "—",
        ],
    ]
    text = page_text(page)
    assert "Disdukcapil" in text or "Dinas Kependudukan dan Pencatatan Sipil" in text
    assert "Periode 1 Februari 2026 sampai dengan 28 Februari 2026" in text
    assert "Setiap langkah dihitung pada tanggal ia diputus" in text
    assert "Pengaduan pada SOP SOP/PIPD/PIAK/11, semua versinya" in text
    assert "Waktu hilang karena pengembalian: menit kerja langkah yang dikembalikan" in text
    assert "peringkat terdekat" in text


def test_the_period_defaults_to_the_current_month_with_quick_links(client, february, budi):
    page = as_(client, budi).get(URL)
    text = page_text(page)
    assert "Periode 1 Februari 2026 sampai dengan 28 Februari 2026" in text
    markup = page.content.decode()
    assert 'href="?dari=2026-01-01&amp;sampai=2026-01-31"' in markup  # last month
    assert 'href="?dari=2026-01-01&amp;sampai=2026-12-31"' in markup  # this year
    assert '<strong aria-current="true">Bulan ini</strong>' in markup
    assert tables(page)[0][1][4] == "3"


def test_a_period_before_the_complaints_counts_nothing(client, february, budi):
    page = as_(client, budi).get(URL, {"dari": "2026-01-01", "sampai": "2026-01-31"})
    [steps] = tables(page)
    assert steps[1][4:] == ["0", "—", "—", "—", "0", "0"]
    assert steps[-1][2:5] == ["0", "—", "—"]


# The CSV file --------------------------------------------------------------------------


def test_the_csv_file_has_the_same_columns_and_numbers(client, february, budi):
    response = as_(client, budi).get(URL, {**FEBRUARY, "format": "csv"})
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert (
        response["Content-Disposition"]
        == 'attachment; filename="mutu-baku_2026-02-01_2026-02-28.csv"'
    )
    assert csv_rows(response) == [
        STEP_HEADERS,
        ["1", DRAFT, "Staf", "60", "3", "60", "90", "66.7", "0", "0"],
        ["2", VERIFY, "Kepala Seksi", "20", "4", "10", "20", "100.0", "1", "50"],
        ["3", VERIFY, "Kepala Bidang", "20", "3", "30", "30", "33.3", "1", "40"],
        ["4", APPROVE, "Kepala Dinas", "20", "2", "10", "10", "100.0", "0", "0"],
        ["5", ANSWER, "Staf", "20", "2", "10", "10", "100.0", "0", "0"],
        ["", "Semua langkah", "", "", "14", "", "", "78.6", "2", "90"],
        [
            "",
            "Ujung ke ujung: dari pengaduan diterima sampai jawaban dikirim",
            "",
            "140",
            "2",
            "130",
            "220",
            "50.0",
            "",
            "",
        ],
    ]


def test_the_csv_file_per_official_neutralises_formulas_in_names(client, february, wati, budi):
    budi.first_name = '=HYPERLINK("http://contoh.test","Budi")'
    budi.save()
    response = as_(client, wati).get(URL, {**FEBRUARY, "per": "pejabat", "format": "csv"})
    assert response.status_code == 200
    assert (
        'filename="mutu-baku-per-pejabat_2026-02-01_2026-02-28.csv"'
        in (response["Content-Disposition"])
    )
    rows = csv_rows(response)
    assert rows[0][:4] == ["Pejabat", "Sebagai", "No.", "Kegiatan"]
    names = [row[0] for row in rows[1:]]
    assert '\'=HYPERLINK("http://contoh.test","Budi")' in names
    assert not any(name.startswith("=") for name in names)
    assert [
        "Rina",
        "Plh. Kepala Dinas",
        "4",
        APPROVE,
        "20",
        "1",
        "10",
        "10",
        "100.0",
        "0",
        "0",
    ] in (rows)


@pytest.mark.parametrize("start", ["=", "+", "-", "@", "\t", "\r"])
def test_a_csv_cell_that_a_spreadsheet_would_run_is_prefixed(start):
    assert csv_cell(f"{start}1+1") == f"'{start}1+1"


def test_csv_cells_keep_plain_text_and_numbers():
    assert csv_cell("Kepala Seksi") == "Kepala Seksi"
    assert csv_cell(20) == "20"
    assert csv_cell(200 / 3) == "66.7"
    assert csv_cell(None) == ""


# Bad dates -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("query", "field", "message"),
    [
        ({"dari": "2026-13-45"}, "dari", "Tanggal tidak dikenali"),
        ({"sampai": "<script>alert(1)</script>"}, "sampai", "Tanggal tidak dikenali"),
        ({"dari": "99999999999999999999"}, "dari", "Tanggal tidak dikenali"),
        ({"dari": "0001-01-01"}, "dari", "Pilih tanggal antara 2000-01-01 dan 2099-12-31"),
        ({"sampai": "9999-12-31"}, "sampai", "Pilih tanggal antara 2000-01-01 dan 2099-12-31"),
        (
            {"dari": "2026-03-01", "sampai": "2026-02-01"},
            "sampai",
            "Tanggal akhir tidak boleh sebelum tanggal awal (2026-03-01)",
        ),
        (
            {"dari": "2024-01-01", "sampai": "2026-02-28"},
            "sampai",
            "Periode paling panjang 366 hari",
        ),
    ],
)
def test_bad_dates_are_explained_beside_the_field(client, february, budi, query, field, message):
    for extra in ({}, {"format": "csv"}):
        page = as_(client, budi).get(URL, {**query, **extra})
        assert page.status_code == 200
        assert page["Content-Type"].startswith("text/html")
        assert message in field_errors(page, field)
        assert "Ada yang perlu diperbaiki" in page_text(page)
        assert tables(page) == []


def test_a_whole_leap_year_is_one_period(client, sop_version, budi):
    page = as_(client, budi).get(URL, {"dari": "2028-01-01", "sampai": "2028-12-31"})
    assert "Periode 1 Januari 2028 sampai dengan 31 Desember 2028" in page_text(page)


def test_without_an_sop_in_force_the_page_says_so(client, budi):
    page = as_(client, budi).get(URL)
    assert page.status_code == 200
    assert "Belum ada SOP yang berlaku" in page_text(page)


# Queries -------------------------------------------------------------------------------


REQUESTS = [FEBRUARY, {**FEBRUARY, "per": "pejabat"}, {**FEBRUARY, "format": "csv"}]
# The report's own: session, user, roles, SOP in force, calendar (2), the step rows, and
# the officials' names when per official. A little room for what the desk's frame adds.
MAX_QUERIES = 10


def queries_made(client, query) -> int:
    with CaptureQueriesContext(connection) as context:
        assert client.get(URL, query).status_code == 200
    return len(context)


def test_the_number_of_queries_does_not_grow_with_the_complaints(
    client, february, desk, budi, wati, agus, hadi, django_assert_max_num_queries
):
    as_(client, wati)
    with django_assert_max_num_queries(MAX_QUERIES):
        assert tables(client.get(URL, FEBRUARY))[0][1][4] == "3"
    made = [queries_made(client, query) for query in REQUESTS]
    for n in range(10):
        desk.straight_through(
            "2026-02-04",
            ("08:00", "09:00", "09:20", "09:40", "10:00", "10:20"),
            budi,
            wati,
            agus,
            hadi,
            subject=f"Akta {n}",
        )
    desk.at("2026-02-10 09:00")
    as_(client, wati)
    for query, count in zip(REQUESTS, made, strict=True):
        with django_assert_max_num_queries(count):
            response = client.get(URL, query)
    assert csv_rows(response)[1][4] == "13"
