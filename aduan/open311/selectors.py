"""What Open311 shows about complaints: never the complainant, never a confidential one.

A complaint's description is shown only when its complainant chose so (attribute[public]
on an Open311 request), and then with anything that looks like a name, a phone number, an
email address or a NIK hidden. The answer is shown on the same condition.
"""

import json
import re
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db.models import OuterRef, Q, Subquery
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from aduan.complaints.models import Category, Complaint, ComplaintStep, Intake
from aduan.papers.models import Letterhead
from aduan.public.selectors import tracking_code_shape
from aduan.sop.models import SopVersion

MAX_RESULTS = 1000  # GeoReport v2: at most 1000 requests per answer
DEFAULT_DAYS = 90  # and the last 90 days when no dates are given
DESCRIPTION_MAX = 4000  # request.json's maxLength
HIDDEN = "***"
SLUG = re.compile(r"[-a-zA-Z0-9_]{1,40}")
EMAIL = re.compile(r"[\w.+-]+@[\w-]+(\.[\w-]+)+")
NIK_OR_PHONE = re.compile(r"\+?\d[\d .-]{7,}\d")


@dataclass(frozen=True)
class RequestFilter:
    codes: tuple[str, ...] = ()
    service_code: tuple[str, ...] = ()
    start: datetime | None = None
    end: datetime | None = None
    status: tuple[str, ...] = ()  # "open", "closed"


def services_active() -> list[Category]:
    return list(Category.objects.filter(is_active=True))


def service_for_code(*, code: str) -> Category | None:
    if not SLUG.fullmatch(code):
        return None
    return Category.objects.filter(code=code, is_active=True).first()


def hidden_personal_data(text: str, complaint: Complaint) -> str:
    """The text with the complainant's name, and every email address, phone number and
    NIK-like number, replaced by ***."""
    text = EMAIL.sub(HIDDEN, text)
    text = NIK_OR_PHONE.sub(_hidden_if_long, text)
    parts = [complaint.name.strip()] + complaint.name.split()
    for part in sorted({p for p in parts if len(p) >= 3}, key=len, reverse=True):
        text = re.sub(rf"\b{re.escape(part)}\b", HIDDEN, text, flags=re.IGNORECASE)
    return text


def _hidden_if_long(match: re.Match) -> str:
    """Nine digits or more (phone numbers, NIK); dates and small numbers stay."""
    return HIDDEN if sum(ch.isdigit() for ch in match.group()) >= 9 else match.group()


def _clipped(text: str) -> str:
    return text if len(text) <= DESCRIPTION_MAX else text[: DESCRIPTION_MAX - 1] + "…"


def _public_queryset():
    open_step = ComplaintStep.objects.filter(complaint=OuterRef("pk"), decided_at__isnull=True)
    return (
        Complaint.objects.filter(is_confidential=False)
        .select_related("category", "open311_request")
        .annotate(
            open_due_at=Subquery(open_step.values("due_at")[:1]),
            open_started_at=Subquery(open_step.values("started_at")[:1]),
        )
        .only(
            "tracking_code",
            "name",
            "description",
            "status",
            "current_step",
            "received_at",
            "closed_at",
            "awaiting_reply_since",
            "answer_text",
            "sop_version_id",
            "category__code",
            "category__name",
            "open311_request__description_public",
        )
    )


def requests_public(*, filters: RequestFilter, now: datetime | None = None) -> list[dict]:
    """The requests Open311 lists, newest first, at most 1000, in four queries whatever
    their number."""
    queryset = _public_queryset()
    if filters.codes:
        codes = [tracking_code_shape(code) or code for code in filters.codes]
        queryset = queryset.filter(tracking_code__in=codes)
    else:
        now = now or timezone.now()
        start, end = filters.start, filters.end
        if start is None and end is None:
            start = now - timedelta(days=DEFAULT_DAYS)
        if start is not None:
            queryset = queryset.filter(received_at__gte=start)
        if end is not None:
            queryset = queryset.filter(received_at__lte=end)
        if filters.service_code:
            queryset = queryset.filter(category__code__in=filters.service_code)
        if filters.status and set(filters.status) != {"open", "closed"}:
            is_open = Q(status=Complaint.Status.OPEN)
            queryset = queryset.filter(is_open if "open" in filters.status else ~is_open)
    complaints = list(queryset.order_by("-received_at", "-pk")[:MAX_RESULTS])
    return requests_described(complaints)


