"""Writing complaints: registration in the agenda book and the start of the SOP."""

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from aduan.audit.services import audit_record
from aduan.complaints.models import AgendaCounter, Category, Complaint
from aduan.lib.codes import new_tracking_code
from aduan.sop.engine import workflow_start
from aduan.sop.services import sop_version_in_force


class NoSopInForce(RuntimeError):
    pass


def agenda_next(*, year: int) -> int:
    """The next agenda number of the year, without gaps, safe under concurrency."""
    with transaction.atomic():
        AgendaCounter.objects.get_or_create(year=year)
        AgendaCounter.objects.filter(year=year).update(last=F("last") + 1)
        return AgendaCounter.objects.get(year=year).last


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
    actor=None,
) -> Complaint:
    """Register a complaint in the agenda book and open the SOP's first step."""
    version = sop_version_in_force()
    if version is None:
        raise NoSopInForce("No SOP is loaded: run `manage.py sop_load` first.")
    now = timezone.now()
    year = timezone.localtime(now).year
    for attempt in range(5):
        try:
            with transaction.atomic():
                complaint = Complaint.objects.create(
                    tracking_code=new_tracking_code(),
                    agenda_year=year,
                    agenda_seq=agenda_next(year=year),
                    channel=channel, name=name, is_anonymous=is_anonymous, phone=phone,
                    email=email, nik=nik, category=category, subject=subject,
                    description=description, is_confidential=is_confidential,
                    sop_version=version, received_at=now,
                )
                workflow_start(complaint=complaint)
                audit_record(action="complaint.registered", actor=actor, target=complaint,
                             complaint_id=complaint.pk,
                             data={"agenda": complaint.agenda_number, "channel": channel})
            return complaint
        except IntegrityError:
            # A tracking-code collision (1 in 2^40 per pair): draw another code.
            if attempt == 4:
                raise
    raise AssertionError("unreachable")
