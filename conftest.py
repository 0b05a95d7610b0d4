"""Shared test fixtures: the SOP in force and the named personas.

Personas (STYLE.md): citizen Sari, staff Budi, kasi Wati, kabid Agus, kadis Hadi.
"""

import os

import pytest

from aduan.accounts.models import RoleGrant, User


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    """Every test hashes passwords with a fast hasher: Django's default (PBKDF2, a million
    rounds) took about 0.4 s an official, and most tests make four. No test is about the
    hasher itself; a subprocess (`make run`, the crash tests) keeps the real one."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _office_language():
    """Each test starts in the office's language: a request in English (LocaleMiddleware
    activates it on the thread) must not change what a later test's services say."""
    from django.utils import translation

    translation.deactivate()
    yield
    translation.deactivate()


def make_official(username: str, first_name: str, *roles: str) -> User:
    user = User.objects.create_user(
        username=username, first_name=first_name, password="correct horse battery", is_staff=True
    )
    for role in roles:
        RoleGrant.objects.create(user=user, role=role)
    return user


@pytest.fixture
def sop_version(db):
    from aduan.sop.services import sop_load

    version, _created = sop_load()
    return version


@pytest.fixture
def budi(db):
    return make_official("budi", "Budi", "staff")


@pytest.fixture
def wati(db):
    return make_official("wati", "Wati", "kasi")


@pytest.fixture
def agus(db):
    return make_official("agus", "Agus", "kabid")


@pytest.fixture
def hadi(db):
    return make_official("hadi", "Hadi", "kadis")


@pytest.fixture
def category(db):
    from aduan.complaints.models import Category

    # get_or_create: a transactional test elsewhere may have flushed the migration's rows.
    category, _ = Category.objects.get_or_create(code="ktp-el", defaults={"name": "KTP-el"})
    return category


@pytest.fixture
def complaint_of_sari(sop_version, category):
    """A complaint filed by citizen Sari, registered and waiting at the first step."""
    from aduan.complaints.services import complaint_register

    return complaint_register(
        category=category,
        subject="KTP-el belum jadi",
        description="Sudah tiga minggu KTP-el saya belum jadi.",
        name="Sari Wulandari",
        phone="+6281234567890",
    )


def browser_required() -> bool:
    return os.environ.get("ADUAN_REQUIRE_BROWSER", "") not in ("", "0")


@pytest.fixture(scope="session")
def browser():
    """Debian's Chromium driven by Playwright; skips without it unless CI requires it."""
    import shutil

    executable = shutil.which("chromium") or shutil.which("chromium-browser")
    if executable is None:
        message = "no Chromium on this machine (Debian: apt install chromium)"
        if browser_required():
            pytest.fail(f"ADUAN_REQUIRE_BROWSER is set but there is {message}")
        pytest.skip(message)
    # Playwright's sync API runs an event loop in this thread; Django's ORM calls made by
    # the test itself (fixtures, assertions) are still synchronous and safe.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=executable,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
            ],
        )
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(locale="id-ID", viewport={"width": 360, "height": 740})
    tab = context.new_page()
    yield tab
    context.close()


def run_at_once(*calls, prepared: bool = False, timeout: float = 60) -> list:
    """Run each call in its own thread on its own database connection, released together.

    With prepared=True each call first prepares on its thread (connects, loads what it
    needs) and returns what to run once every thread is ready. Returns the results in order;
    fails the test if any call raised or hung.
    """
    import threading

    from django.db import connection

    barrier = threading.Barrier(len(calls), timeout=timeout)
    results: list = [None] * len(calls)
    errors: list[BaseException] = []

    def run(index, call):
        try:
            connection.ensure_connection()
            ready = call() if prepared else call
            barrier.wait()
            results[index] = ready()
        except BaseException as exc:  # reported to the test below
            errors.append(exc)
            barrier.abort()
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i, call)) for i, call in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout)
    assert not any(thread.is_alive() for thread in threads), "a thread did not finish"
    assert errors == [], f"an exception escaped a thread: {errors!r}"
    return results


_STARTED: list[float] = []


def pytest_sessionstart(session):
    import time

    _STARTED.append(time.time())


def pytest_terminal_summary(terminalreporter):
    """Say where the page walk (aduan/core/tests/test_pages_checked.py) left its
    screenshots in this run, for the person who looks at them."""
    from aduan.core.tests.page_walk import screenshot_root

    folder = screenshot_root()
    shots = list(folder.glob("*/*/*.png")) if folder.exists() else []
    if shots and _STARTED and max(p.stat().st_mtime for p in shots) >= _STARTED[0]:
        terminalreporter.write_line(f"Screenshots of every page, per role and viewport: {folder}")
