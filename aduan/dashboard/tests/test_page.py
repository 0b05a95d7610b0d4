"""The dashboard page at /meja/dasbor/: each official sees their part of the office as
charts with their numbers beside them, filters by period and category, downloads each
chart's numbers as CSV, and never meets an error page for what they typed."""

import csv
import datetime as dt
import io
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from aduan.accounts.models import RoleGrant, Unit
from aduan.accounts.selectors import office_today
from aduan.complaints.feedback import rating_save
from aduan.complaints.models import Category, Complaint
from aduan.complaints.services import complaint_register
from aduan.complaints.tests.test_feedback import answer
from aduan.dashboard.charts import chart_table, format_value
from aduan.dashboard.selectors import dashboard_for
from aduan.desk.tests.conftest import page_text
from conftest import make_official

pytestmark = pytest.mark.django_db

URL = reverse("dashboard:dashboard")


def birth_deed() -> Category:
    category, _ = Category.objects.get_or_create(
        code="akta", defaults={"name": "Akta kelahiran", "position": 2}
    )
    return category


@pytest.fixture
def akta(db):
    return birth_deed()


def file(category, n: int = 1, channel=Complaint.Channel.WEB, subject="KTP-el belum jadi"):
    return [
        complaint_register(
            category=category,
            subject=subject,
            description="Sudah tiga minggu belum jadi.",
            channel=channel,
            name="Sari Wulandari",
            phone="+6281234567890",
        )
        for _ in range(n)
    ]


@pytest.fixture
def office(sop_version, category, akta, budi, wati, agus, hadi):
    """Sari's three complaints about KTP-el (one answered) and one about a birth deed."""
    ktp = file(category, 3)
    answer(ktp[0], budi, wati, agus, hadi)
    file(akta, 1, channel=Complaint.Channel.WHATSAPP)
    return ktp


def numbers_of(response) -> str:
    return page_text(response)


def test_kadis_hadi_sees_every_chart_with_its_numbers_beside_it(client, office, hadi):
    client.force_login(hadi)
    response = client.get(URL)
    assert response.status_code == 200
    text = page_text(response)
    assert "Seluruh kantor" in text
    today = office_today()
    first = dt.date(today.year, today.month, 1)
    dashboard = dashboard_for(user=hadi, first=first - dt.timedelta(days=160), last=today)
    markup = response.content.decode()
    for chart in dashboard.charts:
        assert f'<figure class="chart-figure" id="{chart.id}"' in markup
        assert f'<figcaption id="{chart.id}-caption">{chart.title}</figcaption>' in markup
        assert "?dari=" in markup and f"chart={chart.id}&amp;format=csv" in markup
    assert markup.count('role="img"') == len(dashboard.charts)
    assert markup.count('<table class="chart-table">') == len(dashboard.charts)
    # The week's stacked bars: three about KTP-el and one about a birth deed, in the table.
    weekly = re.search(r'id="received_weekly".*?</figure>', markup, re.S).group(0)
    assert '<th scope="col" class="num">KTP-el</th>' in weekly
    assert '<th scope="col" class="num">Akta kelahiran</th>' in weekly
    assert '<td class="num">3</td>' in weekly and '<td class="num">1</td>' in weekly


def test_the_menu_leads_officials_to_the_dashboard(client, office, budi):
    client.force_login(budi)
    inbox = client.get(reverse("desk:inbox")).content.decode()
    assert f'href="{URL}"' in inbox
    page = client.get(URL).content.decode()
    assert f'<a href="{URL}" aria-current="page">Dasbor</a>' in page


def test_staff_budi_sees_his_own_work_and_no_office_recap(client, office, budi):
    client.force_login(budi)
    text = page_text(client.get(URL))
    assert "Pekerjaan Anda" in text and "Rekap bulanan" not in text


def test_kadis_hadi_finds_the_monthly_recap_from_the_dashboard(client, office, hadi):
    client.force_login(hadi)
    assert f'href="{reverse("dashboard:recap")}"' in client.get(URL).content.decode()


def test_kasi_wati_sees_her_section(client, office, wati, category):
    section = Unit.objects.create(code="seksi-ktp", name="Seksi Identitas Penduduk")
    category.unit = section
    category.save()
    RoleGrant.objects.filter(user=wati).update(unit=section)
    client.force_login(wati)
    text = page_text(client.get(URL))
    assert "Dasbor · Seksi Identitas Penduduk" in text


def test_the_page_opens_before_any_sop_is_loaded(client, hadi):
    client.force_login(hadi)
    response = client.get(URL)
    assert response.status_code == 200
    assert "Belum ada data" in page_text(response)


def csv_rows(response) -> list[list[str]]:
    body = response.content.decode("utf-8").lstrip("\ufeff")
    return list(csv.reader(io.StringIO(body)))


def test_each_chart_downloads_as_csv_the_rows_of_its_table(client, office, agus):
    client.force_login(agus)
    query = {"dari": "2026-01-01", "sampai": office_today().isoformat()}
    if office_today() < dt.date(2026, 1, 1):
        query["dari"] = office_today().replace(day=1).isoformat()
    first = dt.date.fromisoformat(query["dari"])
    dashboard = dashboard_for(user=agus, first=first, last=office_today())
    page = client.get(URL, query).content.decode()
    for chart in dashboard.charts:
        response = client.get(URL, {**query, "chart": chart.id, "format": "csv"})
        assert response.status_code == 200
        assert response["Content-Type"] == "text/csv; charset=utf-8"
        assert (
            f'filename="dasbor_{chart.id}_{query["dari"]}_{query["sampai"]}.csv"'
            in (response["Content-Disposition"])
        )
        rows = csv_rows(response)
        headers, table = chart_table(chart)
        assert rows[0] == [str(h) for h in headers]
        assert [row[0] for row in rows[1:]] == [label for label, _v in table]
        for row, (_label, values) in zip(rows[1:], table, strict=True):
            assert row[1:] == [
                "" if v is None else (f"{v:.1f}" if isinstance(v, float) else str(v))
                for v in values
            ]
            for value in values:  # the same numbers on the page
                assert f'<td class="num">{format_value(value)}</td>' in page


