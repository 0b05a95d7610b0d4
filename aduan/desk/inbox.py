"""The inbox: the open steps an official's roles decide, oldest first, timed in working
minutes against the SOP, with counts (and overdue counts) per step.

Reads in a fixed number of queries whatever the number of complaints (the tests hold it),
and a page of rows whatever the backlog: the counts per step are one aggregate query, the
rows one page (PAGE_SIZE, oldest first) with their SOP versions, and the working calendar
(two small queries, once per request). Nothing here writes.
"""

import datetime as dt
from dataclasses import dataclass, field

from django.core.paginator import Page, Paginator
from django.db.models import Count, Exists, F, OuterRef, Q
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
    page: Page | None = None  # the page of rows shown (None: nothing to show)


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


PAGE_SIZE = 25  # as the complaint list; each row costs about a millisecond to render


def overdue_q(now: dt.datetime, prefix: str = "") -> Q:
    """Open steps overdue at `now` as their clock says (aduan.sla.due.step_clock): due by
    now, and if the complaint waits for the citizen's reply, due before the wait began (the
    clock stopped then)."""
    return Q(**{f"{prefix}due_at__lte": now}) & (
        Q(**{f"{prefix}complaint__awaiting_reply_since__isnull": True})
        | Q(**{f"{prefix}complaint__awaiting_reply_since__gte": F(f"{prefix}due_at")})
    )


def inbox_for(
    *,
    user,
    step: str = "",
    overdue: bool = False,
    page: int | str | None = 1,
    page_size: int | None = None,
    now: dt.datetime | None = None,
) -> Inbox:
    """The open steps the official's roles decide, oldest first, with counts per step; one
    page of rows (`page`, `page_size` or PAGE_SIZE each; past the end, the last page); only
    one step's rows with `step`, only the overdue rows with `overdue` (the counts always
    count everything)."""
    now = now or timezone.now()
    roles = official_roles(user=user) & SOP_ROLES
    inbox = Inbox(holds_sop_role=bool(roles))
    if not roles:
        return inbox
    open_steps = ComplaintStep.objects.filter(decided_at__isnull=True, role__in=roles)
    # The engine's separation of duties (engine._decided_other_level): steps of complaints
    # the official decided at another level are not theirs to decide. A test checks that
    # this and decisions_for agree.
    elsewhere = Exists(
        ComplaintStep.objects.filter(complaint_id=OuterRef("complaint_id"), decided_by=user)
        .exclude(role=OuterRef("role"))
        .values("pk")
    )
    late = overdue_q(now)
    counted = open_steps.values("step").annotate(
        n=Count("id", filter=~Q(elsewhere)),
        late=Count("id", filter=~Q(elsewhere) & late),
        other=Count("id", filter=Q(elsewhere)),
    )
    tally = {row["step"]: row for row in counted.order_by()}
    if not tally:
        return inbox
    inbox.decided_elsewhere = sum(row["other"] for row in tally.values())
    # Every SOP version an open step of theirs runs under (a handful), for the labels and
    # the rows' clocks alike.
    versions = SopVersion.objects.filter(
        pk__in=open_steps.values("complaint__sop_version_id")
    ).order_by("-pk")
    definitions = {v.pk: v for v in versions}
    newest = next(iter(definitions.values()))
    places, labels = {}, {}
    for step_id in tally:
        definition: SopDefinition = next(
            (v.definition for v in definitions.values() if v.definition.has_step(step_id)),
            newest.definition,
        )
        spec = definition.step(step_id)
        labels[step_id] = f"{spec.title} ({definition.role(spec.role).name})"
        places[step_id] = [s.id for s in definition.ordered_steps].index(step_id)
    inbox.counts = [
        StepCount(step=s, label=labels[s], count=tally[s]["n"], overdue=tally[s]["late"])
        for s in sorted(tally, key=places.get)
        if tally[s]["n"]
    ]
    inbox.total = sum(c.count for c in inbox.counts)
    inbox.overdue_total = sum(c.overdue for c in inbox.counts)
    shown = open_steps.filter(~Q(elsewhere))
    if step:
        shown = shown.filter(step=step)
    if overdue:
        shown = shown.filter(late)
    shown = (
        shown.select_related("complaint__category")
        .defer("complaint__description", "complaint__answer_text")
        .order_by("started_at", "id")
    )
    paginator = Paginator(shown, page_size or PAGE_SIZE)
    # The number of rows shown is already counted above: no second COUNT.
    chosen = [tally.get(step)] if step else tally.values()
    paginator.count = sum(row["late" if overdue else "n"] for row in chosen if row)
    inbox.page = paginator.get_page(page)
    steps = list(inbox.page.object_list)
    for s in steps:
        s.complaint.sop_version = definitions[s.complaint.sop_version_id]
    calendar = calendar_for_today()
    inbox.rows = [_row(open_step, calendar, now) for open_step in steps]
    return inbox
