"""HTML, script, template, formula and SQL payloads typed by citizens and officials come
out as text in every output (issue #9, point 6).

Each payload goes into every text field a person types: the complaint's subject,
description and name (public form), the request for information, the citizen's reply
(tracking page), the draft answer and the Kasi's return note (desk). Then every output is
read as its reader would: the tracking page, the check page, the officials' complaint page
(with the personal data revealed), inbox, complaint list, audit log, the messages queued
for e-mail (and the e-mail they become), the answer letter PDF and the complete record PDF
(their text extracted), the agenda CSV and XLSX, and the JSON API (public and desk).

In HTML the payload must be text: no element, attribute or script made of it; in PDFs it
is literal text; in spreadsheets a formula is never a formula; in JSON it is the exact
string; in e-mail a plain-text body with no header of the payload's making.
"""

import csv
import email
import io
import re
from html.parser import HTMLParser

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook
from pypdf import PdfReader

from aduan.api.tests.conftest import token_of
from aduan.complaints.models import Complaint, ComplaintStep
from aduan.desk.services import desk_decide, draft_save, info_request
from aduan.notify.channels.base import Outgoing
from aduan.notify.channels.email import EmailChannel
from aduan.notify.models import Delivery
from aduan.papers.models import AnswerLetter
from aduan.public.tests.conftest import Citizen
from conftest import make_official

pytestmark = pytest.mark.django_db

PAYLOADS = [
    "<script>alert(1)</script>",
    '"><img src=x onerror=alert(1)>',
    "javascript:alert(1)",
    "<svg onload=alert(1)>",
    "{{7*7}}",
    '=HYPERLINK("http://x")',
    "'; DROP TABLE--",
    "+1+cmd|' /C calc'!A0",
]
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


