"""What the citizen may read about a complaint: found by code and secret, told in four stages.

Only the complaint's own words, its dates and the office's messages to the citizen are
read here: never the officials who acted, their notes or the drafts.
"""

import re
from dataclasses import dataclass
from datetime import datetime

from django.db.models import OuterRef, Subquery

from aduan.complaints.models import Complaint, ComplaintStep, Intake, Message
from aduan.lib.codes import (
    normalise_tracking_code,
    normalise_tracking_secret,
    tracking_digest,
    tracking_matches,
)
from aduan.sop.definition import Role

CODE_SHAPE = re.compile(r"ADU-[0-9A-Z]{4}-[0-9A-Z]{4}")
# A secret as given now (28 characters), or as given before (8): aduan.lib.codes.
SECRET_SHAPE = re.compile(r"[0-9A-Z]{28}|[0-9A-Z]{8}")

# The four stages a citizen sees, in order.
RECEIVED, VERIFIED, REVIEWED, ANSWERED = "received", "verified", "reviewed", "answered"
STAGES = (RECEIVED, VERIFIED, REVIEWED, ANSWERED)


def tracking_code_shape(raw: str) -> str | None:
    """The code in its written form (ADU-XXXX-XXXX), or None if it cannot be one."""
    code = normalise_tracking_code(raw or "")
    return code if CODE_SHAPE.fullmatch(code) else None


def intake_waiting(*, code: str) -> Intake | None:
    """The filing with this code still waiting to be registered (aduan.complaints.intake)."""
    return (
        Intake.objects.filter(tracking_code=code)
        .only("tracking_code", "tracking_digest", "received_at")
        .first()
    )


def complaint_for_tracking(*, code: str, secret: str) -> Complaint | Intake | None:
    """The complaint this code and secret open (or its intake, while it waits to be
    registered), or None: a wrong secret, an unknown code and a malformed one are not
    told apart (and take about the same time)."""
    code = tracking_code_shape(code)
    secret = normalise_tracking_secret(secret)
    complaint = None
    if code and SECRET_SHAPE.fullmatch(secret):
        complaint = (
            Complaint.objects.filter(tracking_code=code)
            .only("tracking_code", "tracking_digest")
            .first()
        ) or intake_waiting(code=code)
    if complaint is None:
        tracking_digest(code or "", secret)  # the same work as a real check
        return None
    if not tracking_matches(code, secret, complaint.tracking_digest):
        return None
    return complaint


def complaint_tracked(*, code: str) -> Complaint | None:
    """The complaint for the tracking page, with what the page shows in one query."""
    reopened_as = Complaint.objects.filter(reopened_from=OuterRef("pk")).order_by("pk")
    return (
        Complaint.objects.select_related("sop_version", "category", "rating", "reopened_from")
        .annotate(reopened_as=Subquery(reopened_as.values("tracking_code")[:1]))
        .filter(tracking_code=code)
        .first()
    )


@dataclass(frozen=True)
class Stage:
    key: str
    state: str  # "done", "current" or "todo"
    reached_at: datetime | None


@dataclass(frozen=True)
class Timeline:
    stages: tuple[Stage, ...]
    current: str | None
    # The SOP role now holding the complaint (e.g. Kepala Bidang), never a person.
    current_role: Role | None
    sending: bool  # approved; the answer is being sent
    standard_minutes: int
    # When the answer is due by the SOP's standard (its working minutes from receipt, on the
    # office's working calendar); None once answered or withdrawn.
    answer_due_at: datetime | None
    awaiting_reply: bool
    # The office's open question, while it waits for the citizen's reply.
    last_question: Message | None
    # The messages exchanged, without the open question (shown with its reply form).
    history: tuple[Message, ...]


def _stage_of(definition, step_id: str) -> str:
    """The SOP's first step (verify and draft) is 'verified'; every step after it, up to
    sending the approved answer, is the leaders' review."""
    return VERIFIED if step_id == definition.start else REVIEWED


def answer_due_at(complaint: Complaint) -> datetime:
    """The moment the SOP's standard time runs out: its total working minutes from receipt."""
    from aduan.sla.calendar import calendar_for_today

    minutes = complaint.sop_version.definition.total_minutes
    return calendar_for_today().add_working_minutes(complaint.received_at, minutes)


@dataclass(frozen=True)
class Filed:
    """What the confirmation page says of a filing: registered, or still an intake."""

    tracking_code: str
    subject: str
    received_at: datetime
    agenda_number: str | None  # None while the intake waits to be registered
    standard_minutes: int
    answer_due_at: datetime


def filing_confirmed(*, code: str) -> Filed | None:
    """The filing with this tracking code, registered or waiting as an intake."""
    import json

    from aduan.sla.calendar import calendar_for_today
    from aduan.sop.services import sop_version_in_force

    complaint = Complaint.objects.select_related("sop_version").filter(tracking_code=code).first()
    if complaint is not None:
        return Filed(
            complaint.tracking_code,
            complaint.subject,
            complaint.received_at,
            complaint.agenda_number,
            complaint.sop_version.definition.total_minutes,
            answer_due_at(complaint),
        )
    intake = Intake.objects.filter(tracking_code=code).first()
    version = sop_version_in_force()
    if intake is None or version is None:
        return None
    minutes = version.definition.total_minutes
    return Filed(
        intake.tracking_code,
        json.loads(intake.payload)["subject"],
        intake.received_at,
        None,
        minutes,
        calendar_for_today().add_working_minutes(intake.received_at, minutes),
    )


def tracking_timeline(*, complaint: Complaint) -> Timeline:
    definition = complaint.sop_version.definition
    steps = list(
        ComplaintStep.objects.filter(complaint=complaint)
        .order_by("seq")
        .only("step", "started_at", "seq")
    )
    reached: dict[str, datetime] = {RECEIVED: complaint.received_at}
    for step in steps:
        reached.setdefault(_stage_of(definition, step.step), step.started_at)
    current_role, sending = None, False
    if complaint.status == Complaint.Status.ANSWERED:
        current = ANSWERED
        if complaint.closed_at:
            reached[ANSWERED] = complaint.closed_at
    elif complaint.current_step and definition.has_step(complaint.current_step):
        current = _stage_of(definition, complaint.current_step)
        current_role = definition.role(definition.step(complaint.current_step).role)
        sending = definition.approve_edge(complaint.current_step).target == definition.end
    else:  # withdrawn, or a state this page does not know: no stage is highlighted
        current = None
    position = STAGES.index(current) if current else STAGES.index(RECEIVED)
    stages = []
    for index, key in enumerate(STAGES):
        if current and index == position:
            state = "current"
        elif index < position or (not current and index == position):
            state = "done"
        else:
            state = "todo"
        stages.append(Stage(key, state, reached.get(key) if state != "todo" else None))
    messages = list(
        Message.objects.filter(complaint=complaint)
        .order_by("created_at", "id")
        .only("direction", "body", "created_at")
    )
    awaiting = bool(complaint.awaiting_reply_since and complaint.status == Complaint.Status.OPEN)
    questions = [m for m in messages if m.direction == Message.Direction.TO_CITIZEN]
    last_question = questions[-1] if awaiting and questions else None
    return Timeline(
        stages=tuple(stages),
        current=current,
        current_role=current_role,
        sending=sending,
        standard_minutes=definition.total_minutes,
        answer_due_at=answer_due_at(complaint)
        if complaint.status == Complaint.Status.OPEN
        else None,
        awaiting_reply=last_question is not None,
        last_question=last_question,
        history=tuple(m for m in messages if m is not last_question),
    )
