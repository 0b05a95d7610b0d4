"""Complaints carried through the SOP for the complete-record tests, with the real services.

Personas (STYLE.md): citizen Sari, staff Budi, kasi Wati, kabid Agus, kadis Hadi.
"""

import io

from pypdf import PdfReader

from aduan.complaints.models import ComplaintStep
from aduan.complaints.services import complaint_register
from aduan.desk.services import citizen_reply, desk_decide, draft_save, info_request


def sari_with_attachments(category):
    """Sari's complaint with a photo of her receipt and a PDF letter (MEDIA_ROOT set)."""
    from aduan.desk.tests.conftest import PDF, PNG, new_attachment

    return complaint_register(
        category=category,
        subject="Foto tanda terima",
        description="Tanda terima terlampir.",
        name="Sari Wulandari",
        phone="+6281234567890",
        nik="3576014101900012",
        attachments=[
            new_attachment("tanda terima.png", PNG, "image/png"),
            new_attachment("surat.pdf", PDF, "application/pdf"),
        ],
    )


def pdf_text(content: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)


def flat(text: str) -> str:
    """PDF text with its line breaks and repeated spaces made single spaces."""
    return " ".join(text.split())


def _open_step(complaint) -> ComplaintStep:
    return ComplaintStep.objects.get(complaint=complaint, decided_at__isnull=True)


def decide(complaint, actor, decision="approve", note=""):
    outcome = desk_decide(
        step_id=_open_step(complaint).pk, actor=actor, decision=decision, note=note
    )
    assert outcome.ok, outcome.message


def draft(complaint, actor, body, kind="answer"):
    outcome = draft_save(complaint_id=complaint.pk, actor=actor, kind=kind, body=body)
    assert outcome.ok, outcome.message


def carry_to_answer(complaint, *, budi, wati, agus, hadi, returns: int = 1) -> None:
    """Budi asks Sari for information, she replies; Budi drafts, Wati returns it `returns`
    times with a note, then it goes up to Hadi, who approves, and Budi sends the answer."""
    assert info_request(
        complaint_id=complaint.pk, actor=budi, body="Mohon kirim nomor registrasi berkas."
    ).ok
    assert citizen_reply(complaint=complaint, body="Nomor registrasi 1234/KTP/2026.").ok
    for i in range(returns):
        draft(complaint, budi, f"Konsep putaran {i}:\nberkas sedang diproses.")
        decide(complaint, budi)
        decide(complaint, wati, "return", f"Catatan Kasi {i}: sebutkan jadwal pengambilan.")
    draft(complaint, budi, "Jawaban akhir:\nKTP-el dapat diambil di loket 2 mulai Senin.")
    decide(complaint, budi)
    decide(complaint, wati, note="Sudah lengkap.")
    decide(complaint, agus, note="Setuju diteruskan.")
    decide(complaint, hadi, note="Disetujui.")
    decide(complaint, budi)
