"""The citizen's copy of their data (UU 27/2022, hak akses): everything held about them for
one complaint, and its processing history, produced at once from the tracking page.

What it holds: the complaint as filed, their identity in full (they are the data subject),
the messages exchanged, the attachments (names, types, sizes, SHA-256), the answer and the
letter's number, their rating, the messages sent to them (channel, address, when), and the
audit events about the complaint: when, what, and by which role. Never an official's name
(except the signer as printed on the letter), an official's note or draft, or anything of
another complaint (a reopened one is named by its tracking code only).
"""

import datetime as dt

from django.conf import settings
from django.core.exceptions import ObjectDoesNotExist
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from aduan.audit.models import AuditEvent
from aduan.audit.services import audit_record
from aduan.complaints.models import Complaint

FORMAT_VERSION = 1

# The actions the history names, in the citizen's words; others are shown by their code.
ACTION_LABELS = {
    "complaint.registered": gettext_lazy("Pengaduan diterima dan dicatat di buku agenda"),
    "complaint.withdrawn": gettext_lazy("Pengaduan ditutup sebagai ditarik"),
    "complaint.rated": gettext_lazy("Penilaian jawaban diterima"),
    "complaint.reopened": gettext_lazy("Pengaduan dibuka kembali"),
    "step.approve": gettext_lazy("Langkah SOP diselesaikan"),
    "step.forward": gettext_lazy("Diteruskan ke tingkat berikutnya"),
    "step.return": gettext_lazy("Dikembalikan untuk diperbaiki"),
    "draft.saved": gettext_lazy("Konsep jawaban disimpan"),
    "info.requested": gettext_lazy("Petugas meminta keterangan tambahan"),
    "info.replied": gettext_lazy("Keterangan tambahan diterima"),
    "answer.sent": gettext_lazy("Jawaban dikirim"),
    "letter.issued": gettext_lazy("Surat jawaban diterbitkan"),
    "letter.rendered": gettext_lazy("Berkas surat jawaban dibuat"),
    "letter.downloaded": gettext_lazy("Surat jawaban diunduh"),
    "record.printed": gettext_lazy("Lembar pengaduan dicetak"),
    "personal_data.viewed": gettext_lazy("Data pribadi Anda dibuka oleh petugas"),
    "attachment.viewed": gettext_lazy("Lampiran Anda dibuka oleh petugas"),
    "personal_data.exported": gettext_lazy("Salinan data pribadi diunduh oleh pelapor"),
    "retention.anonymised": gettext_lazy("Data pribadi dihapus setelah masa simpan"),
}
# Actions taken by the citizen when no official is named.
BY_CITIZEN = {
    "complaint.registered",
    "complaint.rated",
    "complaint.reopened",
    "info.replied",
    "personal_data.exported",
}


