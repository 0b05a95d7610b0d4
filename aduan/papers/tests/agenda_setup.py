"""Complaints for the agenda book tests, received on chosen days of November 2026.

Personas (STYLE.md): citizen Sari, staff Budi, kasi Wati, kabid Agus, kadis Hadi.
"""

import datetime as dt
import html
import io
import re
from zoneinfo import ZoneInfo

from django.urls import reverse
from pypdf import PdfReader

from aduan.complaints.models import Complaint
from aduan.complaints.services import complaint_register
from aduan.papers.models import AnswerLetter

WIB = ZoneInfo("Asia/Jakarta")
NOVEMBER = {"dari": "2026-11-01", "sampai": "2026-11-30"}


def at(day: int, hour: int = 9, minute: int = 0, month: int = 11) -> dt.datetime:
    """An instant of 2026 at the office (WIB)."""
    return dt.datetime(2026, month, day, hour, minute, tzinfo=WIB)


def received(when: dt.datetime, category, **fields) -> Complaint:
    """A complaint registered as usual, then dated `when` (as if received then)."""
    fields.setdefault("subject", "KTP-el belum jadi")
    fields.setdefault("description", "Sudah tiga minggu KTP-el saya belum jadi.")
    complaint = complaint_register(category=category, **fields)
    Complaint.objects.filter(pk=complaint.pk).update(received_at=when)
    complaint.refresh_from_db()
    return complaint


def answered(complaint: Complaint, when: dt.datetime, *, signer, number: str = "") -> Complaint:
    """Mark the complaint answered at `when`, with an answer letter when `number` is given."""
    complaint.steps.filter(decided_at__isnull=True).update(decided_at=when, decision="approve")
    Complaint.objects.filter(pk=complaint.pk).update(
        status=Complaint.Status.ANSWERED, current_step="", closed_at=when
    )
    if number:
        AnswerLetter.objects.create(
            complaint=complaint,
            number=number,
            year=when.year,
            seq=AnswerLetter.objects.count() + 1,
            dated=when.date(),
            issued_at=when,
            addressee="Sari Wulandari",
            subject=complaint.subject,
            kind="answer",
            body="KTP-el sudah dapat diambil.",
            signer=signer,
            signer_name="Hadi Wibowo",
            signer_title="Kepala Dinas",
            verify_token=f"token{complaint.pk}",
            content_sha256="0" * 64,
        )
    complaint.refresh_from_db()
    return complaint


def withdrawn(complaint: Complaint, when: dt.datetime) -> Complaint:
    complaint.steps.filter(decided_at__isnull=True).update(decided_at=when, decision="withdrawn")
    Complaint.objects.filter(pk=complaint.pk).update(
        status=Complaint.Status.WITHDRAWN, current_step="", closed_at=when
    )
    complaint.refresh_from_db()
    return complaint


def book_url(**query) -> str:
    from urllib.parse import urlencode

    return reverse("agenda:book") + ("?" + urlencode(query) if query else "")


def page_text(response) -> str:
    """The page as a person reads it: tags removed, whitespace collapsed."""
    text = re.sub(r"<[^>]+>", " ", response.content.decode())
    return re.sub(r"\s+", " ", html.unescape(text)).strip()


def table_rows(response) -> list[str]:
    """The text of each line of the agenda table."""
    markup = response.content.decode()
    body = markup.split("<tbody>", 1)[1].split("</tbody>", 1)[0] if "<tbody>" in markup else ""
    rows = re.findall(r"<tr>(.*?)</tr>", body, flags=re.S)
    return [
        re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", " ", row))).strip() for row in rows
    ]


def content_of(response) -> bytes:
    """The body of a response, streamed or not."""
    if response.streaming:
        return b"".join(response.streaming_content)
    return response.content


def pdf_text(content: bytes) -> str:
    text = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)
    return re.sub(r"\s+", " ", text)