class _Page(HTMLParser):
    """The text of an HTML page, and anything in it that a browser would run."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.text, self.active, self._in_script = [], [], False

    def handle_starttag(self, tag, attrs):
        for name, value in attrs:
            value = (value or "").strip().lower()
            if name.startswith("on") and "alert(1)" in value:
                self.active.append(f"<{tag} {name}={value!r}>")
            if name in ("href", "src", "action", "formaction") and value.startswith("javascript:"):
                self.active.append(f"<{tag} {name}={value!r}>")
        if tag == "img" and ("src", "x") in attrs:
            self.active.append("<img src=x>")
        self._in_script = tag == "script"

    def handle_endtag(self, tag):
        if tag == "script":
            self._in_script = False

    def handle_data(self, data):
        if self._in_script and "alert(1)" in data:
            self.active.append(f"<script>{data}</script>")
        self.text.append(data)


def squeeze(text: str) -> str:
    return re.sub(r"\s+", "", text)


def html_problems(where: str, content: bytes, payload: str, shown: bool = True) -> list[str]:
    page = _Page()
    page.feed(content.decode())
    problems = [f"{where}: runs {thing}" for thing in page.active]
    # Shown literally: also proves "{{7*7}}" was not evaluated by a template engine.
    if shown and squeeze(payload) not in squeeze("".join(page.text)):
        problems.append(f"{where}: the payload is not shown as text")
    return problems


def page_text(content: bytes) -> str:
    page = _Page()
    page.feed(content.decode())
    return "".join(page.text)


def pdf_problems(where: str, content: bytes, payload: str) -> list[str]:
    assert content.startswith(b"%PDF-"), where
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)
    if squeeze(payload) not in squeeze(text):
        return [f"{where}: the payload is not in the text"]
    return []


def cell_problems(where: str, values: list, payload: str) -> list[str]:
    """Cells of a CSV row or XLSX row holding the payload: never read as a formula."""
    holding = [str(v) for v in values if v is not None and payload in str(v)]
    if not holding:
        return [f"{where}: the payload is not in the row"]
    return [f"{where}: formula cell {v!r}" for v in holding if v.startswith(FORMULA_STARTS)]


def body_of(response) -> bytes:
    if getattr(response, "streaming", False):
        return b"".join(response.streaming_content)
    return response.content


@pytest.fixture(autouse=True)
def _quick(settings, tmp_path):
    """Files in a temporary folder."""
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def dewi(db):
    return make_official("dewi", "Dewi", "auditor")


def open_step(complaint) -> ComplaintStep:
    return ComplaintStep.objects.get(complaint=complaint, decided_at__isnull=True)


def decide(actor, complaint, decision="approve", note=""):
    outcome = desk_decide(
        step_id=open_step(complaint).pk, actor=actor, decision=decision, note=note
    )
    assert outcome.ok, outcome.message


class Case:
    """A complaint carried through the desk with `payload` in every field typed."""

    def __init__(self, payload, *, category, budi, wati, agus, hadi):
        self.payload, self.budi = payload, budi
        self.sari = Citizen(
            Client(),
            {
                "category": str(category.pk),
                "subject": payload,
                "description": f"Uraian: {payload}",
                "name": payload,
                "phone": "0812 3456 7890",
                "email": "sari@contoh.id",
            },
        )
        self.problems: list[str] = []
        self.officials = (budi, wati, agus, hadi)

    def file(self):
        """Sari files it on the public form (subject, description, name), checking the
        check page on the way; the office asks, she answers from the tracking page; Budi
        drafts; Wati returns it with a note; Budi's inbox then shows it."""
        sari, payload, budi = self.sari, self.payload, self.budi
        wati = self.officials[1]
        assert sari.fill().status_code == 302
        self.html("check page", sari.check_page())
        self.code, self.secret = sari.codes(sari.client.get(sari.send().url))
        self.complaint = Complaint.objects.get(tracking_code=self.code)
        assert (self.complaint.subject, self.complaint.name) == (payload, payload)
        sari.track(self.code, self.secret)
        pk = self.complaint.pk
        assert info_request(complaint_id=pk, actor=budi, body=f"Mohon: {payload}")
        reply = sari.client.post(f"/lacak/{self.code}/", {"body": f"Balasan: {payload}"})
        assert reply.status_code == 302
        assert draft_save(complaint_id=pk, actor=budi, kind="answer", body="Jawaban awal.")
        decide(budi, self.complaint)
        decide(wati, self.complaint, "return", note=f"Catatan: {payload}")
        self.desk = Client()
        self.desk.force_login(budi)
        self.html("inbox", self.desk.get(reverse("desk:inbox")))
        assert draft_save(complaint_id=pk, actor=budi, kind="answer", body=payload)

    def approve(self, *, send: bool):
        """Verified by Budi, Wati and Agus, approved by Hadi; sent by Budi when `send`."""
        budi, wati, agus, hadi = self.officials
        for actor in (budi, wati, agus, hadi, budi) if send else (budi, wati, agus, hadi):
            decide(actor, self.complaint)
        self.complaint.refresh_from_db()

    def html(self, where, response, payload=None):
        self.problems += html_problems(where, response.content, payload or self.payload)

    def check(self):
        assert not self.problems, "\n".join(self.problems)


@pytest.fixture
def case(sop_version, category, budi, wati, agus, hadi):
    return lambda payload: Case(
        payload, category=category, budi=budi, wati=wati, agus=agus, hadi=hadi
    )


