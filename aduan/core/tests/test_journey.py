"""The whole SOP in a browser: Sari files on her phone, four officials carry the complaint
through both returns to the answer, and Sari reads the answer on her tracking page."""

import pytest
from playwright.sync_api import expect

from aduan.public.tests.conftest import fill_in_the_form
from conftest import make_official

PASSWORD = "correct horse battery"  # make_official's password


def official_page(browser, live_server, username):
    context = browser.new_context(locale="id-ID", viewport={"width": 1024, "height": 800})
    page = context.new_page()
    page.goto(live_server.url + "/meja/masuk/")
    page.get_by_label("Nama pengguna").fill(username)
    page.get_by_label("Sandi").fill(PASSWORD)
    page.get_by_role("button", name="Masuk", exact=True).click()
    page.wait_for_url("**/meja/")
    return page


def open_from_inbox(page, live_server, subject):
    page.goto(live_server.url + "/meja/")
    page.get_by_role("link", name=subject).click()
    page.wait_for_url("**/meja/pengaduan/*/")


def save_draft(page, text):
    page.get_by_label("Konsep jawaban", exact=True).fill(text)
    page.get_by_role("button", name="Simpan konsep").click()
    expect(page.get_by_text("Konsep jawaban tersimpan.")).to_be_visible()


def decide(page, button, note="", done="Keputusan tersimpan."):
    if note:
        page.get_by_label("Catatan").fill(note)
    page.get_by_role("button", name=button).click()
    expect(page.get_by_text(done)).to_be_visible()


@pytest.mark.browser
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_complaint_goes_from_sari_through_both_returns_to_the_answer(
    live_server, browser, page, sop_version, category
):
    for username, first, role in [
        ("budi", "Budi", "staff"),
        ("wati", "Wati", "kasi"),
        ("agus", "Agus", "kabid"),
        ("hadi", "Hadi", "kadis"),
    ]:
        make_official(username, first, role)
    subject = "KTP-el belum jadi"

    # Sari files the complaint on a 360-pixel phone (the `page` fixture).
    page.goto(live_server.url + "/lapor/")
    fill_in_the_form(page, category=category.name, subject=subject)
    page.get_by_role("button", name="Kirim pengaduan").click()
    page.wait_for_url("**/lapor/terkirim/")
    code = page.locator("#kode-lacak").inner_text()
    tracking_link = page.get_by_role("link", name="Lacak pengaduan ini").get_attribute("href")

    staff = official_page(browser, live_server, "budi")
    kasi = official_page(browser, live_server, "wati")
    kabid = official_page(browser, live_server, "agus")
    kadis = official_page(browser, live_server, "hadi")

    # Staff drafts; Kasi returns it; Staff revises and sends it up again.
    open_from_inbox(staff, live_server, subject)
    save_draft(staff, "KTP-el Ibu sudah dicetak dan dapat diambil di loket 2.")
    decide(staff, "Kirim konsep ke Kasi untuk diperiksa")
    open_from_inbox(kasi, live_server, subject)
    decide(kasi, "Kembalikan ke Staf", note="Sebutkan jam layanan loket.")
    open_from_inbox(staff, live_server, subject)
    assert "Sebutkan jam layanan loket." in staff.content()
    save_draft(
        staff,
        "KTP-el Ibu sudah dicetak dan dapat diambil di loket 2, Senin–Jumat pukul 08.00–15.00.",
    )
    decide(staff, "Kirim konsep ke Kasi untuk diperiksa")

    # Kasi forwards; Kabid returns it to Kasi, who revises it and forwards it again.
    open_from_inbox(kasi, live_server, subject)
    decide(kasi, "Setujui dan teruskan ke Kabid")
    open_from_inbox(kabid, live_server, subject)
    decide(kabid, "Kembalikan ke Kasi", note="Minta pelapor membawa KK asli.")
    open_from_inbox(kasi, live_server, subject)
    answer = (
        "KTP-el Ibu sudah dicetak dan dapat diambil di loket 2, Senin–Jumat pukul "
        "08.00–15.00, dengan membawa KK asli."
    )
    save_draft(kasi, answer)
    decide(kasi, "Setujui dan teruskan ke Kabid")
    open_from_inbox(kabid, live_server, subject)
    decide(kabid, "Setujui dan teruskan ke Kadis")

    # Kadis approves; Staff sends the answer.
    open_from_inbox(kadis, live_server, subject)
    decide(kadis, "Setujui dan serahkan ke Staf untuk dikirim")
    open_from_inbox(staff, live_server, subject)
    assert answer in staff.content()
    decide(
        staff,
        "Kirim jawaban kepada pelapor",
        done="Jawaban terkirim kepada pelapor; pengaduan selesai.",
    )
    staff.goto(live_server.url + "/meja/")
    assert staff.get_by_role("link", name=subject).count() == 0

    # Sari opens her tracking link and reads the answer.
    page.goto(
        tracking_link if tracking_link.startswith("http") else live_server.url + tracking_link
    )
    page.wait_for_url(f"**/lacak/{code}/")
    assert "Dijawab" in page.locator("[aria-current=step]").inner_text()
    assert answer in page.content()
    assert "Minta pelapor membawa KK asli." not in page.content()  # internal notes stay inside
