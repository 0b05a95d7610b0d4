"""Sari, on a 360-pixel phone, files a complaint with a photo and follows it."""

import re

import pytest

from aduan.public.tests.conftest import fill_in_the_form, png_bytes


def fits_the_phone(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth") <= 360


@pytest.mark.browser
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_sari_files_a_complaint_on_her_phone_and_opens_its_tracking_page(
    live_server, page, sop_version, category
):
    page.goto(live_server.url + "/")
    page.get_by_role("link", name="Buat pengaduan").click()
    page.wait_for_url("**/lapor/")
    assert fits_the_phone(page)

    # She forgets the subject, but attaches a photo of her receipt.
    page.get_by_label("Jenis layanan yang diadukan").select_option(label="KTP-el")
    page.get_by_label("Uraian pengaduan").fill("Sudah tiga minggu KTP-el saya belum jadi.")
    page.set_input_files(
        "#lampiran", files=[{"name": "resi.png", "mimeType": "image/png", "buffer": png_bytes()}]
    )
    page.get_by_label("Nama lengkap").fill("Sari Wulandari")
    page.get_by_label("Nomor telepon / WhatsApp").fill("0812 3456 7890")
    page.get_by_role("button", name="Lanjutkan").click()
    page.wait_for_load_state()

    summary = page.get_by_role("alert")
    assert "Tuliskan perihal pengaduan." in summary.inner_text()
    assert page.locator("#id_subject_error").is_visible()
    assert "resi.png" in page.locator(".uploads").inner_text()
    assert page.get_by_label("Nama lengkap").input_value() == "Sari Wulandari"
    assert fits_the_phone(page)

    # The summary's link takes her to the field; she writes the subject and goes on.
    summary.get_by_role("link", name="Tuliskan perihal pengaduan.").click()
    assert page.evaluate("document.activeElement.id") == "id_subject"
    page.get_by_label("Perihal", exact=True).fill("KTP-el belum jadi")
    page.get_by_role("button", name="Lanjutkan").click()
    page.wait_for_url("**/lapor/periksa/")

    assert page.get_by_role("heading", level=1).inner_text() == (
        "Periksa jawaban Anda sebelum mengirim"
    )
    assert "resi.png" in page.content()
    assert "+6281234567890" in page.content()
    assert fits_the_phone(page)
    page.get_by_role("button", name="Kirim pengaduan").click()
    page.wait_for_url("**/lapor/terkirim/")

    code = page.locator("#kode-lacak").inner_text()
    assert re.fullmatch(r"ADU-[0-9A-Z]{4}-[0-9A-Z]{4}", code)
    secret = page.locator("#kode-rahasia").inner_text()
    assert re.fullmatch(r"([0-9A-Z]{4}-){6}[0-9A-Z]{4}", secret)  # 140 bits, in groups
    assert page.locator("#kode-lacak").bounding_box()["width"] <= 360
    assert fits_the_phone(page)

    page.get_by_role("link", name="Lacak pengaduan ini").click()
    page.wait_for_url(f"**/lacak/{code}/")
    assert page.get_by_role("heading", level=1).inner_text() == "KTP-el belum jadi"
    assert "Diverifikasi" in page.locator("[aria-current=step]").inner_text()
    assert fits_the_phone(page)


@pytest.mark.browser
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_form_page_weighs_under_100_kb_and_loads_nothing_from_outside(
    live_server, page, sop_version, category
):
    """Everything the phone fetches to show the complaint form, as served (uncompressed;
    the deployment compresses it further)."""
    fetched = []
    page.on("response", lambda response: fetched.append(response))
    page.goto(live_server.url + "/lapor/")
    page.wait_for_load_state("networkidle")
    assert fetched, "the page fetched nothing"
    assert {r.url.split("/")[2] for r in fetched} == {live_server.url.split("/")[2]}
    weight = sum(len(r.body()) for r in fetched if r.status == 200)
    assert weight < 100_000, f"{weight:,} bytes: {[r.url for r in fetched]}"
    fonts = [r.url for r in fetched if r.request.resource_type == "font"]
    assert fonts == []


@pytest.mark.browser
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_sari_files_and_follows_a_complaint_with_javascript_off(
    live_server, browser, sop_version, category
):
    context = browser.new_context(
        locale="id-ID", viewport={"width": 360, "height": 740}, java_script_enabled=False
    )
    page = context.new_page()
    try:
        page.goto(live_server.url + "/lapor/")
        page.get_by_role("button", name="Lanjutkan").last.click()
        assert "Tuliskan perihal pengaduan." in page.content()
        fill_in_the_form(page)
        page.get_by_role("button", name="Kirim pengaduan").click()
        page.wait_for_url("**/lapor/terkirim/")
        code = page.locator("#kode-lacak").inner_text()
        page.get_by_role("link", name="Lacak pengaduan ini").click()
        page.wait_for_url(f"**/lacak/{code}/")
        assert page.get_by_role("heading", name="KTP-el belum jadi").is_visible()
        assert fits_the_phone(page)
    finally:
        context.close()
