"""Who sees how much: Kadis and Kabid the office, a Kasi their section's categories, Staff
their own work; and the dashboard reads in the same number of queries for 3 or 30
complaints."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from aduan.accounts.models import RoleGrant, Unit
from aduan.accounts.selectors import dashboard_scope, may_see_dashboard
from aduan.complaints.models import Category
from aduan.dashboard.selectors import dashboard_for
from aduan.dashboard.tests.test_numbers import NOW, chart, decide, file, values
from conftest import make_official

FIRST, LAST = dt.date(2026, 3, 1), dt.date(2026, 4, 30)


@pytest.fixture
def akta(db):
    return Category.objects.get_or_create(code="akta", defaults={"name": "Akta kelahiran"})[0]


@pytest.fixture
def seksi_ktp(db, category):
    unit = Unit.objects.create(code="seksi-ktp", name="Seksi Identitas Penduduk")
    category.unit = unit
    category.save()
    return unit


@pytest.fixture
def wati_of_ktp(wati, seksi_ktp):
    RoleGrant.objects.filter(user=wati, role="kasi").update(unit=seksi_ktp)
    return wati


@pytest.fixture
def eko(db):
    return make_official("eko", "Eko", "staff")


@pytest.fixture
def two_sections(time_machine, sop_version, category, akta, budi, eko, wati, agus, hadi):
    """A KTP-el complaint drafted by Budi and a birth-certificate one drafted by Eko."""
    ktp = file(time_machine, "2026-03-02 09:00", category, "web", "KTP-el")
    decide(time_machine, "2026-03-02 09:30", ktp, budi)
    birth = file(time_machine, "2026-03-02 10:00", akta, "email", "Akta")
    decide(time_machine, "2026-03-02 10:30", birth, eko)
    time_machine.move_to(NOW, tick=False)
    return ktp, birth


def board(user, **kwargs):
    return dashboard_for(user=user, first=FIRST, last=LAST, now=NOW, **kwargs)


def test_hadi_and_agus_see_the_whole_office(two_sections, hadi, agus):
    for head in (hadi, agus):
        seen = board(head)
        assert (seen.scope, seen.scope_label) == ("office", "Seluruh kantor")
        assert values(seen, "received_monthly") == {"web": (1, 0), "email": (1, 0)}


def test_wati_with_a_section_sees_only_its_categories(two_sections, wati_of_ktp):
    seen = board(wati_of_ktp)
    assert (seen.scope, seen.scope_label) == ("unit", "Seksi Identitas Penduduk")
    assert values(seen, "received_monthly") == {"web": (1, 0)}
    assert chart(seen, "top_categories").x_labels == ("KTP-el",)
    assert sum(map(sum, values(seen, "backlog_now").values())) == 1


def test_wati_filtering_on_another_sections_category_sees_nothing(two_sections, wati_of_ktp):
    seen = board(wati_of_ktp, category="akta")
    assert values(seen, "received_monthly") == {}
    assert sum(map(sum, values(seen, "backlog_now").values())) == 0


def test_budi_sees_only_his_own_work(two_sections, budi):
    seen = board(budi)
    assert (seen.scope, seen.scope_label) == ("own", "Pekerjaan Anda")
    assert values(seen, "received_monthly") == {"web": (1, 0)}
    assert values(seen, "within_standard")["draft"] == (100.0, None)
    assert chart(seen, "top_categories").x_labels == ("KTP-el",)


def test_a_kasi_without_a_section_sees_their_own_work(two_sections, wati):
    assert dashboard_scope(user=wati)[0] == "own"
    assert values(board(wati), "received_monthly") == {}


def test_the_dashboard_is_for_officials_only(db, budi, hadi):
    joko = make_official("joko", "Joko")
    assert may_see_dashboard(user=budi) and may_see_dashboard(user=hadi)
    assert not may_see_dashboard(user=joko)


def _queries(user) -> int:
    user = type(user).objects.get(pk=user.pk)  # as a request has it: roles not yet read
    with CaptureQueriesContext(connection) as queries:
        board(user)
    return len(queries)


def _file_and_draft(time_machine, category, budi, numbers):
    for n in numbers:
        day = f"2026-03-{2 + n % 3:02d}"
        complaint = file(time_machine, f"{day} 09:{n:02d}", category, "web")
        decide(time_machine, f"{day} 10:{n:02d}", complaint, budi)
    time_machine.move_to(NOW, tick=False)


def test_each_level_reads_its_dashboard_in_the_same_queries_for_3_or_30_complaints(
    time_machine, sop_version, category, akta, budi, wati_of_ktp, hadi
):
    _file_and_draft(time_machine, category, budi, range(3))
    for user in (hadi, wati_of_ktp, budi):  # the calendar and roles are cached from here
        board(user)
    few = [_queries(user) for user in (hadi, wati_of_ktp, budi)]
    _file_and_draft(time_machine, category, budi, range(3, 30))
    many = [_queries(user) for user in (hadi, wati_of_ktp, budi)]
    assert few == many
    assert max(many) <= 20


def test_wati_s_category_filter_offers_only_her_section_s_categories(
    client, two_sections, wati_of_ktp
):
    client.force_login(wati_of_ktp)
    page = client.get("/meja/dasbor/", {"dari": "2026-03-01", "sampai": "2026-04-30"})
    html = page.content.decode()
    assert page.status_code == 200
    assert '<option value="ktp-el"' in html and '<option value="akta"' not in html
    other = client.get(
        "/meja/dasbor/", {"dari": "2026-03-01", "sampai": "2026-04-30", "kategori": "akta"}
    )
    assert "Kategori ini tidak dikenal; pilih dari daftar." in other.content.decode()
