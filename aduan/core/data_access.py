"""Whose personal data the access log shows was touched in a period (#9 point 12).

For the breach procedure (docs/breach.md): from the audit log, every event that showed a
complainant's personal data or let it leave the application as a file, and for each the
complaints it touched. An event names its complaint, or a period: an agenda-book export
touched the complaints its filters select, a bundle of complete records the complaints
received in its period (as the database holds them now).

The complainant is shown masked (initials) and the contact channels as present or not:
the report says whom to notify without becoming a copy of their data.
"""

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.utils import timezone

from aduan.audit.models import AuditEvent
from aduan.complaints.models import Category, Complaint

# action -> what it did, for the report. An action added elsewhere that shows or exports a
# complainant's data belongs here (and in docs/breach.md).
ACTIONS = {
    "personal_data.viewed": "identity shown to an official",
    "attachment.viewed": "attachment opened",
    "letter.downloaded": "answer letter downloaded",
    "record.printed": "complete record printed (PDF)",
    "bundle.downloaded": "complete records of a period downloaded (ZIP)",
    "agenda.exported": "agenda book exported",
    "personal_data.exported": "copy of own data downloaded by the citizen (tracking link)",
}
# Actions a citizen takes through the tracking link (no official named).
BY_CITIZEN = {"letter.downloaded", "personal_data.exported"}
PERIOD_ACTIONS = {"bundle.downloaded", "agenda.exported"}
COMPLAINT_FIELDS = (
    "id",
    "agenda_year",
    "agenda_seq",
    "tracking_code",
    "name",
    "is_anonymous",
    "is_confidential",
    "phone",
    "email",
    "nik",
)
ERASED = "personal_data_erased_at"  # set by the retention sweep (aduan.complaints.retention)


@dataclass(frozen=True)
class Touched:
    """A complaint as the report shows it: no full name, NIK, phone or email."""

    id: int
    agenda_number: str
    tracking_code: str
    complainant: str
    phone: bool
    email: bool
    nik: bool


@dataclass(frozen=True)
class AccessRow:
    at: dt.datetime  # in the office's time zone
    actor: str
    action: str
    what: str
    complaint: Touched | None  # None: an export that selected no complaint


def name_mask(name: str) -> str:
    """ "Sari Wulandari" -> "S*** W***": the initials only."""
    return " ".join(f"{word[0]}***" for word in name.split())


def _fields() -> list[str]:
    names = {f.name for f in Complaint._meta.concrete_fields}
    return [name for name in (*COMPLAINT_FIELDS, ERASED) if name in names]


def touched(complaint: Complaint) -> Touched:
    if getattr(complaint, ERASED, None):
        label = "(erased)"
    elif complaint.is_anonymous or not complaint.name:
        label = "Anonim"
    elif complaint.is_confidential:
        label = f"{name_mask(complaint.name)} (rahasia)"
    else:
        label = name_mask(complaint.name)
    return Touched(
        id=complaint.pk,
        agenda_number=complaint.agenda_number,
        tracking_code=complaint.tracking_code,
        complainant=label,
        phone=bool(complaint.phone),
        email=bool(complaint.email),
        nik=bool(complaint.nik),
    )


def _gone(complaint_id: int) -> Touched:
    return Touched(complaint_id, f"(deleted #{complaint_id})", "", "", False, False, False)


def _exported_ids(event: AuditEvent) -> list[int]:
    """The complaints an export of a period held, as the database selects them now."""
    data = event.data or {}
    try:
        if event.action == "bundle.downloaded":
            from aduan.papers.bundles import complaints_received

            first = dt.date.fromisoformat(str(data["first_day"]))
            last = dt.date.fromisoformat(str(data["last_day"]))
            return list(complaints_received(first=first, last=last).values_list("id", flat=True))
        from aduan.papers.agenda import AgendaFilter, agenda_rows

        filters = data.get("filters") or {}
        code = filters.get("kategori")
        agenda = AgendaFilter(
            first=dt.date.fromisoformat(filters["dari"]),
            last=dt.date.fromisoformat(filters["sampai"]),
            channel=filters.get("saluran", ""),
            # A category since deleted: every category, so that no one is left out.
            category=Category.objects.filter(code=code).first() if code else None,
            status=filters.get("status", ""),
        )
        return list(agenda_rows(filters=agenda).values_list("id", flat=True))
    except (KeyError, TypeError, ValueError):
        return []


def _actor_label(event: AuditEvent) -> str:
    if event.actor_id is not None:
        return event.actor.get_username()
    if event.action in BY_CITIZEN:
        return "citizen (tracking link)"
    return "(system)"


def data_access_rows(
    *, first: dt.date, last: dt.date, actor: str | None = None
) -> Iterator[AccessRow]:
    """One row per (event, complaint touched) from `first` to `last` (office dates, both
    included), oldest first; only the official `actor` (a username) when given."""
    tz = timezone.get_default_timezone()
    start = dt.datetime.combine(first, dt.time.min, tzinfo=tz)
    end = dt.datetime.combine(last + dt.timedelta(days=1), dt.time.min, tzinfo=tz)
    events = (
        AuditEvent.objects.filter(at__gte=start, at__lt=end, action__in=ACTIONS)
        .select_related("actor")
        .order_by("at", "id")
    )
    if actor is not None:
        events = events.filter(actor__in=get_user_model().objects.filter(username=actor))
    events = list(events)
    ids_of = {
        event.pk: _exported_ids(event)
        if event.action in PERIOD_ACTIONS
        else [event.complaint_id] * (event.complaint_id is not None)
        for event in events
    }
    wanted = {pk for ids in ids_of.values() for pk in ids}
    complaints = {
        pk: touched(complaint)
        for pk, complaint in Complaint.objects.only(*_fields()).in_bulk(wanted).items()
    }
    for event in events:
        at = timezone.localtime(event.at, tz)
        who = _actor_label(event)
        ids = ids_of[event.pk]
        if not ids:
            yield AccessRow(at, who, event.action, ACTIONS[event.action], None)
        for pk in ids:
            complaint = complaints.get(pk) or _gone(pk)
            yield AccessRow(at, who, event.action, ACTIONS[event.action], complaint)
