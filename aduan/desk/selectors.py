"""What the desk reads: the inbox, the complaint list, one complaint with its history.

Every function here reads in a fixed number of queries whatever the number of complaints,
steps or drafts (the tests hold them to it). Nothing here writes.
"""

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field

from django.db.models import QuerySet
from django.utils import timezone

from aduan.accounts.selectors import SOP_ROLES, acting_title, official_roles
from aduan.audit.models import AuditEvent
from aduan.complaints.models import Complaint, ComplaintStep, Draft
from aduan.desk.diff import text_diff_html
from aduan.sop.definition import SopDefinition
from aduan.sop.models import SopVersion


def _attach_versions(complaints) -> None:
    """Give each complaint its SopVersion from one query (the definition is cached by pk)."""
    complaints = list(complaints)
    versions = SopVersion.objects.in_bulk({c.sop_version_id for c in complaints})
    for complaint in complaints:
        complaint.sop_version = versions[complaint.sop_version_id]


def elapsed_minutes(*, since: dt.datetime, now: dt.datetime) -> int:
    """Whole wall-clock minutes from `since` to `now` (working hours come later)."""
    return max(0, int((now - since).total_seconds() // 60))


@dataclass(frozen=True)
class InboxRow:
    step: ComplaintStep
    complaint: Complaint
    title: str
    role_name: str
    minutes: int
    standard: int

    @property
    def overdue(self) -> bool:
        return self.minutes > self.standard

    @property
    def awaiting_reply(self) -> bool:
        return self.complaint.awaiting_reply_since is not None


@dataclass(frozen=True)
class StepCount:
    step: str
    label: str
    count: int


@dataclass
class Inbox:
    rows: list[InboxRow] = field(default_factory=list)
    counts: list[StepCount] = field(default_factory=list)
    total: int = 0
    # Open steps of the official's roles on complaints they already decided at another
    # level: the engine will not let them decide these, so they are left out of the list.
    decided_elsewhere: int = 0
    holds_sop_role: bool = False


def inbox_for(*, user, step: str = "", now: dt.datetime | None = None) -> Inbox:
    """The open steps the official's roles decide, oldest first, with counts per step.

    Four queries at most (roles, steps, SOP versions, the official's earlier decisions),
    whatever the number of complaints.
    """
    now = now or timezone.now()
    roles = official_roles(user=user) & SOP_ROLES
    inbox = Inbox(holds_sop_role=bool(roles))
    if not roles:
        return inbox
    steps = list(
        ComplaintStep.objects.filter(decided_at__isnull=True, role__in=roles)
        .select_related("complaint__category")
        .defer("complaint__description")
        .order_by("started_at", "id")
    )
    if not steps:
        return inbox
    _attach_versions(s.complaint for s in steps)
    # The engine's separation of duties (engine._decided_other_level), read for all rows
    # at once: a test checks that this list and decisions_for agree.
    decided: dict[int, set[str]] = {}
    for complaint_id, role in ComplaintStep.objects.filter(
        complaint_id__in={s.complaint_id for s in steps}, decided_by=user
    ).values_list("complaint_id", "role"):
        decided.setdefault(complaint_id, set()).add(role)
    rows = []
    for open_step in steps:
        if decided.get(open_step.complaint_id, set()) - {open_step.role}:
            inbox.decided_elsewhere += 1
            continue
        definition: SopDefinition = open_step.complaint.sop_version.definition
        spec = definition.step(open_step.step)
        rows.append(
            InboxRow(
                step=open_step,
                complaint=open_step.complaint,
                title=spec.title,
                role_name=definition.role(open_step.role).name,
                minutes=elapsed_minutes(since=open_step.started_at, now=now),
                standard=spec.minutes,
            )
        )
    tally = Counter(r.step.step for r in rows)
    labels, places = {}, {}
    for r in rows:
        if r.step.step not in labels:
            labels[r.step.step] = f"{r.title} ({r.role_name})"
            order = [s.id for s in r.complaint.sop_version.definition.ordered_steps]
            places[r.step.step] = order.index(r.step.step)
    inbox.counts = [
        StepCount(step=s, label=labels[s], count=tally[s]) for s in sorted(tally, key=places.get)
    ]
    inbox.total = len(rows)
    inbox.rows = [r for r in rows if not step or r.step.step == step]
    return inbox


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
    _attach_versions(complaints)
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
    minutes: int
    standard: int
    # "Plh. Kepala Bidang" when the step was decided by an acting official, else "".
    decided_as_title: str = ""

    @property
    def overdue(self) -> bool:
        return self.minutes > self.standard


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

    Six queries, whatever the number of steps, drafts or messages.
    """
    now = now or timezone.now()
    complaint = (
        Complaint.objects.select_related("category", "sop_version", "registered_by")
        .filter(pk=pk)
        .first()
    )
    if complaint is None:
        return None
    definition = complaint.sop_version.definition
    steps = list(complaint.steps.select_related("decided_by").order_by("seq"))
    timeline = []
    open_step = None
    for s in steps:
        s.complaint = complaint  # decisions_for reads step.complaint.sop_version
        spec = definition.step(s.step) if definition.has_step(s.step) else None
        label = ""
        if s.decision:
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
                minutes=elapsed_minutes(since=s.started_at, now=s.decided_at or now),
                standard=spec.minutes if spec else 0,
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
