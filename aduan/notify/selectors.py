"""Reading the outbox for the desk: what was sent about a complaint, and to whom (masked)."""

from dataclasses import dataclass

from aduan.complaints.masking import email_mask
from aduan.lib.phone import phone_mask
from aduan.notify.models import Delivery
from aduan.notify.texts import KINDS


@dataclass(frozen=True)
class DeliveryLine:
    kind: str
    audience: str
    channel: str
    to: str
    status: str
    status_code: str
    attempts: int
    last_error: str
    created_at: object
    sent_at: object
    next_attempt_at: object


def deliveries_of_complaint(*, complaint_id: int) -> list[DeliveryLine]:
    """Every message about the complaint, oldest first, addresses masked. One query."""
    lines = []
    for d in Delivery.objects.filter(complaint_id=complaint_id).order_by("created_at", "id"):
        kind = KINDS.get(d.kind)
        lines.append(
            DeliveryLine(
                kind=kind.label if kind else d.kind,
                audience=kind.audience if kind else "",
                channel=d.get_channel_display(),
                to=email_mask(d.to) if "@" in d.to else phone_mask(d.to),
                status=d.get_status_display(),
                status_code=d.status,
                attempts=d.attempts,
                last_error=d.last_error,
                created_at=d.created_at,
                sent_at=d.sent_at,
                next_attempt_at=d.next_attempt_at,
            )
        )
    return lines
