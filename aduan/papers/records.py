"""The complete record of a complaint (lembar pengaduan): one PDF for the paper archive.

The record reads the complaint as the desk's complaint page does
(aduan.desk.selectors.complaint_record: steps with their titles, roles, acting titles and
working-minute clocks, drafts, messages, attachments) plus the answer letter, in a fixed
number of queries whatever the number of steps, drafts or messages. The complainant is
always printed masked (aduan.complaints.masking): a paper copy is never a reveal.

Printed documents are in Bahasa Indonesia and in the office's time zone, whatever the
language and time zone of the person printing.
"""

import datetime as dt
from dataclasses import dataclass

from django.contrib.staticfiles import finders
from django.utils import timezone, translation

from aduan.complaints.masking import contact_masked
from aduan.complaints.models import Complaint, Draft
from aduan.desk.selectors import TimelineEntry, complaint_record
from aduan.papers.letterhead import letterhead_context
from aduan.papers.models import AnswerLetter
from aduan.papers.pdf import render_pdf

RECORD_TEMPLATE = "papers/record.html"
RECORD_CSS = "css/record.css"
PRINT_LANGUAGE = "id"


@dataclass(frozen=True)
class RecordStep:
    """One step as the record prints it."""

    entry: TimelineEntry
    next_title: str  # the title of the step the decision led to, or ""
    closes: bool  # the decision ended the complaint (the SOP's end)

    @property
    def step(self):
        return self.entry.step


def _record_step(entry: TimelineEntry, definition) -> RecordStep:
    target = entry.step.next_step if entry.step.decided_at else ""
    if not target or target == definition.end:
        return RecordStep(entry, "", closes=bool(target))
    title = definition.step(target).title if definition.has_step(target) else target
    return RecordStep(entry, title, closes=False)


def record_filename(complaint: Complaint) -> str:
    """<agenda-seq>-<year>-<tracking>.pdf, e.g. 00012-2026-AB12CD34.pdf."""
    return f"{complaint.agenda_seq:05d}-{complaint.agenda_year}-{complaint.tracking_code}.pdf"


def record_context(
    *, complaint_id: int, printed_by=None, now: dt.datetime | None = None
) -> dict | None:
    """What templates/papers/record.html prints, or None for an unknown complaint.

    The desk's complaint record (six queries and the working calendar's two), the answer
    letter (one), the letterhead (one).
    """
    now = now or timezone.now()
    record = complaint_record(pk=complaint_id, now=now)
    if record is None:
        return None
    complaint = record.complaint
    definition = record.definition
    letter = (
        AnswerLetter.objects.filter(complaint_id=complaint.pk)
        .only("number", "dated", "issued_at", "kind")
        .first()
    )
    answer_kind = ""
    if complaint.answer_kind:
        kinds = dict(Draft.Kind.choices)
        answer_kind = kinds.get(complaint.answer_kind, complaint.answer_kind)
    return {
        "letterhead": letterhead_context(),
        "doc_ref": f"Lembar Pengaduan {complaint.agenda_number} · {complaint.tracking_code}",
        "complaint": complaint,
        "version": complaint.sop_version,
        "definition": definition,
        "contact": contact_masked(complaint),
        "attachments": record.attachments,
        "steps": [_record_step(entry, definition) for entry in record.timeline],
        "drafts": [version.draft for version in record.drafts],
        "messages": record.messages,
        "answer_kind": answer_kind,
        "letter": letter,
        "printed_by": printed_by,
        "printed_at": now,
    }


def _record_css() -> str:
    found = finders.find(RECORD_CSS)
    if not found:
        raise FileNotFoundError(f"static file {RECORD_CSS} is missing")
    with open(found, encoding="utf-8") as f:
        return f.read()


def render_record(context: dict) -> bytes:
    """The record's PDF from record_context's dict, in Bahasa Indonesia and office time."""
    with translation.override(PRINT_LANGUAGE), timezone.override(timezone.get_default_timezone()):
        return render_pdf(RECORD_TEMPLATE, context, extra_css=_record_css())


def record_pdf(complaint: Complaint | int, *, printed_by=None, now=None) -> bytes | None:
    """The complete record of `complaint` (or its pk) as PDF bytes; None when unknown."""
    pk = complaint.pk if isinstance(complaint, Complaint) else int(complaint)
    context = record_context(complaint_id=pk, printed_by=printed_by, now=now)
    if context is None:
        return None
    return render_record(context)
