"""Budi prints the agenda book page from his browser: A4 landscape, the table header on
every page, numbered pages, no menu or filters."""

import io
import re

import pytest
from pypdf import PdfReader

from aduan.complaints.models import Category
from aduan.papers.tests.agenda_setup import NOVEMBER, at, book_url, received
from aduan.sop.services import sop_load
from conftest import make_official


@pytest.mark.browser
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_printed_page_is_a4_landscape_with_the_header_on_every_page(live_server, page):
    sop_load()
    category, _ = Category.objects.get_or_create(code="ktp-el", defaults={"name": "KTP-el"})
    make_official("budi", "Budi", "staff")
    for n in range(80):
        received(at(1 + n % 28, 8 + n % 8), category, name=f"Warga {n}", subject=f"Perihal {n}")

    page.goto(live_server.url + "/meja/masuk/")
    page.get_by_label("Nama pengguna").fill("budi")
    page.get_by_label("Sandi").fill("correct horse battery")
    page.get_by_role("button", name="Masuk").click()
    page.wait_for_url("**/meja/")
    page.goto(live_server.url + book_url(**NOVEMBER))
    assert "80 pengaduan" in page.locator(".agenda-count").inner_text()

    printed = PdfReader(io.BytesIO(page.pdf(prefer_css_page_size=True)))
    assert len(printed.pages) >= 2
    for number, sheet in enumerate(printed.pages, start=1):
        assert sheet.mediabox.width > sheet.mediabox.height  # landscape
        assert round(float(sheet.mediabox.width) / 72 * 25.4) == 297  # A4
        text = re.sub(r"\s+", " ", sheet.extract_text())
        assert "Nomor agenda" in text  # the header repeats
        assert f"{number} / {len(printed.pages)}" in text
        assert "Tampilkan" not in text and "Unduh" not in text  # no filters, no links
    everything = re.sub(r"\s+", " ", " ".join(sheet.extract_text() for sheet in printed.pages))
    assert "Perihal 0" in everything and "Perihal 79" in everything
