"""/sop/ shows the SOP in force as the office would print it."""

import re

import pytest

from aduan.sop.diagram import flow_svg
from aduan.sop.services import sop_load


def test_sop_page_shows_the_header_steps_and_the_140_minute_total(client, sop_version):
    page = client.get("/sop/").content.decode()
    assert "SOP/PIPD/PIAK/11" in page
    assert "Pengaduan masyarakat melalui online" in page
    assert "Drs. MUHAMMAD IMRON" in page and "19650709 198603 1 020" in page
    assert "Undang-Undang Nomor 25 Tahun 2009 tentang Pelayanan Publik" in page
    assert "Buku Agenda" in page
    rows = re.findall(
        r"<tr>\s*<td>(\d)\.</td>\s*<td>(.*?)<br>.*?</td>\s*<td>(.*?)</td>"
        r"\s*<td>(.*?)</td>\s*<td class=\"num\">(\d+) menit</td>",
        page,
        re.S,
    )
    assert [(n, actor, int(minutes)) for n, _title, actor, _input, minutes in rows] == [
        ("1", "Staf", 60),
        ("2", "Kepala Seksi", 20),
        ("3", "Kepala Bidang", 20),
        ("4", "Kepala Dinas", 20),
        ("5", "Staf", 20),
    ]
    assert re.search(r'class="num total"><strong>140 menit</strong>', page)


def test_sop_page_draws_the_flow_inline_without_any_outside_resource(client, sop_version):
    page = client.get("/sop/").content.decode()
    svg = page[page.index("<svg") : page.index("</svg>")]
    assert svg.count(">Tidak<") == 2  # Kasi → Staff and Kabid → Kasi; no return for Kadis
    assert svg.count(">Ya<") == 2
    for label in ("Mulai", "Selesai", "1. Staf (60 menit)", "4. Kepala Dinas (20 menit)"):
        assert f">{label}<" in svg
    external = re.findall(r'(?:src|href)="(https?:)?//', page)
    assert external == []


def test_the_drawing_follows_the_definition_when_an_office_adds_a_kadis_return(tmp_path, db):
    from django.conf import settings

    text = settings.DEFAULT_SOP_FILE.read_text() + (
        '\n[[edges]]\nfrom = "approve_kadis"\nto = "verify_kabid"\ndecision = "return"\n'
        'label = "Tidak, kembalikan ke Kepala Bidang"\n'
    )
    path = tmp_path / "sop.toml"
    path.write_text(text)
    version, created = sop_load(path=path)
    assert created
    assert flow_svg(version.definition).count(">Tidak<") == 3


def test_sop_page_runs_a_fixed_number_of_queries(
    client, sop_version, django_assert_max_num_queries
):
    with django_assert_max_num_queries(3):
        assert client.get("/sop/").status_code == 200


def test_without_a_loaded_sop_the_page_says_how_to_load_one(client, db):
    response = client.get("/sop/")
    assert response.status_code == 503
    assert "manage.py sop_load" in response.content.decode()


@pytest.mark.parametrize(
    "language, heading", [("id", "Langkah dan mutu baku"), ("en", "Steps and quality standard")]
)
def test_sop_page_speaks_indonesian_and_english(client, sop_version, language, heading):
    page = client.get("/sop/", HTTP_ACCEPT_LANGUAGE=language).content.decode()
    assert heading in page
