"""Retention: a closed complaint's personal data is erased ADUAN_RETENTION_DAYS after it closed.

`retention_sweep()` makes one pass (`manage.py retention_sweep`; `manage.py serve` runs it
every hour). For each complaint answered or withdrawn more than RETENTION_DAYS ago whose data
is still held, in one transaction per batch:

- the complainant: name "Dihapus" (when one was given), NIK, phone and e-mail emptied;
- attachments: the stored files deleted, the rows kept with the name "dihapus", their type,
  size and SHA-256 (so the record still says a file was attached, and which);
- the citizen's replies to requests for information (where the office asked for identity
  details): text replaced by "[dihapus]"; the rating's comment emptied (the score stays);
- the outbox rows of its messages: address, subject and text emptied;
- `personal_data_erased_at` set: the claim, so the pass is idempotent.

Kept, as the public record and for the statistics: the code, agenda number, category,
channel, dates, steps, drafts, the subject and description (which a citizen may have written
personal data into: docs/personal-data.md says why they stay), the answer and the issued
letter, the rating's score, and every running count of the dashboard.

Claimed as in aduan.sla.sweep: the batch's rows are locked in id order and read under the
lock, then a conditional UPDATE (`... AND personal_data_erased_at IS NULL`) claims them, so
two sweeps at once erase each complaint once and audit it once.
"""

import datetime as dt
import logging
from dataclasses import dataclass, fields

from django.conf import settings
from django.db import transaction
from django.db.models import Case, Value, When
from django.utils import timezone

from aduan.audit.services import audit_record
from aduan.complaints.models import Attachment, Complaint, Message, Rating

logger = logging.getLogger("aduan.complaints.retention")

ERASED_NAME = "Dihapus"
ERASED_FILE = "dihapus"
ERASED_TEXT = "[dihapus]"
CLOSED = (Complaint.Status.ANSWERED, Complaint.Status.WITHDRAWN)


@dataclass
class RetentionCounts:
    complaints: int = 0
    attachments: int = 0
    files: int = 0  # stored files deleted
    messages: int = 0
    ratings: int = 0
    deliveries: int = 0

    def __str__(self) -> str:
        return ", ".join(f"{getattr(self, f.name)} {f.name}" for f in fields(self))

    def add(self, other: "RetentionCounts") -> None:
        for f in fields(self):
            setattr(self, f.name, getattr(self, f.name) + getattr(other, f.name))


def retention_cutoff(*, now: dt.datetime | None = None) -> dt.datetime:
    """Complaints closed before this instant have had their time."""
    return (now or timezone.now()) - dt.timedelta(days=settings.RETENTION_DAYS)


def retention_due(*, cutoff: dt.datetime):
    """The complaints closed before `cutoff` whose personal data is still held (read
    through the partial index complaint_retention_due)."""
    return Complaint.objects.filter(
        status__in=CLOSED,
        closed_at__isnull=False,
        closed_at__lt=cutoff,
        personal_data_erased_at__isnull=True,
    )


def retention_sweep(*, batch: int = 200, now: dt.datetime | None = None) -> RetentionCounts:
    """Erase the personal data of every complaint past its retention; return the counts."""
    now = now or timezone.now()
    cutoff = retention_cutoff(now=now)
    total = RetentionCounts()
    while True:
        counts = _erase_batch(cutoff=cutoff, now=now, batch=batch)
        if counts is None:
            return total
        total.add(counts)


def _erase_batch(*, cutoff: dt.datetime, now: dt.datetime, batch: int) -> RetentionCounts | None:
    from aduan.notify.models import Delivery

    with transaction.atomic():
        due = retention_due(cutoff=cutoff)
        ids = list(due.select_for_update().order_by("pk").values_list("pk", flat=True)[:batch])
        if not ids:
            return None
        claimed = Complaint.objects.filter(pk__in=ids, personal_data_erased_at__isnull=True)
        erased = claimed.update(
            name=Case(When(name="", then=Value("")), default=Value(ERASED_NAME)),
            nik="",
            phone="",
            email="",
            personal_data_erased_at=now,
        )
        counts = RetentionCounts(complaints=erased)
        attachments = Attachment.objects.filter(complaint_id__in=ids)
        stored = set(attachments.exclude(file="").values_list("file", flat=True))
        counts.attachments = attachments.update(file="", original_name=ERASED_FILE)
        # A file named by an attachment that is kept stays. Names are unique per write
        # (complaints.models.attachment_path); rows stored before that, on an S3 bucket
        # that has no create-if-absent, may share one.
        stored -= set(Attachment.objects.filter(file__in=stored).values_list("file", flat=True))
        counts.messages = Message.objects.filter(
            complaint_id__in=ids, direction=Message.Direction.FROM_CITIZEN
        ).update(body=ERASED_TEXT)
        counts.ratings = (
            Rating.objects.filter(complaint_id__in=ids).exclude(comment="").update(comment="")
        )
        deliveries = Delivery.objects.filter(complaint_id__in=ids)
        # A message still waiting to be sent has nowhere to go now.
        deliveries.filter(status=Delivery.Status.QUEUED).update(
            status=Delivery.Status.FAILED, last_error="personal data erased (retention)"
        )
        counts.deliveries = deliveries.update(to="", subject="", body="", params=[])
        # Deleted inside the transaction: if it rolls back, the next pass deletes them again
        # (a file already gone is no error); a file is never left behind a committed erasure.
        storage = Attachment._meta.get_field("file").storage
        for name in sorted(stored):
            storage.delete(name)
            counts.files += 1
        audit_record(
            action="retention.anonymised",
            data={
                "cutoff": cutoff.isoformat(),
                "retention_days": settings.RETENTION_DAYS,
                "complaint_ids": ids,
                **{f.name: getattr(counts, f.name) for f in fields(counts)},
            },
        )
    logger.info("Retention: %s", counts)
    return counts
