"""Officials' endpoints (Bearer token): inbox, a complaint's record, draft, decide, ask.

Thin: reads come from the desk's selectors, writes go through the desk's services, so the
rules, the messages and the audit are the desk pages' own. A service refusal becomes the
API's error by its code (aduan.api.errors.REFUSALS).
"""

import math

from django.utils.translation import gettext as _
from ninja import Router
from ninja.responses import Status

from aduan.api.auth import token_auth
from aduan.api.errors import ApiError, errors, refusal
from aduan.api.pages import ObjectId, PageParams
from aduan.api.schemas import (
    ActionOut,
    ComplaintDetail,
    DecisionIn,
    DraftIn,
    InboxItem,
    InfoRequestIn,
    Page,
)
from aduan.complaints.masking import complainant_label, contact_masked
from aduan.complaints.models import Complaint, ComplaintStep, Message
from aduan.desk import selectors
from aduan.desk.services import desk_decide, draft_save, info_request
from aduan.papers.letters import letter_for_complaint
from aduan.sop.engine import decisions_for

router = Router(tags=["desk"], auth=token_auth)
AUTH_ERRORS = (401, 422)


def _not_found() -> ApiError:
    return ApiError(404, "not_found", _("Pengaduan ini tidak ditemukan."))


def _inbox_item(row) -> dict:
    complaint = row.complaint
    return {
        "id": complaint.pk,
        "step_id": row.step.pk,
        "agenda_number": complaint.agenda_number,
        "subject": complaint.subject,
        "category": complaint.category.name,
        "step": row.step.step,
        "step_title": row.title,
        "role": row.role_name,
        "due_at": row.clock.due_at,
        "minutes_left": None if row.clock.due_at is None else row.clock.left - row.clock.late,
        "overdue": row.overdue,
        "awaiting_reply": row.awaiting_reply,
        "complainant": complainant_label(complaint),
    }


@router.get("/inbox", response={200: Page[InboxItem], **errors(*AUTH_ERRORS)}, operation_id="inbox")
def inbox(request, params: PageParams):
    """The open steps my roles decide, oldest first (the desk's inbox)."""
    box = selectors.inbox_for(user=request.auth, page=params.page, page_size=params.page_size)
    pages = max(1, math.ceil(box.total / params.page_size))
    return {
        "count": box.total,
        "page": params.page,
        "page_size": params.page_size,
        "pages": pages,
        "items": [_inbox_item(r) for r in box.rows] if params.page <= pages else [],
    }


def _direction(message) -> str:
    return "to_citizen" if message.direction == Message.Direction.TO_CITIZEN else "from_citizen"


@router.get(
    "/desk/complaints/{complaint_id}",
    response={200: ComplaintDetail, **errors(*AUTH_ERRORS, 404)},
    operation_id="desk_complaint",
)
def complaint_detail(request, complaint_id: ObjectId):
    """One complaint as the desk shows it: personal data masked, every step, every draft,
    the messages, and the decisions I may take now."""
    record = selectors.complaint_record(pk=complaint_id)
    if record is None:
        raise _not_found()
    complaint = record.complaint
    edges = decisions_for(step=record.open_step, actor=request.auth) if record.open_step else ()
    letter = letter_for_complaint(complaint_id=complaint.pk)
    return {
        "id": complaint.pk,
        "agenda_number": complaint.agenda_number,
        "tracking_code": complaint.tracking_code,
        "channel": complaint.channel,
        "category": complaint.category.name,
        "subject": complaint.subject,
        "description": complaint.description,
        "status": complaint.status,
        "received_at": complaint.received_at,
        "closed_at": complaint.closed_at,
        "is_confidential": complaint.is_confidential,
        "complainant": contact_masked(complaint),
        "open_step_id": record.open_step.pk if record.open_step else None,
        "decisions": [
            {
                "decision": e.decision,
                "to": e.target,
                "label": e.label,
                "note_required": e.note_required,
            }
            for e in edges
        ],
        "steps": [
            {
                "id": e.step.pk,
                "seq": e.step.seq,
                "step": e.step.step,
                "title": e.title,
                "role": e.role_name,
                "started_at": e.step.started_at,
                "due_at": e.step.due_at,
                "decided_at": e.step.decided_at,
                "decided_by": str(e.step.decided_by) if e.step.decided_by_id else None,
                "decided_as": e.decided_as_title,
                "decision": e.step.decision,
                "decision_label": str(e.decision_label),
                "next_step": e.step.next_step,
                "note": e.step.note,
                "minutes_used": e.clock.used,
            }
            for e in record.timeline
        ],
        "drafts": [
            {
                "seq": d.draft.seq,
                "kind": d.draft.kind,
                "body": d.draft.body,
                "author": str(d.draft.author),
                "step_title": d.step_title,
                "created_at": d.draft.created_at,
            }
            for d in record.drafts
        ],
        "messages": [
            {
                "direction": _direction(m),
                "body": m.body,
                "author": str(m.author) if m.author_id else None,
                "created_at": m.created_at,
            }
            for m in record.messages
        ],
        "attachments": [
            {"id": a.pk, "name": a.original_name, "content_type": a.content_type, "size": a.size}
            for a in record.attachments
        ],
        "answer_text": complaint.answer_text,
        "letter_number": letter.number if letter else None,
    }