def request_public(*, code: str) -> dict | None:
    code = tracking_code_shape(code)
    if code is None:
        return None
    complaint = _public_queryset().filter(tracking_code=code).first()
    if complaint is None:
        return _intake_described(code)
    return requests_described([complaint])[0]


def _intake_described(code: str) -> dict | None:
    """A request taken and not yet registered (aduan.complaints.intake): open, its
    service and time, nothing of what the citizen wrote; None if confidential or unknown."""
    intake = Intake.objects.filter(tracking_code=code).first()
    if intake is None:
        return None
    body = json.loads(intake.payload)
    category = Category.objects.filter(pk=body["category"]).first()
    if body["is_confidential"] or category is None:
        return None
    with translation.override("id"):
        notes = _("Diterima; sedang dicatat dalam buku agenda")
    received = _iso(intake.received_at)
    return {
        "service_request_id": intake.tracking_code,
        "status": "open",
        "status_notes": notes,
        "service_name": category.name,
        "service_code": category.code,
        "description": None,
        "agency_responsible": Letterhead.current().office,
        "service_notice": _("Pengaduan ditangani sesuai SOP; jawaban dikirim kepada pelapor."),
        "requested_datetime": received,
        "updated_datetime": received,
        "expected_datetime": None,
        "address": None,
        "address_id": None,
        "zipcode": None,
        "lat": None,
        "long": None,
        "media_url": None,
    }


def requests_described(complaints: list[Complaint]) -> list[dict]:
    if not complaints:
        return []
    versions = {
        v.pk: v for v in SopVersion.objects.filter(pk__in={c.sop_version_id for c in complaints})
    }
    agency = Letterhead.current().office
    return [_described(c, versions[c.sop_version_id], agency) for c in complaints]


def _public(complaint: Complaint) -> bool:
    try:
        return complaint.open311_request.description_public
    except Complaint.open311_request.RelatedObjectDoesNotExist:
        return False


def _status_notes(complaint: Complaint, version: SopVersion) -> str:
    """The state in plain Indonesian, whatever the language of the request."""
    with translation.override("id"):
        if complaint.status != Complaint.Status.OPEN:
            return str(complaint.get_status_display())
        if complaint.awaiting_reply_since:
            return _("Menunggu keterangan tambahan dari pelapor")
        definition = version.definition
        if not definition.has_step(complaint.current_step):
            return _("Dalam proses")
        step = definition.step(complaint.current_step)
        return f"{step.title} ({definition.role(step.role).name})"


def _notice(complaint: Complaint, public: bool) -> str:
    if complaint.status == Complaint.Status.ANSWERED:
        if public and complaint.answer_text:
            return _clipped(hidden_personal_data(complaint.answer_text, complaint))
        return _("Jawaban telah dikirim kepada pelapor.")
    if complaint.status == Complaint.Status.WITHDRAWN:
        return _("Pengaduan ditutup karena pelapor tidak memberi keterangan yang diminta.")
    return _("Pengaduan ditangani sesuai SOP; jawaban dikirim kepada pelapor.")


def _iso(moment: datetime | None) -> str | None:
    return timezone.localtime(moment).isoformat(timespec="seconds") if moment else None


def _described(complaint: Complaint, version: SopVersion, agency: str) -> dict:
    public = _public(complaint)
    is_open = complaint.status == Complaint.Status.OPEN
    description = None
    if public:
        description = _clipped(hidden_personal_data(complaint.description, complaint))
    updated = complaint.closed_at if not is_open else complaint.open_started_at
    return {
        "service_request_id": complaint.tracking_code,
        "status": "open" if is_open else "closed",
        "status_notes": _status_notes(complaint, version),
        "service_name": complaint.category.name,
        "service_code": complaint.category.code,
        "description": description,
        "agency_responsible": agency,
        "service_notice": _notice(complaint, public),
        "requested_datetime": _iso(complaint.received_at),
        "updated_datetime": _iso(updated or complaint.received_at),
        "expected_datetime": _iso(complaint.open_due_at) if is_open else None,
        "address": None,
        "address_id": None,
        "zipcode": None,
        "lat": None,
        "long": None,
        "media_url": None,
    }
