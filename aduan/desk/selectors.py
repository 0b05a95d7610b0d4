"""What the desk reads: the complaint list, one complaint with its history, the audit log;
the inbox lives in desk.inbox.

Every function here reads in a fixed number of queries whatever the number of complaints,
steps or drafts (the tests hold them to it). Nothing here writes.
"""

import datetime as dt
from dataclasses import dataclass

from django.db.models import OuterRef, QuerySet, Subquery
from django.utils import timezone
from django.utils.translation import gettext as _

from aduan.accounts.selectors import acting_title
from aduan.audit.models import AuditEvent
from aduan.complaints.models import Complaint, ComplaintStep, Draft
from aduan.desk.diff import text_diff_html
from aduan.desk.inbox import Inbox, InboxRow, StepCount, attach_versions, inbox_for
from aduan.sla.calendar import calendar_for_today
from aduan.sla.deadlines import LegalDeadline, legal_deadlines
from aduan.sla.due import StepClock, step_clock
from aduan.sop.definition import SopDefinition
from aduan.sop.engine import WITHDRAWN
from aduan.sop.models import SopVersion

__all__ = ["Inbox", "InboxRow", "StepCount", "inbox_for"]  # the inbox, read from here too


def complaint_list(*, status: str = "") -> QuerySet[Complaint]:
    """Every complaint, newest first; paginate it, then call complaint_list_titles."""
    complaints = (
        Complaint.objects.select_related("category")
        .defer("description", "answer_text")
        .order_by("-received_at", "-id")
    )
    if status:
        complaints = complaints.filter(status=status)
    return complaints


def complaint_list_titles(complaints) -> list[Complaint]:
    """Attach `step_title` (the current step's title and role) to a page of complaints."""
    complaints = list(complaints)
    attach_versions(complaints)
    for complaint in complaints:
        complaint.step_title = ""
        if complaint.current_step:
            definition = complaint.sop_version.definition
            if definition.has_step(complaint.current_step):
                spec = definition.step(complaint.current_step)
                complaint.step_title = f"{spec.title} ({definition.role(spec.role).name})"
    return complaints


@dataclass(frozen=True)
class TimelineEntry:
    step: ComplaintStep
    title: str
    role_name: str
    decision_label: str
    clock: StepClock  # working minutes used against the standard, the due time
    # "Plh. Kepala Bidang" when the step was decided by an acting official, else "".
    decided_as_title: str = ""

    @property
    def overdue(self) -> bool:
        return self.clock.overdue


@dataclass(frozen=True)
class DraftVersion:
    draft: Draft
    step_title: str
    diff_html: str


@dataclass
class ComplaintRecord:
    complaint: Complaint
    definition: SopDefinition
    timeline: list[TimelineEntry]
    drafts: list[DraftVersion]
    messages: list
    attachments: list
    open_step: ComplaintStep | None
    deadlines: list[LegalDeadline]

    @property
    def latest_draft(self) -> Draft | None:
        return self.drafts[-1].draft if self.drafts else None

    @property
    def last_return(self) -> ComplaintStep | None:
        """The decision that sent the complaint back to its open step, if it was a return."""
        if self.open_step is None:
            return None
        for entry in reversed(self.timeline):
            if entry.step.seq == self.open_step.seq - 1:
                return entry.step if entry.step.decision == "return" else None
        return None


