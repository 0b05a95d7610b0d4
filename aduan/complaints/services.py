"""Writing complaints: registration in the agenda book and the start of the SOP."""

from collections.abc import Sequence
from dataclasses import dataclass

from django.conf import settings
from django.core.files import File
from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from aduan.audit.services import audit_record
from aduan.complaints.models import AgendaCounter, Attachment, Category, Complaint
from aduan.dashboard.tallies import tally_received
from aduan.lib.codes import new_tracking_code, new_tracking_secret, tracking_digest
from aduan.notify.events import citizen_received
from aduan.sla.calendar import calendar_for_today
from aduan.sla.deadlines import complaint_deadlines
from aduan.sop.engine import workflow_entry, workflow_start
from aduan.sop.services import sop_version_in_force


class NoSopInForce(RuntimeError):
    """No SOP version is loaded: run `manage.py sop_load`."""


@dataclass(frozen=True)
class NewAttachment:
    """A checked file to attach: content type sniffed from its bytes, size and hash known."""

    name: str
    content_type: str
    size: int
    sha256: str
    file: File
    scan_state: str = "none"  # Attachment.ScanState: "held" when the virus scanner was down


def agenda_next(*, year: int) -> int:
    """The next agenda number of the year, without gaps, safe under concurrency.

    One statement: the year's counter is created at 1 or moved on by one, and the number
    read back, under the row's write lock (SQLite 3.35+ and PostgreSQL both take
    INSERT ... ON CONFLICT ... RETURNING). Call it inside the transaction that stores the
    complaint, so a rollback gives the number back and the book keeps no gaps.
    """
    table = connection.ops.quote_name(AgendaCounter._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} (year, last) VALUES (%s, 1) "
            f"ON CONFLICT (year) DO UPDATE SET last = {table}.last + 1 RETURNING last",
            [year],
        )
        return cursor.fetchone()[0]


def complaint_register(
    *,
    category: Category,
    subject: str,
    description: str,
    channel: str = Complaint.Channel.WEB,
    name: str = "",
    is_anonymous: bool = False,
    phone: str = "",
    email: str = "",
    nik: str = "",
    is_confidential: bool = False,
    submission_key: str | None = None,
    attachments: Sequence[NewAttachment] = (),
    actor=None,
    language: str = "",
    reopened_from: Complaint | None = None,
    reopen_reason: str = "",
    tracking: tuple[str, str] | None = None,
    received_at=None,
    version=None,
    calendar=None,
) -> Complaint:
    """Register a complaint in the agenda book and open the SOP's first step.

    The returned complaint carries `tracking_secret`, the only time the secret exists in
    clear: show it to the citizen once. `actor` is the official registering a complaint
    received offline (None for the public form). With a `submission_key` already used,
    nothing is created and the earlier complaint is returned (`tracking_secret` None).
    `tracking` (code, secret) and `received_at` are those an intake gave the citizen when
    the complaint was filed (aduan.complaints.intake); `version` (the SOP in force) and
    `calendar` (today's working calendar) are read once for a batch of them.
    """
    if submission_key:
        earlier = Complaint.objects.filter(submission_key=submission_key).first()
        if earlier is not None:
            earlier.tracking_secret = None
            return earlier
    version = version or sop_version_in_force()
    if version is None:
        raise NoSopInForce("No SOP is loaded: run `manage.py sop_load` first.")
    now = received_at or timezone.now()
    year = timezone.localtime(now).year
    calendar = calendar or calendar_for_today()
    # The outer legal clock (the SOP's [deadlines]), fixed at registration.
    deadlines = complaint_deadlines(
        received_at=now, definition=version.definition, calendar=calendar
    )
    for attempt in range(5):
        written: list[str] = []  # attachment files of this attempt: removed if it rolls back
        try:
            with transaction.atomic():
                code, secret = tracking or (new_tracking_code(), new_tracking_secret())
                complaint = Complaint.objects.create(
                    tracking_code=code,
                    tracking_digest=tracking_digest(code, secret),
                    submission_key=submission_key,
                    registered_by=actor,
                    agenda_year=year,
                    agenda_seq=agenda_next(year=year),
                    channel=channel,
                    name=name,
                    is_anonymous=is_anonymous,
                    phone=phone,
                    email=email,
                    nik=nik,
                    category=category,
                    subject=subject,
                    description=description,
                    is_confidential=is_confidential,
                    language=language or settings.LANGUAGE_CODE,
                    reopened_from=reopened_from,
                    reopen_reason=reopen_reason,
                    sop_version=version,
                    current_step=workflow_entry(version=version),
                    received_at=now,
                    **deadlines,
                )
                for item in attachments:
                    attachment = Attachment(
                        complaint=complaint,
                        original_name=item.name[:255],
                        content_type=item.content_type,
                        size=item.size,
                        sha256=item.sha256,
                        uploaded_at=now,
                        scan_state=item.scan_state,
                    )
                    # Named first, stored before the row: a row that fails leaves no file.
                    attachment.file.save(item.sha256, item.file, save=False)
                    written.append(attachment.file.name)
                    attachment.save()
                workflow_start(complaint=complaint, calendar=calendar)
                tally_received(complaint=complaint)  # the dashboard's running count
                citizen_received(complaint=complaint, secret=secret)
                audit_record(
                    action="complaint.registered",
                    actor=actor,
                    target=complaint,
                    complaint_id=complaint.pk,
                    data={"agenda": complaint.agenda_number, "channel": channel},
                )
            complaint.tracking_secret = secret
            return complaint
        except BaseException as exc:
            for name in written:  # no row points at them any more
                Attachment.file.field.storage.delete(name)
            if not isinstance(exc, IntegrityError):
                raise
            if submission_key:
                earlier = Complaint.objects.filter(submission_key=submission_key).first()
                if earlier is not None:  # the same form posted twice at once
                    earlier.tracking_secret = None
                    return earlier
            # A tracking-code collision (1 in 2^40 per pair): draw another code.
            if attempt == 4 or tracking:
                raise
    raise AssertionError("unreachable")