def _action(outcome, complaint_id: int) -> dict:
    if not outcome.ok:
        raise refusal(outcome)
    state = Complaint.objects.filter(pk=complaint_id).values_list("status", flat=True).first() or ""
    open_step = (
        ComplaintStep.objects.filter(complaint_id=complaint_id, decided_at__isnull=True)
        .values_list("pk", flat=True)
        .first()
    )
    return {
        "code": outcome.code,
        "message": outcome.message,
        "complaint_id": complaint_id,
        "status": state,
        "open_step_id": open_step,
    }


WRITE_ERRORS = errors(*AUTH_ERRORS, 400, 403, 404, 409)


def _existing(complaint_id: int) -> int:
    if not selectors.complaint_exists(pk=complaint_id):
        raise _not_found()
    return complaint_id


@router.post(
    "/desk/complaints/{complaint_id}/draft",
    response={201: ActionOut, **WRITE_ERRORS},
    operation_id="desk_draft_save",
)
def draft(request, complaint_id: ObjectId, payload: DraftIn):
    """Save a new version of the draft answer (Staff at verification; the Kasi may revise)."""
    _existing(complaint_id)
    outcome = draft_save(
        complaint_id=complaint_id, actor=request.auth, kind=payload.kind, body=payload.body
    )
    return Status(201, _action(outcome, complaint_id))


@router.post(
    "/desk/complaints/{complaint_id}/info-request",
    response={201: ActionOut, **WRITE_ERRORS},
    operation_id="desk_info_request",
)
def ask(request, complaint_id: ObjectId, payload: InfoRequestIn):
    """Ask the citizen for more information; the step's clock pauses until the reply."""
    _existing(complaint_id)
    outcome = info_request(complaint_id=complaint_id, actor=request.auth, body=payload.body)
    return Status(201, _action(outcome, complaint_id))


@router.post(
    "/desk/steps/{step_id}/decision",
    response={200: ActionOut, **WRITE_ERRORS},
    operation_id="desk_step_decide",
)
def decide(request, step_id: ObjectId, payload: DecisionIn):
    """Decide the open step: approve, or return with a note. Approving the last step sends
    the answer to the citizen and issues the answer letter."""
    complaint_id = (
        ComplaintStep.objects.filter(pk=step_id).values_list("complaint_id", flat=True).first()
    )
    if complaint_id is None:
        raise ApiError(404, "not_found", _("Langkah ini tidak ditemukan."))
    outcome = desk_decide(
        step_id=step_id,
        actor=request.auth,
        decision=payload.decision,
        to=payload.to,
        note=payload.note,
    )
    return Status(200, _action(outcome, complaint_id))
