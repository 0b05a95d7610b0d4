"""Every page of each role, in Chromium on a 360-px phone and on a desktop: axe-core finds no
serious or critical WCAG 2.2 AA violation, nothing is wider than the phone, nothing is loaded
from outside the installation, the Nu HTML checker finds the HTML valid, and a screenshot
of each page is kept for a person to look at (the folder is printed at the end of the run).

The office is the demo's (`make run`): four officials and complaints at every step. The
citizen files a complaint through the form (with its errors), follows it, and reads an
answered one; each official signs in and walks every page their menu and inbox lead to.
"""

import shutil
from importlib import import_module

import pytest
from django.test import override_settings

from aduan.accounts.selectors import office_today
from aduan.core.tests.page_walk import (
    VIEWPORTS,
    Walk,
    checkers_or_skip,
    nu_errors,
    screenshot_root,
)
from aduan.public.tests.conftest import fill_in_the_form

PASSWORD = "aduan-demo"


@pytest.fixture
def office(settings, sop_version):
    from django.apps import apps

    from aduan.core.demo import demo_load

    # The default categories, as the migration makes them: a transactional test run before
    # this one on the same database may have flushed them.
    import_module("aduan.complaints.migrations.0002_default_categories").add_categories(apps, None)
    settings.DEMO = True
    # As production runs: a filing is an intake until the intake worker registers it.
    settings.INTAKE_AT_ONCE = False
    demo_load()


def walk_in_each_viewport(browser, live_server, role, steps) -> list[Walk]:
    """Run `steps(walk)` in a fresh browser context per viewport; return the walks."""
    checkers_or_skip()
    walks = []
    for viewport, size in VIEWPORTS.items():
        folder = screenshot_root() / role / viewport
        shutil.rmtree(folder, ignore_errors=True)
        folder.mkdir(parents=True)
        context = browser.new_context(
            locale="id-ID", viewport=size, timezone_id="Asia/Jakarta", bypass_csp=True
        )
        try:
            walk = Walk(context.new_page(), live_server.url, role, viewport, folder)
            steps(walk)
            walks.append(walk)
        finally:
            context.close()
    return walks


def assert_clean(walks: list[Walk], expected: set[str]) -> None:
    problems = [p for walk in walks for p in walk.problems]
    outside = [u for walk in walks for u in walk.outside]
    html = {name: markup for walk in walks for name, markup in walk.html.items()}
    invalid = nu_errors(html, screenshot_root() / "html")
    for walk in walks:
        missing = expected - set(walk.visited)
        assert not missing, f"{walk.role}/{walk.viewport} never reached {sorted(missing)}"
    assert not problems, "\n".join(problems)
    assert not outside, f"requests outside the installation: {outside}"
    assert not invalid, "Nu HTML checker:\n" + "\n".join(invalid)


def sign_in(walk: Walk, username: str) -> None:
    page = walk.page
    page.goto(walk.url("/meja/masuk/"))
    page.get_by_label("Nama pengguna").fill(username)
    page.get_by_label("Sandi").fill(PASSWORD)
    page.get_by_role("button", name="Masuk", exact=True).click()
    page.wait_for_load_state()


def citizen_steps(answered_link: str, asked_link: str):
    def steps(walk: Walk) -> None:
        page = walk.page
        walk.goto("/", "home")
        walk.goto("/sop/", "sop")
        walk.goto("/lapor/", "form")
        page.get_by_role("button", name="Lanjutkan").last.click()
        walk.check("form with errors")
        # The error summary takes the focus, so a screen reader reads it first.
        assert page.evaluate("document.activeElement.classList.contains('error-summary')")
        fill_in_the_form(page)
        walk.check("check answers")
        page.get_by_role("button", name="Kirim pengaduan").click()
        page.wait_for_url("**/lapor/terkirim/")
        walk.check("confirmation")
        page.get_by_role("link", name="Lacak pengaduan ini").click()
        walk.check("tracking, being recorded")
        from aduan.complaints.intake import intakes_register

        assert intakes_register() == 1  # a pass of the intake worker
        page.get_by_role("link", name="Muat ulang").click()
        page.wait_for_load_state()
        walk.check("tracking, just filed")
        walk.crawl(walk.links(("/lacak/",)), ("/lacak/",), limit=12)
        walk.goto("/lacak/", "track form")
        page.get_by_label("Kode lacak").fill("XXXX-0000")
        page.get_by_role("button", name="Lacak").click()
        walk.check("track form with an error")
        walk.goto(answered_link, "tracking, answered")
        walk.crawl(walk.links(("/lacak/", "/surat/")), ("/lacak/", "/surat/"), limit=20)
        walk.goto(asked_link, "tracking, asked for information")
        walk.goto("/privasi/", "privacy")
        walk.goto("/bantuan/", "help")
        walk.goto("/meja/masuk/", "officials sign in")
        page.get_by_label("Nama pengguna").fill("staff")
        page.get_by_label("Sandi").fill("salah")
        page.get_by_role("button", name="Masuk", exact=True).click()
        walk.check("sign in with an error")
        walk.goto("/tidak-ada/", "not found", status=404)
        # In English, by the switch on every page.
        walk.goto("/lapor/", "form")
        page.get_by_role("button", name="English").click()
        page.wait_for_load_state()
        walk.check("form in english")

    return steps