def retention_label(days: int | None = None) -> str:
    """How long personal data is kept after a complaint closes: "5 tahun" or "90 hari"."""
    days = settings.RETENTION_DAYS if days is None else days
    if days % 365 == 0:
        return _("%(n)s tahun") % {"n": days // 365}
    return _("%(n)s hari") % {"n": days}


def _when(value) -> str | None:
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        return timezone.localtime(value).isoformat()
    return value.isoformat()


def _by(event: AuditEvent, definition) -> str:
    """Who acted, by role only."""
    role = event.data.get("role") if isinstance(event.data, dict) else None
    if event.actor_id and role:
        try:
            return definition.role(role).name
        except KeyError:  # a role of an older SOP version
            return _("Petugas")
    if event.actor_id:
        return _("Petugas")
    if event.action in BY_CITIZEN:
        return _("Pelapor")
    return _("Sistem")


def _history(complaint: Complaint) -> list[dict]:
    definition = complaint.sop_version.definition
    events = AuditEvent.objects.filter(complaint_id=complaint.pk).order_by("id")
    history = []
    for event in events:
        item = {
            "at": _when(event.at),
            "action": event.action,
            "description": str(ACTION_LABELS.get(event.action, event.action)),
            "by": _by(event, definition),
        }
        if event.action == "personal_data.viewed":
            item["fields"] = list(event.data.get("fields", []))
        history.append(item)
    return history


def _rating(complaint: Complaint) -> dict | None:
    try:
        rating = complaint.rating
    except ObjectDoesNotExist:
        return None
    return {
        "score": rating.score,
        "comment": rating.comment,
        "survey_answers": rating.answers,
        "at": _when(rating.created_at),
    }


def _letter(complaint: Complaint) -> dict | None:
    from aduan.papers.letters import letter_for_complaint

    letter = letter_for_complaint(complaint_id=complaint.pk)
    if letter is None:
        return None
    return {
        "number": letter.number,
        "dated": _when(letter.dated),
        "addressee": letter.addressee,
        "subject": letter.subject,
        "signed_as": letter.signer_title,
        "signer_name": letter.signer_name,  # as printed on the letter
        "pdf_sha256": letter.pdf_sha256,
    }


def _controller() -> dict:
    """The office that holds the data (pengendali data pribadi), from the letterhead."""
    from aduan.papers.models import Letterhead

    letterhead = Letterhead.current()
    return {
        "office": f"{letterhead.office}, {letterhead.government}",
        "address": letterhead.address,
        "contact": letterhead.contact,
    }


def personal_data_export(*, complaint: Complaint) -> dict:
    """Everything held about the complainant of `complaint`, as plain data (JSON-ready)."""
    from aduan.notify.models import Delivery

    return {
        "format": f"aduan.personal-data.v{FORMAT_VERSION}",
        "note": _(
            "Salinan data pribadi Anda yang disimpan untuk pengaduan ini, dan riwayat "
            "pemrosesannya, sesuai UU 27/2022 tentang Pelindungan Data Pribadi."
        ),
        "produced_at": _when(timezone.now()),
        "controller": _controller(),
        "retention": {
            "kept_for": retention_label(),
            "after": _("pengaduan selesai (dijawab atau ditarik)"),
            "erased_at": _when(complaint.personal_data_erased_at),
        },
        "complainant": {
            "name": complaint.name,
            "anonymous": complaint.is_anonymous,
            "nik": complaint.nik,
            "phone": complaint.phone,
            "email": complaint.email,
            "language": complaint.language,
        },
        "complaint": {
            "tracking_code": complaint.tracking_code,
            "agenda_number": complaint.agenda_number,
            "channel": complaint.get_channel_display(),
            "category": str(complaint.category),
            "subject": complaint.subject,
            "description": complaint.description,
            "confidential": complaint.is_confidential,
            "status": complaint.get_status_display(),
            "received_at": _when(complaint.received_at),
            "closed_at": _when(complaint.closed_at),
            "reopened_from": complaint.reopened_from.tracking_code
            if complaint.reopened_from_id
            else None,
            "reopen_reason": complaint.reopen_reason,
        },
        "messages": [
            {
                "from": _("Anda") if m.direction == m.Direction.FROM_CITIZEN else _("Petugas"),
                "at": _when(m.created_at),
                "text": m.body,
            }
            for m in complaint.messages.order_by("created_at", "id")
        ],
        "attachments": [
            {
                "name": a.original_name,
                "content_type": a.content_type,
                "size": a.size,
                "sha256": a.sha256,
                "uploaded_at": _when(a.uploaded_at),
                "file_held": bool(a.file.name),
            }
            for a in complaint.attachments.order_by("id")
        ],
        "answer": {
            "kind": complaint.answer_kind,
            "text": complaint.answer_text,
        }
        if complaint.answer_text
        else None,
        "letter": _letter(complaint),
        "rating": _rating(complaint),
        "notifications": [
            {
                "kind": d.kind,
                "channel": d.get_channel_display(),
                "to": d.to,
                "status": d.get_status_display(),
                "created_at": _when(d.created_at),
                "sent_at": _when(d.sent_at),
            }
            for d in Delivery.objects.filter(complaint=complaint, user__isnull=True).order_by(
                "created_at", "id"
            )
        ],
        "history": _history(complaint),
    }


def personal_data_export_for_citizen(*, complaint: Complaint) -> dict:
    """The export the citizen asked for on the tracking page: recorded first, so the
    history it contains ends with this request."""
    audit_record(
        action="personal_data.exported",
        target=complaint,
        complaint_id=complaint.pk,
        data={"format": "json"},
    )
    return personal_data_export(complaint=complaint)