@pytest.mark.parametrize("payload", PAYLOADS)
def test_a_payload_in_every_field_comes_out_as_text_in_pages_sheets_json_and_email(
    payload, case, dewi, settings
):
    case = case(payload)
    case.file()
    case.approve(send=False)
    complaint, desk, sari = case.complaint, case.desk, case.sari

    # The citizen's outputs.
    case.html("tracking page", sari.client.get(f"/lacak/{case.code}/"))
    status = sari.client.get(
        f"/api/v1/complaints/{case.code}/status", HTTP_X_TRACKING_SECRET=case.secret
    )
    assert status["Content-Type"].startswith("application/json")
    if status.json()["subject"] != payload:
        case.problems.append("public API: the subject is not the exact string")

    # The officials' pages.
    case.html("complaint page", desk.get(reverse("desk:complaint", args=[complaint.pk])))
    revealed = desk.post(reverse("desk:reveal", args=[complaint.pk]))
    for shown in (payload, f"Uraian: {payload}", f"Balasan: {payload}", f"Mohon: {payload}"):
        case.html("complaint page, revealed", revealed, shown)
    case.html("complaint list", desk.get(reverse("desk:complaints")))
    auditor = Client()
    auditor.force_login(dewi)
    case.html("audit log (the return note)", auditor.get(reverse("desk:audit")))

    # The agenda book's exports: the subject and the complainant's name are cells.
    book = reverse("agenda:book")
    rows = list(csv.reader(io.StringIO(body_of(desk.get(book, {"format": "csv"})).decode())))
    [row] = [r for r in rows if complaint.agenda_number in r]
    case.problems += cell_problems("agenda CSV", row, payload)
    sheet = load_workbook(io.BytesIO(body_of(desk.get(book, {"format": "xlsx"})))).active
    [cells] = [r for r in sheet.iter_rows() if any(c.value == complaint.agenda_number for c in r)]
    case.problems += cell_problems("agenda XLSX", [c.value for c in cells], payload)
    case.problems += [
        f"agenda XLSX: formula cell {c.coordinate}" for c in cells if c.data_type == "f"
    ]

    # The desk API: JSON carries the exact strings.
    detail = desk.get(
        f"/api/v1/desk/complaints/{complaint.pk}",
        HTTP_AUTHORIZATION=f"Bearer {token_of(case.budi)}",
    ).json()
    if detail["subject"] != payload or payload not in [d["body"] for d in detail["drafts"]]:
        case.problems.append("desk API: subject or draft is not the exact string")
    if f"Catatan: {payload}" not in [s["note"] for s in detail["steps"]]:
        case.problems.append("desk API: the return note is not the exact string")

    # Messages: every e-mail queued, and the e-mail each becomes: plain text, with no
    # header of the payload's making.
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    emails = Delivery.objects.filter(to__contains="@").order_by("id")
    for delivery in emails:
        EmailChannel().send(
            Outgoing(
                to=delivery.to,
                subject=delivery.subject,
                body=delivery.body,
                idempotency_key=str(delivery.idempotency_key),
            )
        )
    if squeeze(f"Mohon:{payload}") not in squeeze("".join(d.body for d in emails)):
        case.problems.append("e-mail: the request for information is not in the message")
    assert mail.outbox
    for sent in mail.outbox:
        parsed = email.message_from_bytes(sent.message().as_bytes())
        if "text/html" in {part.get_content_type() for part in parsed.walk()}:
            case.problems.append(f"e-mail to {sent.to}: has an HTML part")
        if parsed["Bcc"] or parsed["Cc"] or len(parsed.get_all("To")) != 1:
            case.problems.append(f"e-mail to {sent.to}: extra recipients")
    case.check()


def test_every_payload_at_once_is_literal_text_in_the_letter_the_record_and_the_answer(case):
    """The documents, once for all the payloads (rendering PDFs is slow): the answer
    letter, the complete record, and the answer on the tracking page."""
    payloads = " ".join(PAYLOADS)
    assert len(payloads) <= 200  # fits the subject
    case = case(payloads)
    case.file()
    case.approve(send=True)
    complaint, desk = case.complaint, case.desk
    assert complaint.status == Complaint.Status.ANSWERED and complaint.answer_text == payloads
    case.html("tracking page, answered", case.sari.client.get(f"/lacak/{case.code}/"))

    letter = AnswerLetter.objects.get(complaint=complaint)
    letter_pdf = body_of(desk.get(reverse("letters:desk_pdf", args=[letter.pk])))
    record = body_of(desk.get(reverse("records:complaint_pdf", args=[complaint.pk])))
    for payload in PAYLOADS:
        case.problems += pdf_problems("answer letter", letter_pdf, payload)
        case.problems += pdf_problems("complete record", record, payload)
    for field in ("Uraian", "Mohon", "Balasan", "Catatan"):
        case.problems += pdf_problems("complete record", record, f"{field}: {payloads}")
    case.check()


@pytest.mark.parametrize("payload", PAYLOADS)
def test_a_form_that_comes_back_with_errors_shows_the_payload_as_typed_and_inert(
    payload, sop_version, category
):
    sari = Citizen(
        Client(),
        {"category": str(category.pk), "subject": payload, "description": payload},
    )
    response = sari.fill()  # no name and no contact: the form comes back with errors
    assert response.status_code == 200
    problems = html_problems("form with errors", response.content, payload)
    assert not problems, "\n".join(problems)
