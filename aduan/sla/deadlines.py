"""The outer legal clock of a complaint: the instants of its SOP's [deadlines].

Counting (docs/working-calendar.md, "Legal deadlines"):
- The day the complaint is received is not counted.
- N working days: the deadline is the office's closing time on the Nth working day after the
  day of receipt (national holidays, cuti bersama and the office's days off are skipped).
- N days (calendar days): the deadline is 23:59 on the Nth day after the day of receipt.
- The instants are computed once, at registration, and stored on the complaint.

When a deadline is met, for the desk's marks: "verify" when the SOP's first step (verify the
problem and draft the answer) is first decided; "follow_up" and "resolve" when the complaint
is closed (answered, or withdrawn).
"""

import datetime as dt
from dataclasses import dataclass

from aduan.sla.calendar import MAX_IDLE_DAYS, ONE_DAY, WorkingCalendar
from aduan.sop.deadlines import FOLLOW_UP, RESOLVE, VERIFY, Deadline
from aduan.sop.definition import APPROVE, SopDefinition

FIELD_OF = {VERIFY: "verify_due_at", FOLLOW_UP: "follow_up_due_at", RESOLVE: "resolve_due_at"}


def deadline_instant(
    *, received_at: dt.datetime, deadline: Deadline, calendar: WorkingCalendar
) -> dt.datetime:
    day = received_at.astimezone(calendar.tz).date()
    if not deadline.working:
        last = day + dt.timedelta(days=deadline.count)
        return dt.datetime.combine(last, dt.time(23, 59), tzinfo=calendar.tz)
    counted = idle = 0
    while counted < deadline.count:
        day += ONE_DAY
        intervals = calendar.intervals_on(day)
        if intervals:
            counted, idle = counted + 1, 0
        else:
            idle += 1
            if idle > MAX_IDLE_DAYS:
                raise ValueError(f"no working day in the {MAX_IDLE_DAYS} days before {day}")
    closes = intervals[-1][1]
    return dt.datetime.combine(day, dt.time(closes // 60, closes % 60), tzinfo=calendar.tz)


def complaint_deadlines(
    *, received_at: dt.datetime, definition: SopDefinition, calendar: WorkingCalendar
) -> dict[str, dt.datetime]:
    """The Complaint fields of the legal clock: {"verify_due_at": ..., ...}."""
    return {
        FIELD_OF[d.key]: deadline_instant(received_at=received_at, deadline=d, calendar=calendar)
        for d in definition.deadlines
    }


@dataclass(frozen=True)
class LegalDeadline:
    key: str  # verify, follow_up, resolve
    deadline: Deadline
    due_at: dt.datetime
    met_at: dt.datetime | None
    late: bool  # met after it, or not met and passed


def legal_deadlines(*, complaint, steps, definition: SopDefinition, now: dt.datetime):
    """The complaint's legal deadlines with when each was met, from its steps (no query)."""
    verified = [
        s.decided_at
        for s in steps
        if s.step == definition.start and s.decision == APPROVE and s.decided_at
    ]
    met = {
        VERIFY: min(verified) if verified else None,
        FOLLOW_UP: complaint.closed_at,
        RESOLVE: complaint.closed_at,
    }
    result = []
    for deadline in definition.deadlines:
        due_at = getattr(complaint, FIELD_OF[deadline.key])
        if due_at is None:
            continue
        met_at = met[deadline.key]
        late = (met_at or now) > due_at
        result.append(LegalDeadline(deadline.key, deadline, due_at, met_at, late))
    return result


def next_legal_deadline(*, complaint, open_step) -> tuple[str, dt.datetime] | None:
    """The first legal deadline an open complaint has still to meet, for the inbox: verify
    until the first step is decided for the first time, then follow-up."""
    if open_step.seq == 1 and complaint.verify_due_at is not None:
        return VERIFY, complaint.verify_due_at
    if complaint.follow_up_due_at is not None:
        return FOLLOW_UP, complaint.follow_up_due_at
    return None
