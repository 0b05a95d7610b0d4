"""The monthly recap (rekap bulanan) at /meja/dasbor/rekap/: the head of office previews a
month and prints it as a PDF on the letterhead, always in Bahasa Indonesia, and the printing
is audited. Only those who see the whole office may open it."""

import datetime as dt
import re

import pytest
from django.db import connection
from django.template.defaultfilters import date as date_format
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from aduan.accounts.selectors import office_today
from aduan.audit.models import AuditEvent
from aduan.complaints.models import Complaint
from aduan.complaints.tests.test_feedback import answer
from aduan.dashboard.forms import months_back
from aduan.dashboard.selectors import recap_for
from aduan.dashboard.tests.test_page import birth_deed, file
from aduan.desk.tests.conftest import page_text
from aduan.papers.letterhead import letterhead_context
from aduan.papers.tests.letter_helpers import pdf_text

pytestmark = pytest.mark.django_db

URL = reverse("dashboard:recap")


def this_month() -> dt.date:
    return office_today().replace(day=1)


def indonesian_month(month: dt.date) -> str:
    with translation.override("id"):
        return date_format(month, "F Y")


@pytest.fixture
def akta(db):
    return birth_deed()


@pytest.fixture
def month_of_work(sop_version, category, akta, budi, wati, agus, hadi):
    """This month: four complaints about KTP-el (one answered), two about a birth deed."""
    ktp = file(category, 4, subject="KTP-el <b>belum</b> jadi")
    answer(ktp[0], budi, wati, agus, hadi)
    file(akta, 2, channel=Complaint.Channel.WHATSAPP)
    return ktp


def test_kabid_agus_previews_the_month_with_its_totals_and_charts(client, month_of_work, agus):
    client.force_login(agus)
    month = this_month()
    response = client.get(URL, {"bulan": month.strftime("%Y-%m")})
    assert response.status_code == 200
    text = page_text(response)
    assert f"Rekap Bulanan Pengaduan · {indonesian_month(month)}" in text
    assert "Pengaduan diterima 6" in text
    assert "Pengaduan dijawab 1" in text
    recap = recap_for(month=month)
    markup = response.content.decode()
    for chart in recap.charts:
        assert f'<figure class="chart-figure" id="{chart.id}"' in markup
    assert markup.count('role="img"') == len(recap.charts)
    assert "KTP-el &lt;b&gt;belum&lt;/b&gt; jadi" in markup  # the oldest open, escaped
    assert f'href="?bulan={month:%Y-%m}&amp;format=pdf"' in markup


def test_the_recap_opens_on_the_previous_month(client, month_of_work, hadi):
    client.force_login(hadi)
    previous = months_back(office_today(), 1)
    response = client.get(URL)
    assert f'value="{previous:%Y-%m}"' in response.content.decode()
    assert indonesian_month(previous) in page_text(response)


def test_the_pdf_prints_the_letterhead_the_month_the_totals_and_who_printed_it(
    client, month_of_work, hadi
):
    client.force_login(hadi)
    month = this_month()
    response = client.get(URL, {"bulan": month.strftime("%Y-%m"), "format": "pdf"})
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert f'filename="rekap-bulanan-{month:%Y-%m}.pdf"' in response["Content-Disposition"]
    text = pdf_text(response.content)
    assert letterhead_context()["office"].upper() in text.upper()
    assert "REKAP BULANAN PENGADUAN" in text
    assert f"Bulan {indonesian_month(month)}" in text
    assert "Pengaduan diterima 6" in text and "Pengaduan dijawab 1" in text
    assert "Pengaduan diterima menurut kategori" in text or "KTP-el" in text
    assert "KTP-el <b>belum</" in text  # as text, not markup
    assert "Dicetak oleh Hadi pada" in text
    event = AuditEvent.objects.get(action="recap.printed")
    assert event.actor_id == hadi.pk and event.data["month"] == month.strftime("%Y-%m")


def test_the_pdf_is_in_indonesian_in_an_english_session(client, month_of_work, hadi):
    client.force_login(hadi)
    client.cookies["django_language"] = "en"
    previous = months_back(office_today(), 1)
    english = client.get(URL)
    assert english.content.decode().count('lang="en"') >= 1
    text = pdf_text(client.get(URL, {"format": "pdf"}).content)
    assert f"Bulan {indonesian_month(previous)}" in text
    with translation.override("en"):
        english_month = date_format(previous, "F")
    if english_month != date_format(previous, "F"):  # November is the same in both
        assert english_month not in text
    assert "Dicetak oleh Hadi pada" in text and "Pengaduan diterima" in text


def test_staff_and_a_section_head_are_sent_to_their_own_dashboard(
    client, month_of_work, budi, wati
):
    for official in (budi, wati):
        client.force_login(official)
        response = client.get(URL, {"format": "pdf"})
        assert response.status_code == 403
        assert "Rekap bulanan seluruh kantor hanya dapat dibuka" in page_text(response)
    assert not AuditEvent.objects.filter(action="recap.printed").exists()


def test_someone_who_is_not_an_official_is_sent_away(client, month_of_work):
    assert client.get(URL).status_code == 302


@pytest.mark.parametrize(
    "typed, message",
    [
        ("November", "Bulan tidak dikenali"),
        ("2026-13", "Bulan tidak dikenali"),
        ("1999-12", "Pilih bulan sejak 2000-01"),
        ("2099-12", "Bulan ini belum tiba"),
    ],
)
def test_a_bad_month_gets_a_message_beside_the_field(client, month_of_work, agus, typed, message):
    client.force_login(agus)
    response = client.get(URL, {"bulan": typed, "format": "pdf"})
    assert response.status_code == 200
    beside = re.search(r'id="field-bulan".*?</div>', response.content.decode(), re.S).group(0)
    assert message in beside and f'value="{typed}"' in beside
    assert not AuditEvent.objects.filter(action="recap.printed").exists()


def count_queries(client) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(URL, {"bulan": this_month().strftime("%Y-%m")}).status_code == 200
    return len(queries)


def test_the_preview_asks_the_database_as_often_with_3_or_30_complaints(
    client,
    sop_version,
    category,
    akta,
    budi,
    wati,
    agus,
    hadi,
):
    client.force_login(agus)
    answer(file(category, 1)[0], budi, wati, agus, hadi)
    file(akta, 2)
    few = count_queries(client)
    for complaint in file(category, 5):
        answer(complaint, budi, wati, agus, hadi)
    file(akta, 22, channel=Complaint.Channel.LETTER)
    assert count_queries(client) == few
