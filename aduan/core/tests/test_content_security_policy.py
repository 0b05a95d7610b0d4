"""Every page carries a Content-Security-Policy that refuses inline script and style, and no
page needs them: no <style>, no style="", no <script> without src, no on…= handler, no
javascript: address. An injected tag or attribute then does nothing in the browser.

The pages are every route of the site (aduan.core.tests.test_access_matrix, read from the
URL configuration) as each visitor who may open it sees it, plus the pages a route shows
only after something happened (a form with errors, check your answers, the
confirmation), the error pages and Django's admin.
"""

from html.parser import HTMLParser

import pytest
from django.conf import settings
from django.contrib import admin
from django.test import Client, RequestFactory
from django.urls import reverse

from aduan.core.tests import test_access_matrix as matrix
from aduan.core.tests.security_world import PERSONAS, body_of
from aduan.core.tests.test_access_matrix import ADMIN, OK, ROUTES, ask, status_class

# The access matrix's world (its documents are quick stand-ins for the rendered PDFs).
world = matrix.world

pytestmark = pytest.mark.django_db
POLICY = settings.CONTENT_SECURITY_POLICY
# <script type="application/json">: data for a script to read, never run (the API docs).
DATA_BLOCKS = {"application/json", "application/ld+json"}
URL_ATTRIBUTES = {"href", "src", "action", "formaction", "xlink:href"}


class InlineFinder(HTMLParser):
    """What in a page the policy would refuse."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.found: list[str] = []

    def handle_starttag(self, tag, attrs):
        names = dict(attrs)
        for name, value in attrs:
            if name == "style":
                self.found.append(f'<{tag} style="{value}">')
            elif name.startswith("on"):
                self.found.append(f"<{tag} {name}=…>")
            elif name in URL_ATTRIBUTES and (value or "").strip().lower().startswith("javascript:"):
                self.found.append(f'<{tag} {name}="{value}">')
        if tag == "style":
            self.found.append("<style>")
        if tag == "script" and not names.get("src"):
            if (names.get("type") or "").lower() not in DATA_BLOCKS:
                self.found.append("<script> without src")

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)


def inline_in(content: bytes) -> list[str]:
    finder = InlineFinder()
    finder.feed(content.decode("utf-8", "replace"))
    finder.close()
    return finder.found


def is_markup(response) -> bool:
    kind = response.get("Content-Type", "")
    return kind.startswith(("text/html", "image/svg+xml"))


def problems_of(label: str, response) -> list[str]:
    """Why this response fails the test: a missing or weaker policy, inline content. A
    page has the site's policy; a file may have a stricter one of its own."""
    problems = []
    policy = response.get("Content-Security-Policy")
    if policy is None:
        problems.append(f"{label}: no Content-Security-Policy")
    elif policy != POLICY and (is_markup(response) or "unsafe-inline" in policy):
        problems.append(f"{label}: another policy: {policy}")
    if is_markup(response):
        problems += [f"{label}: {found}" for found in inline_in(body_of(response))]
    return problems


def test_the_policy_allows_nothing_inline_nor_from_elsewhere():
    directives = dict(part.strip().split(" ", 1) for part in POLICY.split(";"))
    assert "unsafe-inline" not in POLICY and "unsafe-eval" not in POLICY
    assert directives["default-src"] == "'self'"
    assert directives["script-src"] == "'self'"
    assert directives["style-src"] == "'self'"
    assert directives["frame-ancestors"] == "'none'"
    assert directives["object-src"] == "'none'"


def test_the_finder_sees_each_kind_of_inline_content():
    page = (
        b'<p style="color:red">x</p><style>p{}</style><script>alert(1)</script>'
        b'<img src="x" onerror="alert(1)"><a href=" JavaScript:alert(1)">a</a>'
        b'<script src="/static/x.js"></script><script type="application/json">{}</script>'
        b'<svg><rect fill="#fff" width="1"/><rect style="fill:red"/></svg>'
    )
    assert inline_in(page) == [
        '<p style="color:red">',
        "<style>",
        "<script> without src",
        "<img onerror=…>",
        '<a href=" JavaScript:alert(1)">',
        '<rect style="fill:red">',
    ]


def test_every_page_of_every_visitor_carries_the_policy_and_nothing_inline(world):
    problems, pages = [], 0
    for name, route in {**ROUTES, "admin:index": ADMIN}.items():
        for persona in PERSONAS:
            request = route.url(world, persona)
            if request.method != "GET" or route.expected[persona] != OK:
                continue
            response = ask(world, persona, request)
            assert status_class(response) == OK, (name, persona)
            problems += problems_of(f"{name} ({persona})", response)
            pages += is_markup(response)
    assert problems == []
    assert pages >= 60  # the pages themselves, not only files and JSON


