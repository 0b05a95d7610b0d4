"""Helpers for the answer-letter tests: carry a complaint to its answer as the officials
would (desk services), and read a PDF as a person does.

Personas (STYLE.md): citizen Sari, staff Budi, kasi Wati, kabid Agus, kadis Hadi.
"""

import io
import re

from pypdf import PdfReader

from aduan.complaints.models import ComplaintStep
from aduan.desk.services import desk_decide, draft_save

ANSWER = (
    "KTP-el Ibu sudah dicetak dan dapat diambil di loket 2.\nMohon membawa tanda terima perekaman."
)


def pdf_text(content: bytes) -> str:
    """The PDF's text with whitespace collapsed (lines joined)."""
    text = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)
    return re.sub(r"\s+", " ", text)


def name_officials(budi, wati, agus, hadi, *, nip: str = "197001011990031001") -> None:
    """Give the personas full names; the Kadis a NIP."""
    for user, last in ((budi, "Santoso"), (wati, "Rahayu"), (agus, "Prasetyo"), (hadi, "Wibowo")):
        user.last_name = last
        user.save(update_fields=["last_name"])
    hadi.nip = nip
    hadi.save(update_fields=["nip"])


def carry_to_answer(complaint, *, staff, kasi, kabid, kadis, body=ANSWER, kind="answer"):
    """Draft, verify, approve and send the answer: the last decision issues the letter."""

    def decide(actor):
        step = ComplaintStep.objects.get(complaint=complaint, decided_at__isnull=True)
        outcome = desk_decide(step_id=step.pk, actor=actor, decision="approve")
        assert outcome.ok, outcome.message

    outcome = draft_save(complaint_id=complaint.pk, actor=staff, kind=kind, body=body)
    assert outcome.ok, outcome.message
    for actor in (staff, kasi, kabid, kadis, staff):
        decide(actor)
    complaint.refresh_from_db()
    return complaint.letter
