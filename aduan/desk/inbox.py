"""The inbox: the open steps an official's roles decide, oldest first, timed in working
minutes against the SOP, with counts (and overdue counts) per step.

Reads in a fixed number of queries whatever the number of complaints (the tests hold it):
roles, steps, SOP versions, the official's earlier decisions, and the working calendar
(two small queries, once per request). Nothing here writes.
"""

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field

from django.utils import timezone

from aduan.accounts.selectors import SOP_ROLES, official_roles
from aduan.complaints.models import Complaint, ComplaintStep
from aduan.sla.calendar import calendar_for_today
from aduan.sla.deadlines import next_legal_deadline
from aduan.sla.due import StepClock, step_clock
from aduan.sop.definition import SopDefinition
from aduan.sop.models import SopVersion


def attach_versions(complaints) -> None:
    """Give each complaint its SopVersion from one query (the definition is cached by pk)."""
    complaints = list(complaints)
    versions = SopVersion.objects.in_bulk({c.sop_version_id for c in complaints})
    for complaint in complaints:
        complaint.sop_version = versions[complaint.sop_version_id]


@dataclass(frozen=True)
class InboxRow:
    step: ComplaintStep
    complaint: Complaint
    title: str
    role_name: str
    clock: StepClock
    # The first legal deadline still to meet ("verify" or "follow_up") and its instant.
    legal_key: str = ""
    legal_due_at: dt.datetime | None = None
    legal_late: bool = False

    @property
    def overdue(self) -> bool:
        return self.clock.overdue

    @property
    def awaiting_reply(self) -> bool:
        return self.complaint.awaiting_reply_since is not None


@dataclass(frozen=True)
class StepCount:
    step: str
    label: str
    count: int
    overdue: int = 0


@dataclass
class Inbox:
    rows: list[InboxRow] = field(default_factory=list)
    counts: list[StepCount] = field(default_factory=list)
    total: int = 0
    overdue_total: int = 0
    # Open steps of the official's roles on complaints they already decided at another
    # level: the engine will not let them decide these, so they are left out of the list.
    decided_elsewhere: int = 0
    holds_sop_role: bool = False


def _row(open_step: ComplaintStep, calendar, now: dt.datetime) -> InboxRow:
    complaint = open_step.complaint
    definition: SopDefinition = complaint.sop_version.definition
    spec = definition.step(open_step.step)
    legal = next_legal_deadline(complaint=complaint, open_step=open_step)
    return InboxRow(
        step=open_step,
        complaint=complaint,
        title=spec.title,
        role_name=definition.role(open_step.role).name,
        clock=step_clock(
            step=open_step,
            standard=spec.minutes,
            calendar=calendar,
            now=now,
            paused_since=complaint.awaiting_reply_since,
        ),
        legal_key=legal[0] if legal else "",
        legal_due_at=legal[1] if legal else None,
        legal_late=bool(legal and now > legal[1]),
    )


def inbox_for(
    *, user, step: str = "", overdue: bool = False, now: dt.datetime | None = None
) -> Inbox:
    """The open steps the official's roles decide, oldest first, with counts per step;
    only one step's rows with `step`, only the overdue rows with `overdue` (the counts
    always count everything)."""
    now = now or timezone.now()
    roles = official_roles(user=user) & SOP_ROLES
    inbox = Inbox(holds_sop_role=bool(roles))
    if not roles:
        return inbox
    steps = list(
        ComplaintStep.objects.filter(decided_at__isnull=True, role__in=roles)
        .select_related("complaint__category")
        .defer("complaint__description", "complaint__answer_text")
        .order_by("started_at", "id")
    )
    if not steps:
        return inbox
    attach_versions(s.complaint for s in steps)
    # The engine's separation of duties (engine._decided_other_level), read for all rows
    # at once: a test checks that this list and decisions_for agree.
    decided: dict[int, set[str]] = {}
    for complaint_id, role in ComplaintStep.objects.filter(
        complaint_id__in={s.complaint_id for s in steps}, decided_by=user
    ).values_list("complaint_id", "role"):
        decided.setdefault(complaint_id, set()).add(role)
    calendar = calendar_for_today()
    rows = []
    for open_step in steps:
        if decided.get(open_step.complaint_id, set()) - {open_step.role}:
            inbox.decided_elsewhere += 1
            continue
        rows.append(_row(open_step, calendar, now))
    tally = Counter(r.step.step for r in rows)
    late = Counter(r.step.step for r in rows if r.overdue)
    labels, places = {}, {}
    for r in rows:
        if r.step.step not in labels:
            labels[r.step.step] = f"{r.title} ({r.role_name})"
            order = [s.id for s in r.complaint.sop_version.definition.ordered_steps]
            places[r.step.step] = order.index(r.step.step)
    inbox.counts = [
        StepCount(step=s, label=labels[s], count=tally[s], overdue=late[s])
        for s in sorted(tally, key=places.get)
    ]
    inbox.total = len(rows)
    inbox.overdue_total = sum(late.values())
    inbox.rows = [
        r for r in rows if (not step or r.step.step == step) and (not overdue or r.overdue)
    ]
    return inbox
