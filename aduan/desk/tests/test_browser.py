"""Kasi Wati works her inbox on a phone: logs in, opens the oldest complaint, returns it."""

import datetime as dt

import pytest
from django.utils import timezone

from aduan.complaints.models import Category, ComplaintStep, Intake
from aduan.complaints.services import complaint_register
from aduan.desk.services import desk_decide, draft_save
from aduan.sop.services import sop_load
from conftest import make_official


@pytest.mark.browser
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_wati_returns_the_oldest_complaint_from_her_phone(live_server, page):
    sop_load()
    category, _ = Category.objects.get_or_create(code="ktp-el", defaults={"name": "KTP-el"})
    budi = make_official("budi", "Budi", "staff")
    make_official("wati", "Wati", "kasi")
    for subject, minutes_ago in [("KTP-el rusak", 5), ("KTP-el belum jadi", 45)]:
        complaint = complaint_register(
            category=category,
            subject=subject,
            description="Mohon dibantu.",
            name="Sari Wulandari",
            phone="+6281234567890",
        )
        draft_save(complaint_id=complaint.pk, actor=budi, kind="answer", body="Sudah dicetak.")
        step = ComplaintStep.objects.get(complaint=complaint, decided_at__isnull=True)
        assert desk_decide(step_id=step.pk, actor=budi, decision="approve").ok
        # Started minutes_ago, due 20 minutes after its start (whatever the time of day).
        ComplaintStep.objects.filter(complaint=complaint, decided_at__isnull=True).update(
            started_at=timezone.now() - dt.timedelta(minutes=minutes_ago),
            due_at=timezone.now() - dt.timedelta(minutes=minutes_ago - 20),
        )

    page.goto(live_server.url + "/")
    page.get_by_role("link", name="Masuk petugas").click()
    page.get_by_label("Nama pengguna").fill("wati")
    page.get_by_label("Sandi").fill("correct horse battery")
    page.get_by_role("button", name="Masuk").click()
    page.wait_for_url("**/meja/")
    assert page.locator("tbody tr").first.inner_text().count("KTP-el belum jadi") == 1
    assert "Lewat waktu baku" in page.locator("tr.overdue").inner_text()
    # The table scrolls inside its box; the page itself is no wider than the phone.
    assert page.evaluate("document.documentElement.scrollWidth") <= 360

    page.get_by_role("link", name="KTP-el belum jadi").click()
    page.get_by_role("button", name="Kembalikan ke Staf").click()
    assert page.get_by_role("alert").inner_text().count("Tuliskan catatan alasan pengembalian.")
    page.get_by_label("Catatan").fill("Sebutkan loket pengambilan.")
    page.get_by_role("button", name="Kembalikan ke Staf").click()
    assert "Pengaduan kini menunggu Staf" in page.get_by_role("status").inner_text()
    assert page.evaluate("document.documentElement.scrollWidth") <= 360


@pytest.mark.browser
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_inbox_refreshes_itself_and_keeps_budis_place(live_server, page):
    """Budi reads page 2 of his inbox with the keyboard on a row; a complaint comes in; the
    list refreshes in place: the new row shows, he is still on page 2, on the same row."""
    sop_load()
    category, _ = Category.objects.get_or_create(code="ktp-el", defaults={"name": "KTP-el"})
    make_official("budi", "Budi", "staff")

    def file(subject):
        return complaint_register(
            category=category, subject=subject, description="Mohon dibantu.", name="Sari"
        )

    filed = [file(f"Pengaduan {n:02d}") for n in range(27)]  # 25 a page: two on page 2

    page.goto(live_server.url + "/meja/masuk/?next=/meja/%3Fpage%3D2")
    page.get_by_label("Nama pengguna").fill("budi")
    page.get_by_label("Sandi").fill("correct horse battery")
    page.get_by_role("button", name="Masuk", exact=True).click()
    page.wait_for_url("**/meja/?page=2")
    row = f"#baris-{filed[26].pk}-perihal"
    page.focus(row)
    assert page.get_by_role("link", name="Pengaduan 27").count() == 0

    file("Pengaduan 27")
    page.evaluate("aduanRefresh()")

    assert page.get_by_role("link", name="Pengaduan 27").is_visible()
    assert page.url.endswith("/meja/?page=2")
    assert page.evaluate("document.activeElement.id") == row[1:]
    assert page.locator("#inbox-body-status").inner_text() == (
        "Daftar langkah yang menunggu Anda berubah."
    )


