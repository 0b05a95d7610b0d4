"""Public endpoints: the categories, filing a complaint, following it with code and secret.

Filing goes through the web form's ComplaintForm and upload checks and complaint_register,
so the rules, limits, messages and audit are the web form's; the channel is "api".
"""

import hashlib
import json

from django.conf import settings
from django.urls import reverse
from django.utils.translation import gettext as _
from ninja import File, Form, Header, Router, UploadedFile
from ninja.responses import Status

from aduan.api.errors import ApiError, error_response, errors
from aduan.api.pages import PageParams, paginate
from aduan.api.schemas import CategoryOut, ComplaintCreated, ComplaintIn, Page, StatusOut
from aduan.complaints.forms import ComplaintForm
from aduan.complaints.models import Category, Complaint, Intake, Message
from aduan.complaints.services import NoSopInForce, complaint_register
from aduan.lib.ratelimit import rate_allowed, retry_after
from aduan.lib.text import clean_text
from aduan.papers.letters import letter_for_complaint
from aduan.public.selectors import (
    RECEIVED,
    STAGES,
    complaint_for_tracking,
    complaint_tracked,
    tracking_timeline,
)
from aduan.public.uploads import upload_problems, uploads_as_attachments

router = Router(tags=["public"])

MAX_IDEMPOTENCY_KEY = 200
EXAMPLE = {
    "category": "ktp-el",
    "subject": "KTP-el belum jadi",
    "description": "Sudah tiga minggu sejak perekaman, KTP-el saya belum jadi.",
    "name": "Sari Wulandari",
    "phone": "0812 3456 7890",
}
# The stored submission key: its own namespace, so no web form's key can collide.
KEY_PREFIX = "api:"

# Merged into the operation's OpenAPI (ninja keys responses by int): the link from a new
# complaint to its status, for schemathesis's stateful run and for readers; and an example
# body, since the form's rules (a category that exists, phone or e-mail) are not all in
# the schema.
CREATE_EXTRA = {
    "requestBody": {"content": {"multipart/form-data": {"example": EXAMPLE}}},
    "responses": {
        201: {
            "links": {
                "GetStatus": {
                    "operationId": "complaint_status",
                    "parameters": {
                        "path.tracking_code": "$response.body#/tracking_code",
                        "header.X-Tracking-Secret": "$response.body#/secret",
                    },
                }
            }
        }
    },
}


def stage_labels() -> dict[str, str]:
    return {
        "received": _("Diterima"),
        "verified": _("Diverifikasi"),
        "reviewed": _("Ditelaah pimpinan"),
        "answered": _("Dijawab"),
    }


@router.get(
    "/categories", response={200: Page[CategoryOut], **errors(422)}, operation_id="categories"
)
def categories(request, params: PageParams):
    """The services a complaint can be about (the web form's list)."""
    rows = Category.objects.filter(is_active=True).order_by("position", "name")
    return paginate(rows, params, lambda chunk: [CategoryOut.from_orm(c) for c in chunk])


def _form_data(payload: ComplaintIn) -> dict:
    data = payload.dict()
    code = clean_text(data.get("category"))
    if data.get("category"):
        pk = Category.objects.filter(code=code, is_active=True).values_list("pk", flat=True)
        # Unknown: a value the form refuses with its own message ("pick from the list").
        data["category"] = str(pk.first() or "-")
    for flag in ("is_anonymous", "is_confidential"):
        data[flag] = "on" if data[flag] else ""
    return data


def _too_many(request, *, scope: str, rate):
    """The 429 answer once this client address has spent `rate` (None: within it)."""
    if rate_allowed(request, scope=scope, rate=rate):
        return None
    response = error_response(
        429,
        "too_many_requests",
        _("Terlalu banyak permintaan dari alamat ini. Coba lagi dalam %(seconds)s detik.")
        % {"seconds": retry_after(rate)},
    )
    response["Retry-After"] = str(retry_after(rate))
    return response


def _submission_key(raw: str | None) -> str | None:
    if raw is None:
        return None
    raw = raw.strip()
    if not raw or len(raw) > MAX_IDEMPOTENCY_KEY:
        message = _("Idempotency-Key berisi 1 sampai %(max)s karakter.") % {
            "max": MAX_IDEMPOTENCY_KEY
        }
        raise ApiError(422, "invalid", message, {"Idempotency-Key": [message]})
    return KEY_PREFIX + hashlib.sha256(raw.encode("utf-8", "surrogatepass")).hexdigest()[:60]


