"""Helpers for the tests of the SLA clock: complaints filed, moved and answered the way
officials and citizens do it, through the real services.

Personas (STYLE.md): citizen Sari, staff Budi, kasi Wati, kabid Agus, kadis Hadi; here also
auditor Dewi and staff Eko.
"""

import datetime as dt
from zoneinfo import ZoneInfo

from aduan.complaints.models import Category, Complaint, ComplaintStep
from aduan.complaints.services import complaint_register
from aduan.desk.services import citizen_reply, desk_decide, draft_save, info_request
from aduan.notices.models import Notice
from conftest import make_official

JAKARTA = ZoneInfo("Asia/Jakarta")
# A working Wednesday: 07:30–16:00, break 12:00–13:00.
WEDNESDAY_9 = "2026-02-18 09:00 +0700"


def at(text: str) -> dt.datetime:
    """'2026-02-18 09:00' on the office's clock in Jakarta."""
    return dt.datetime.fromisoformat(text).replace(tzinfo=JAKARTA)


def dewi():
    return make_official("dewi", "Dewi", "auditor")


def eko():
    return make_official("eko", "Eko", "staff")


def a_category() -> Category:
    category, _created = Category.objects.get_or_create(code="ktp-el", defaults={"name": "KTP-el"})
    return category


def file_complaint(subject: str = "KTP-el belum jadi") -> Complaint:
    """Citizen Sari files a complaint now."""
    return complaint_register(
        category=a_category(),
        subject=subject,
        description="Sudah tiga minggu KTP-el saya belum jadi.",
        name="Sari Wulandari",
        phone="+6281234567890",
    )


def open_step(complaint) -> ComplaintStep:
    return ComplaintStep.objects.get(complaint=complaint, decided_at__isnull=True)


def approve(complaint, actor) -> ComplaintStep:
    """The open step approved by `actor` (Staff write a draft first); the new open step."""
    if not complaint.drafts.exists():
        assert draft_save(complaint_id=complaint.pk, actor=actor, kind="answer", body="Konsep.")
    outcome = desk_decide(step_id=open_step(complaint).pk, actor=actor, decision="approve")
    assert outcome.ok, outcome.message
    return outcome.next_step


def send_back(complaint, actor, note: str = "Perbaiki.") -> ComplaintStep:
    outcome = desk_decide(
        step_id=open_step(complaint).pk, actor=actor, decision="return", note=note
    )
    assert outcome.ok, outcome.message
    return outcome.next_step


def ask(complaint, staff, question: str = "Mohon kirim nomor antrean.") -> None:
    outcome = info_request(complaint_id=complaint.pk, actor=staff, body=question)
    assert outcome.ok, outcome.message


def reply(complaint, answer: str = "Nomor antrean 17.") -> None:
    complaint.refresh_from_db()
    outcome = citizen_reply(complaint=complaint, body=answer)
    assert outcome.ok, outcome.message


def notices(kind: str | None = None) -> list[tuple[str, str, int]]:
    """(recipient, kind, step seq) of every notice, sorted."""
    rows = Notice.objects.select_related("recipient", "step")
    if kind:
        rows = rows.filter(kind=kind)
    return sorted((n.recipient.username, n.kind, n.step.seq if n.step else 0) for n in rows)