@pytest.mark.browser
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
@override_settings(PUBLIC_URL="")
def test_the_citizens_pages_pass_the_checks_on_a_phone_and_a_desktop(live_server, browser, office):
    from aduan.complaints.models import Complaint
    from aduan.notify.links import citizen_link

    answered = Complaint.objects.filter(status=Complaint.Status.ANSWERED).first()
    asked = Complaint.objects.filter(awaiting_reply_since__isnull=False).first()
    walks = walk_in_each_viewport(
        browser, live_server, "warga", citizen_steps(citizen_link(answered), citizen_link(asked))
    )
    assert_clean(
        walks,
        {
            "/",
            "/sop/",
            "/lapor/",
            "/lapor/periksa/",
            "/lapor/terkirim/",
            "/lacak/",
            "/lacak/KODE/",
            "/lacak/KODE/data-saya/",
            "/privasi/",
            "/bantuan/",
            "/meja/masuk/",
        },
    )


def official_steps(username: str):
    def steps(walk: Walk) -> None:
        page = walk.page
        sign_in(walk, username)
        walk.check("inbox")
        walk.crawl(["/meja/", *walk.links(("/meja/",))], ("/meja/", "/surat/"), limit=40)
        if "/meja/dasbor/rekap/" in walk.visited:
            # The recap opens on last month, which holds the office's complaints only on a
            # month's first hours; this month's always lists them, open ones included.
            month = office_today().strftime("%Y-%m")
            walk.goto(f"/meja/dasbor/rekap/?bulan={month}", "recap of this month")
        # A decision without its required note: the page says what is missing.
        walk.goto("/meja/", "inbox")
        rows = page.locator("table.desk tbody a")
        if rows.count():
            rows.first.click()
            page.wait_for_load_state()
            returns = page.locator("form.decide button.return")
            if returns.count():
                returns.first.click()
                walk.check("decision without its note")

    return steps


OFFICIAL_PAGES = {
    "/meja/",
    "/meja/semua/",
    "/meja/pengaduan/N/",
    "/meja/pengaduan/baru/",
    "/meja/dasbor/",
    "/meja/agenda/",
    "/meja/lembar/",
    "/meja/laporan/mutu-baku/",
    "/meja/pemberitahuan/",
    "/meja/akun/keamanan/",
}


@pytest.mark.browser
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
@pytest.mark.parametrize("username", ["staff", "kasi", "kabid", "kadis"])
def test_each_officials_pages_pass_the_checks_on_a_phone_and_a_desktop(
    live_server, browser, office, username
):
    walks = walk_in_each_viewport(browser, live_server, username, official_steps(username))
    assert_clean(walks, OFFICIAL_PAGES)


@pytest.mark.browser
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_administrators_sign_in_pages_pass_the_checks(live_server, browser, office):
    """The administrator must set up an authenticator first; Django's own admin pages
    (for the office's IT) are not walked (docs/accessibility.md says why)."""

    def steps(walk: Walk) -> None:
        sign_in(walk, "admin")
        walk.check("authenticator set-up")

    walks = walk_in_each_viewport(browser, live_server, "admin", steps)
    assert_clean(walks, {"/meja/masuk/autentikator/"})