def complaint_record(*, pk: int, now: dt.datetime | None = None) -> ComplaintRecord | None:
    """One complaint with its steps, drafts (and their differences), messages, attachments.

    Six queries, whatever the number of steps, drafts or messages, and the working
    calendar's two.
    """
    now = now or timezone.now()
    complaint = (
        Complaint.objects.select_related(
            "category",
            "sop_version",
            "registered_by",
            "reopened_from",
            "rating",
            "open311_request",
        )
        .annotate(
            reopened_as_pk=Subquery(
                Complaint.objects.filter(reopened_from=OuterRef("pk"))
                .order_by("pk")
                .values("pk")[:1]
            )
        )
        .filter(pk=pk)
        .first()
    )
    if complaint is None:
        return None
    definition = complaint.sop_version.definition
    steps = list(complaint.steps.select_related("decided_by").order_by("seq"))
    calendar = calendar_for_today()
    timeline = []
    open_step = None
    for s in steps:
        s.complaint = complaint  # decisions_for reads step.complaint.sop_version
        spec = definition.step(s.step) if definition.has_step(s.step) else None
        label = ""
        if s.decision == WITHDRAWN:
            label = _("Ditarik: pelapor tidak menjawab")
        elif s.decision:
            label = next(
                (
                    e.label
                    for e in definition.edges_from(s.step)
                    if e.decision == s.decision and e.target == s.next_step
                ),
                s.decision,
            )
        if s.is_open:
            open_step = s
        role_name = definition.role(s.role).name if spec else s.role
        timeline.append(
            TimelineEntry(
                step=s,
                title=spec.title if spec else s.step,
                role_name=role_name,
                decision_label=label,
                clock=step_clock(
                    step=s,
                    standard=spec.minutes if spec else 0,
                    calendar=calendar,
                    now=now,
                    paused_since=complaint.awaiting_reply_since,
                ),
                decided_as_title=acting_title(kind=s.decided_as, role_name=role_name)
                if s.decided_as
                else "",
            )
        )
    titles = {e.step.pk: e.title for e in timeline}
    drafts, previous = [], ""
    for draft in complaint.drafts.select_related("author").order_by("seq"):
        drafts.append(
            DraftVersion(
                draft=draft,
                step_title=titles.get(draft.step_id, ""),
                diff_html=text_diff_html(previous, draft.body),
            )
        )
        previous = draft.body
    return ComplaintRecord(
        complaint=complaint,
        definition=definition,
        timeline=timeline,
        drafts=drafts,
        messages=list(complaint.messages.select_related("author")),
        attachments=list(complaint.attachments.order_by("id")),
        open_step=open_step,
        deadlines=legal_deadlines(complaint=complaint, steps=steps, definition=definition, now=now),
    )


def audit_events(*, complaint_id: int | None = None, action: str = "") -> QuerySet[AuditEvent]:
    events = AuditEvent.objects.order_by("-id")
    if complaint_id is not None:
        events = events.filter(complaint_id=complaint_id)
    if action:
        events = events.filter(action=action)
    return events


def audit_event_rows(events) -> list[AuditEvent]:
    """A page of events, each with `acting_title` ("Plh. Kepala Bidang") when it records a
    decision taken as an acting official, else "". Role names come from the complaint's SOP
    version: two queries when the page holds such a decision, none otherwise."""
    events = list(events)
    acting = [e for e in events if isinstance(e.data, dict) and e.data.get("decided_as")]
    for event in events:
        event.acting_title = ""
    if not acting:
        return events
    version_of = dict(
        Complaint.objects.filter(pk__in={e.complaint_id for e in acting}).values_list(
            "pk", "sop_version_id"
        )
    )
    versions = SopVersion.objects.in_bulk(set(version_of.values()))
    for event in acting:
        role = str(event.data.get("role", ""))
        version = versions.get(version_of.get(event.complaint_id))
        names = {r.id: r.name for r in version.definition.roles} if version else {}
        event.acting_title = acting_title(
            kind=str(event.data["decided_as"]), role_name=names.get(role, role)
        )
    return events


def audit_actions() -> list[str]:
    return list(AuditEvent.objects.order_by("action").values_list("action", flat=True).distinct())


def complaint_by_agenda(*, year: int, seq: int) -> Complaint | None:
    return Complaint.objects.filter(agenda_year=year, agenda_seq=seq).only("pk").first()


def complaint_exists(*, pk: int) -> bool:
    return Complaint.objects.filter(pk=pk).exists()


def step_of_complaint(*, step_id: int, complaint_id: int) -> bool:
    """Whether step `step_id` is one of this complaint's (a form posts the step it showed)."""
    return ComplaintStep.objects.filter(pk=step_id, complaint_id=complaint_id).exists()
