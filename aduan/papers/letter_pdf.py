"""The answer letter as a PDF: templates/papers/letter.html, signed when configured."""

from django.contrib.staticfiles import finders
from django.utils import timezone, translation

from aduan.papers.letterhead import letterhead_context
from aduan.papers.models import AnswerLetter
from aduan.papers.pdf import render_pdf
from aduan.papers.qr import qr_data_uri, verify_url
from aduan.papers.signing import pdf_sign, signing_configured

LETTER_CSS = "css/letter.css"


def letter_context(*, letter: AnswerLetter) -> dict:
    """What templates/papers/letter.html prints."""
    complaint = letter.complaint
    url = verify_url(letter.verify_token)
    return {
        "letter": letter,
        "agenda_number": complaint.agenda_number,
        "tracking_code": complaint.tracking_code,
        "received_on": timezone.localdate(
            complaint.received_at, timezone=timezone.get_default_timezone()
        ),
        "letterhead": letterhead_context(letter.letterhead or None),
        "doc_ref": letter.number,
        "doc_author": letter.letterhead.get("office", ""),
        "verify_url": url,
        "qr_src": qr_data_uri(url),
    }


def letter_pdf_build(*, letter: AnswerLetter) -> tuple[bytes, bool]:
    """(PDF bytes, signed?) of the letter: always in Bahasa Indonesia (month names too)."""
    with translation.override("id"):
        content = render_pdf(
            "papers/letter.html",
            {**letter_context(letter=letter), "LANGUAGE_CODE": "id"},
            extra_css=open(finders.find(LETTER_CSS), encoding="utf-8").read(),
        )
    if signing_configured():
        return pdf_sign(content), True
    return content, False