def test_a_category_filter_narrows_the_charts(client, office, agus, akta):
    client.force_login(agus)
    response = client.get(URL, {"kategori": "akta"})
    text = page_text(response)
    assert "Kategori: Akta kelahiran" in text
    weekly = re.search(r'id="received_weekly".*?</figure>', response.content.decode(), re.S)
    assert "Akta kelahiran" in weekly.group(0) and "KTP-el" not in weekly.group(0)
    csv_link = re.search(r'href="(\?[^"]*chart=received_weekly[^"]*)"', response.content.decode())
    assert "kategori=akta" in csv_link.group(1)


def test_a_period_filter_narrows_the_charts(client, office, agus):
    client.force_login(agus)
    last_year = office_today().year - 1
    response = client.get(URL, {"dari": f"{last_year}-01-01", "sampai": f"{last_year}-03-31"})
    weekly = re.search(r'id="received_weekly".*?</figure>', response.content.decode(), re.S)
    assert "Belum ada data" in weekly.group(0)


@pytest.mark.parametrize(
    "query, field, message",
    [
        ({"dari": "31/02/2026"}, "dari", "Tanggal tidak dikenali"),
        ({"dari": "2026-05-01", "sampai": "2026-04-01"}, "sampai", "tidak boleh sebelum"),
        ({"dari": "2020-01-01", "sampai": "2026-01-01"}, "sampai", "paling panjang"),
        ({"dari": "0001-01-01"}, "dari", "Pilih tanggal antara"),
        ({"kategori": "<script>"}, "kategori", "tidak dikenal"),
    ],
)
def test_bad_filters_get_a_message_beside_the_field_with_what_was_typed_kept(
    client, office, agus, query, field, message
):
    client.force_login(agus)
    response = client.get(URL, {**query, "format": "csv", "chart": "received_weekly"})
    assert response.status_code == 200
    markup = response.content.decode()
    beside = re.search(rf'id="field-{field}".*?</div>', markup, re.S).group(0)
    assert message in beside
    if field != "kategori":
        assert f'value="{query[field]}"' in beside
    assert "<script>" not in markup.split("<main", 1)[1]
    assert 'role="img"' not in markup


def test_an_unknown_chart_gets_the_not_found_page(client, office, agus):
    client.force_login(agus)
    response = client.get(URL, {"chart": "<nope>", "format": "csv"})
    assert response.status_code == 404
    assert "Halaman tidak ditemukan" in page_text(response)


def test_someone_who_is_not_an_official_is_sent_away(client, office):
    assert client.get(URL).status_code == 302  # to the login page
    citizen = make_official("sari", "Sari")  # may log in, holds no role
    client.force_login(citizen)
    response = client.get(URL)
    assert response.status_code == 403
    assert "belum memiliki peran" in page_text(response)


def test_an_official_without_a_handling_role_gets_the_refusal_page(client, office):
    client.force_login(make_official("rina", "Rina", "arsiparis"))
    response = client.get(URL)
    assert response.status_code == 403
    assert "Dasbor hanya dapat dibuka" in page_text(response)
    assert 'href="/meja/dasbor/"' not in client.get(reverse("desk:inbox")).content.decode()


def count_queries(client, query=None) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(URL, query or {}).status_code == 200
    return len(queries)


@pytest.mark.parametrize("who", ["hadi", "budi"])
def test_the_page_asks_the_database_as_often_with_3_or_30_complaints(
    client, sop_version, category, akta, budi, wati, agus, hadi, who
):
    client.force_login({"hadi": hadi, "budi": budi}[who])
    answer(file(category, 1)[0], budi, wati, agus, hadi)
    file(akta, 2)
    few = count_queries(client)
    for complaint in file(category, 5):
        answer(complaint, budi, wati, agus, hadi)
    file(akta, 22, channel=Complaint.Channel.LETTER)
    assert count_queries(client) == few
    assert count_queries(client, {"kategori": "akta"}) <= few + 1


def test_a_category_named_like_a_script_is_shown_as_text(client, sop_version, hadi):
    odd = Category.objects.create(code="aneh", name="<script>alert(1)</script>")
    file(odd, 2)
    client.force_login(hadi)
    response = client.get(URL)
    markup = response.content.decode()
    assert "<script>alert(1)</script>" not in markup
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in markup
    assert "<script>alert(1)</script>" in page_text(response)  # read as the text it is


def test_each_language_writes_the_numbers_its_own_way(
    client, sop_version, category, budi, wati, agus, hadi
):
    for complaint, score in zip(file(category, 2), (4, 5), strict=True):
        assert rating_save(complaint=answer(complaint, budi, wati, agus, hadi), score=score)
    client.force_login(agus)
    indonesian = client.get(URL).content.decode()
    assert '<td class="num">4,5</td>' in indonesian  # the average score
    client.cookies["django_language"] = "en"
    english = client.get(URL).content.decode()
    assert '<html lang="en">' in english
    assert '<td class="num">4.5</td>' in english
