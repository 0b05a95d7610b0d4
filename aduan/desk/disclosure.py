"""Showing personal data to an official: checked, then recorded in the audit log.

Services like those in services.py (keyword-only, an Outcome back), kept apart because they
change nothing in the complaint: they only disclose, and every disclosure leaves a trace.
"""

from django.utils.translation import gettext as _

from aduan.accounts.selectors import can_open_attachment, can_view_personal_data
from aduan.audit.services import audit_record
from aduan.complaints.models import Attachment, Complaint
from aduan.sop.engine import Outcome

PERSONAL_FIELDS = ("name", "nik", "phone", "email")


def personal_data_reveal(*, complaint: Complaint, actor) -> Outcome:
    """Allow `actor` to see the complainant's identity on this page view, and record it."""
    if not can_view_personal_data(user=actor, complaint=complaint):
        return Outcome(
            ok=False,
            code="not_allowed",
            message=_(
                "Identitas pelapor pengaduan rahasia hanya dapat dilihat oleh petugas yang "
                "menanganinya."
            ),
        )
    shown = [f for f in PERSONAL_FIELDS if getattr(complaint, f)]
    audit_record(
        action="personal_data.viewed",
        actor=actor,
        target=complaint,
        complaint_id=complaint.pk,
        data={"fields": shown},
    )
    return Outcome(ok=True, code="revealed", message=_("Data pribadi ditampilkan dan dicatat."))


def attachment_open(*, attachment: Attachment, actor) -> Outcome:
    """Allow `actor` to open an attachment, and record it."""
    if not can_open_attachment(user=actor, attachment=attachment):
        if attachment.scan_state == Attachment.ScanState.HELD:
            message = _("Lampiran ditahan untuk pemeriksaan virus dan belum dapat dibuka.")
        elif attachment.scan_state == Attachment.ScanState.INFECTED:
            message = _("Lampiran berisi virus dan dikarantina; tidak dapat dibuka.")
        else:
            message = _(
                "Lampiran pengaduan rahasia hanya dapat dibuka oleh petugas yang menanganinya."
            )
        return Outcome(ok=False, code="not_allowed", message=message)
    audit_record(
        action="attachment.viewed",
        actor=actor,
        target=attachment,
        complaint_id=attachment.complaint_id,
        data={"name": attachment.original_name, "sha256": attachment.sha256},
    )
    return Outcome(ok=True, code="opened", message="")