@pytest.mark.browser
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_filing_held_for_minutes_shows_on_budis_open_inbox_at_its_next_refresh(live_server, page):
    """Budi keeps his inbox open; the intake worker stops and a web filing waits twelve
    minutes unregistered: the inbox's next refresh tells him, without a reload."""
    sop_load()
    category, _ = Category.objects.get_or_create(code="ktp-el", defaults={"name": "KTP-el"})
    make_official("budi", "Budi", "staff")
    complaint_register(category=category, subject="KTP-el rusak", description="Mohon.", name="Sari")

    page.goto(live_server.url + "/meja/masuk/?next=/meja/")
    page.get_by_label("Nama pengguna").fill("budi")
    page.get_by_label("Sandi").fill("correct horse battery")
    page.get_by_role("button", name="Masuk", exact=True).click()
    page.wait_for_url("**/meja/")
    assert page.locator("#pengaduan-tertahan").count() == 0

    Intake.objects.create(
        tracking_code="ADU-AAAA-0002",
        tracking_digest="-",
        channel="web",
        received_at=timezone.now() - dt.timedelta(minutes=12),
        payload="{}",
    )
    page.evaluate("aduanRefresh()")

    notice = page.locator("#inbox-body #pengaduan-tertahan")
    assert "1 pengaduan dari situs web, Open311 atau API belum tercatat" in notice.inner_text()
    assert page.locator("#inbox-body-status").inner_text() == (
        "Daftar langkah yang menunggu Anda berubah."
    )


def tab_to(page, describe: str, test: str, limit: int = 80) -> None:
    """Press Tab until the focused element passes `test` (a JS expression on `el`)."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate(f"(() => {{ const el = document.activeElement; return {test}; }})()"):
            return
    raise AssertionError(f"Tab never reached {describe}")


@pytest.mark.browser
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_budi_drafts_and_sends_a_complaint_up_with_the_keyboard_alone(live_server, browser):
    """No mouse: Budi signs in, opens the complaint from his inbox, writes the draft, saves
    it and sends it to the Kasi, with Tab, typing and Enter; each focus is visible."""
    sop_load()
    category, _ = Category.objects.get_or_create(code="ktp-el", defaults={"name": "KTP-el"})
    make_official("budi", "Budi", "staff")
    complaint = complaint_register(
        category=category, subject="KTP-el belum jadi", description="Mohon.", name="Sari"
    )
    context = browser.new_context(locale="id-ID", viewport={"width": 1280, "height": 800})
    page = context.new_page()
    try:
        page.goto(live_server.url + "/meja/masuk/")
        tab_to(page, "the user name", "el.name === 'username'")
        page.keyboard.type("budi")
        page.keyboard.press("Tab")
        page.keyboard.type("correct horse battery")
        with page.expect_navigation():
            page.keyboard.press("Enter")
        page.wait_for_url("**/meja/")

        tab_to(page, "the complaint's link", "el.textContent.trim() === 'KTP-el belum jadi'")
        outline = page.evaluate("getComputedStyle(document.activeElement).backgroundColor")
        assert outline == "rgb(255, 221, 0)"  # the focused link is marked
        with page.expect_navigation():
            page.keyboard.press("Enter")
        page.wait_for_url(f"**/meja/pengaduan/{complaint.pk}/")

        tab_to(page, "the draft box", "el.id === 'draft_body'")
        page.keyboard.type("KTP-el Ibu sudah dicetak dan dapat diambil di loket 2.")
        tab_to(page, "the save button", "el.textContent.trim() === 'Simpan konsep'")
        with page.expect_navigation():
            page.keyboard.press("Enter")
        assert "Konsep jawaban tersimpan." in page.get_by_role("status").inner_text()

        tab_to(
            page,
            "the decision button",
            "el.textContent.trim() === 'Kirim konsep ke Kasi untuk diperiksa'",
        )
        with page.expect_navigation():
            page.keyboard.press("Enter")
        assert "Pengaduan kini menunggu Kepala Seksi" in page.get_by_role("status").inner_text()
    finally:
        context.close()