@router.post(
    "/complaints",
    response={201: ComplaintCreated, 200: ComplaintCreated, **errors(400, 422, 429, 503)},
    operation_id="complaint_create",
    openapi_extra=CREATE_EXTRA,
)
def complaint_create(
    request,
    payload: Form[ComplaintIn],
    attachments: File[list[UploadedFile]] = None,
    idempotency_key: str | None = Header(None, alias="Idempotency-Key"),
):
    """File a complaint: the web form's fields and up to 5 attachments (JPEG, PNG or PDF,
    5 MB each, checked by content). 201 with the tracking code and the secret, shown once.
    The same `Idempotency-Key` again returns the same complaint (200, secret null)."""
    if limited := _too_many(request, scope="submit", rate=settings.SUBMIT_RATE):
        return limited
    key = _submission_key(idempotency_key)
    form = ComplaintForm(data=_form_data(payload))
    if not form.is_valid():
        fields = {name: [str(e) for e in errs] for name, errs in form.errors.items()}
        raise ApiError(422, "invalid", _("Periksa kembali isian pengaduan."), fields)
    files = list(attachments or [])
    refusals = upload_problems(files)
    if refusals:
        raise ApiError(422, "invalid", refusals[0], {"attachments": refusals})
    try:
        complaint = complaint_register(
            **form.complaint_fields(),
            channel=Complaint.Channel.API,
            submission_key=key,
            attachments=uploads_as_attachments(files),
            language=getattr(request, "LANGUAGE_CODE", ""),
        )
    except NoSopInForce:
        raise ApiError(
            503, "no_sop", _("Belum ada SOP yang berlaku; pengaduan belum dapat diterima.")
        ) from None
    status_url = request.build_absolute_uri(
        reverse("api:complaint_status", args=[complaint.tracking_code])
    )
    body = {
        "tracking_code": complaint.tracking_code,
        "secret": complaint.tracking_secret,
        "agenda_number": complaint.agenda_number,
        "status_url": status_url,
    }
    return Status(201 if complaint.tracking_secret else 200, body)


def not_tracked() -> ApiError:
    return ApiError(
        404,
        "not_found",
        _(
            "Pengaduan dengan kode lacak dan kode rahasia itu tidak ditemukan. Periksa kembali "
            "keduanya seperti tertulis saat pengaduan dikirim."
        ),
    )


@router.get(
    "/complaints/{tracking_code}/status",
    response={200: StatusOut, **errors(404, 422, 429)},
    operation_id="complaint_status",
    url_name="complaint_status",
)
def complaint_status(
    request, tracking_code: str, secret: str = Header(..., alias="X-Tracking-Secret")
):
    """What the citizen's tracking page shows: the four stages, the messages, the answer.
    A wrong code and a wrong secret get the same 404."""
    if limited := _too_many(request, scope="track", rate=settings.TRACK_RATE):
        return limited
    found = complaint_for_tracking(code=tracking_code, secret=secret)
    if isinstance(found, Intake):
        return _being_recorded(found)
    complaint = complaint_tracked(code=found.tracking_code) if found else None
    if complaint is None:
        raise not_tracked()
    timeline = tracking_timeline(complaint=complaint)
    labels = stage_labels()
    answered = complaint.status == Complaint.Status.ANSWERED
    letter = letter_for_complaint(complaint_id=complaint.pk) if answered else None
    messages = [*timeline.history]
    if timeline.last_question is not None:
        messages.append(timeline.last_question)
    messages.sort(key=lambda m: (m.created_at, m.pk))
    return {
        "tracking_code": complaint.tracking_code,
        "agenda_number": complaint.agenda_number,
        "received_at": complaint.received_at,
        "category": complaint.category.name,
        "subject": complaint.subject,
        "status": complaint.status,
        "status_label": str(Complaint.Status(complaint.status).label),
        "stage": timeline.current,
        "stages": [
            {"key": s.key, "label": labels[s.key], "state": s.state, "reached_at": s.reached_at}
            for s in timeline.stages
        ],
        "current_role": timeline.current_role.name if timeline.current_role else None,
        "awaiting_reply": timeline.awaiting_reply,
        "messages": [
            {
                "direction": "to_citizen"
                if m.direction == Message.Direction.TO_CITIZEN
                else "from_citizen",
                "body": m.body,
                "created_at": m.created_at,
            }
            for m in messages
        ],
        "answer": {
            "kind": complaint.answer_kind,
            "text": complaint.answer_text,
            "answered_at": complaint.closed_at,
            "letter_number": letter.number if letter else None,
        }
        if answered
        else None,
    }


def _being_recorded(intake: Intake) -> dict:
    """A filing answered and not yet registered (aduan.complaints.intake: a second or two,
    minutes under a burst of filings): received, no agenda number yet, nothing more."""
    body = json.loads(intake.payload)
    category = Category.objects.filter(pk=body["category"]).values_list("name", flat=True)
    labels = stage_labels()
    return {
        "tracking_code": intake.tracking_code,
        "agenda_number": None,
        "received_at": intake.received_at,
        "category": category.first() or "",
        "subject": body["subject"],
        "status": Complaint.Status.OPEN.value,
        "status_label": _("Diterima; sedang dicatat dalam buku agenda"),
        "stage": RECEIVED,
        "stages": [
            {
                "key": key,
                "label": labels[key],
                "state": "current" if key == RECEIVED else "todo",
                "reached_at": intake.received_at if key == RECEIVED else None,
            }
            for key in STAGES
        ],
        "current_role": None,
        "awaiting_reply": False,
        "messages": [],
        "answer": None,
    }