@pytest.fixture
def sari_answers(world):
    return {
        "category": str(world.a.category.pk),
        "subject": "KTP-el belum jadi",
        "description": "Sudah tiga minggu sejak perekaman, KTP-el saya belum jadi.",
        "name": "Sari Wulandari",
        "phone": "0812 3456 7890",
    }


def test_pages_shown_after_something_happened_carry_nothing_inline(world, client, sari_answers):
    """A form with its errors, check your answers, the confirmation, a complaint waiting
    for its draft, a desk form with errors, the expired-form and not-found pages."""
    problems = []
    problems += problems_of("form with errors", client.post("/lapor/", {"subject": ""}))
    assert client.post("/lapor/", sari_answers).status_code == 302
    problems += problems_of("check answers", client.get("/lapor/periksa/"))
    key = client.session["lapor"]["key"]
    done = client.post("/lapor/periksa/", {"kunci": key}, follow=True)
    assert done.status_code == 200
    problems += problems_of("confirmation", done)

    staff = world.client("staff")
    b_page = reverse("desk:complaint", args=[world.b.pk])
    problems += problems_of("complaint waiting for staff", staff.get(b_page))
    problems += problems_of(
        "draft with errors", staff.post(reverse("desk:draft", args=[world.b.pk]), {})
    )
    problems += problems_of("desk 404", staff.get("/meja/pengaduan/999999/"))
    problems += problems_of("public 404", client.get("/tidak-ada/"))
    strict = Client(enforce_csrf_checks=True)
    problems += problems_of("expired form", strict.post("/lacak/", {"code": "x"}))
    assert problems == []


def test_the_admin_pages_carry_the_policy_and_nothing_inline(world):
    """Django's admin draws its pages with static scripts and stylesheets only: the site's
    policy serves it unchanged. Its login page, and each model's list, add and change page."""
    from aduan.notify.models import MessageText

    MessageText.objects.create(  # its page shows a preview of the wording
        kind="received", language="id", subject="Diterima: {kode_lacak}", body="Baris 1\nBaris 2"
    )
    problems, not_shown = [], []
    problems += problems_of("admin login", Client().get(reverse("admin:login")))
    browser = world.client("admin")
    as_admin = RequestFactory().get("/admin/")
    as_admin.user = world.users["admin"]
    addresses = [reverse("admin:index")]
    for model, model_admin in admin.site._registry.items():
        base = f"admin:{model._meta.app_label}_{model._meta.model_name}"
        addresses.append(reverse(f"{base}_changelist"))
        if model_admin.has_add_permission(as_admin):
            addresses.append(reverse(f"{base}_add"))
        first = model._default_manager.order_by("pk").first()
        if first is not None:
            addresses.append(reverse(f"{base}_change", args=[first.pk]))
    for address in addresses:
        response = browser.get(address)
        if response.status_code != 200:
            not_shown.append((address, response.status_code))
        problems += problems_of(address, response)
    assert (problems, not_shown) == ([], [])
    assert len(addresses) > 30


def test_a_view_s_stricter_policy_is_kept(world):
    """An attachment shown in the browser keeps its own sandboxing policy."""
    from aduan.complaints.models import Attachment

    png = Attachment.objects.filter(complaint=world.a, content_type="image/png").get()
    response = world.client("staff").get(reverse("desk:attachment", args=[png.pk]))
    assert response.status_code == 200
    assert response["Content-Security-Policy"] == "default-src 'none'; img-src 'self'; sandbox"


@pytest.mark.browser
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_browser_reports_no_policy_violation_on_the_form_and_the_dashboard(
    live_server, page, sop_version, category, hadi
):
    """Chromium enforces the policy and says so in the console when it refuses something."""
    console = []
    page.on("console", lambda message: console.append(message.text))

    page.goto(live_server.url + "/lapor/")
    assert page.get_by_role("heading", level=1).is_visible()
    page.goto(live_server.url + "/meja/masuk/?next=/meja/dasbor/")
    page.fill("#id_username", "hadi")
    page.fill("#id_password", "correct horse battery")
    page.get_by_role("button", name="Masuk", exact=True).click()
    page.wait_for_url("**/meja/dasbor/")
    assert page.locator("figure svg").first.is_visible()  # the server-drawn charts

    # What Chromium writes when it refuses: "Applying inline style violates the following
    # Content Security Policy directive …" (older: "Refused to apply inline style …").
    assert [text for text in console if "Content Security Policy" in text] == []

    # And the policy is in force: a style slipped into the page now is refused, and heard.
    with page.expect_console_message(
        lambda message: "Content Security Policy" in message.text, timeout=5000
    ):
        page.evaluate("document.body.insertAdjacentHTML('beforeend', '<p style=\"x\">x</p>')")
