"""Due times of steps: when a step is due, when to remind, how a pause moves them, and how
the desk reads a step's clock.

- A step is due its standard working minutes after it starts (`due_at`); the reminder comes
  at 75% of them, rounded up to a whole minute (`remind_at`). Both are stored when the
  engine opens the step, with the calendar in force then. A return opens a new step, whose
  clock starts afresh.
- While the complaint waits for the citizen's reply the clock is paused. When the pause ends
  (the reply, or a new question that starts a new wait), the open step's due and reminder
  times move forward by the working minutes of the pause that fall inside that step:
  from the later of the question and the step's start, to the end of the pause. A pause that
  began before the step started counts only from the step's start: time before a step existed
  was never charged to it. The minutes are added to `paused_minutes` and recorded in the
  audit log by the caller.
- A step decided while the complaint waits keeps no credit: its official went on without
  the reply, so its clock was running.
"""

import datetime as dt
from dataclasses import dataclass

from django.db.models import F

from aduan.complaints.models import ComplaintStep
from aduan.sla.calendar import WorkingCalendar

REMIND_NUMERATOR, REMIND_DENOMINATOR = 3, 4  # the reminder at 75% of the standard time


def remind_minutes(minutes: int) -> int:
    """75% of `minutes`, rounded up: 45 of 60, 15 of 20."""
    return -(-minutes * REMIND_NUMERATOR // REMIND_DENOMINATOR)


def step_due_times(
    *, started_at: dt.datetime, minutes: int, calendar: WorkingCalendar
) -> dict[str, dt.datetime]:
    """The `due_at` and `remind_at` of a step of `minutes` standard working minutes."""
    return {
        "due_at": calendar.add_working_minutes(started_at, minutes),
        "remind_at": calendar.add_working_minutes(started_at, remind_minutes(minutes)),
    }


@dataclass(frozen=True)
class PauseCredit:
    step: ComplaintStep
    minutes: int
    due_at: dt.datetime


def step_pause_credit(
    *, complaint_id: int, paused_since: dt.datetime, until: dt.datetime, calendar: WorkingCalendar
) -> PauseCredit | None:
    """End a pause: move the open step's due and reminder times forward by the working
    minutes of the pause that fall inside it. None when no open step had its clock paused.

    Call inside the transaction that ends the pause; the open step row is locked first, so
    two pauses ending at once add up instead of overwriting each other.
    """
    step = (
        ComplaintStep.objects.select_for_update(no_key=True)
        .filter(complaint_id=complaint_id, decided_at__isnull=True, due_at__isnull=False)
        .first()
    )
    if step is None:
        return None
    minutes = calendar.working_minutes_between(max(paused_since, step.started_at), until)
    if minutes == 0:
        return None
    due_at = calendar.add_working_minutes(step.due_at, minutes)
    changes = {"due_at": due_at, "paused_minutes": F("paused_minutes") + minutes}
    if step.remind_at is not None:
        changes["remind_at"] = calendar.add_working_minutes(step.remind_at, minutes)
    ComplaintStep.objects.filter(pk=step.pk).update(**changes)
    return PauseCredit(step=step, minutes=minutes, due_at=due_at)


@dataclass(frozen=True)
class StepClock:
    """A step's time as the desk shows it, in working minutes."""

    due_at: dt.datetime | None
    standard: int
    used: int  # working minutes used so far (or in all, once decided), pauses left out
    left: int  # working minutes until due; 0 once due
    late: int  # working minutes past due; 0 until then
    overdue: bool
    paused: bool  # waiting for the citizen's reply: the clock stands still

    @property
    def over_standard(self) -> bool:
        return self.used > self.standard


def step_clock(
    *,
    step: ComplaintStep,
    standard: int,
    calendar: WorkingCalendar,
    now: dt.datetime,
    paused_since: dt.datetime | None = None,
) -> StepClock:
    """The clock of one step at `now`: stopped at its decision, or at the start of the
    current pause (`paused_since`, for the open step of a complaint waiting for a reply)."""
    paused = step.decided_at is None and paused_since is not None
    if step.decided_at is not None:
        as_of = step.decided_at
    elif paused:
        as_of = max(paused_since, step.started_at)
    else:
        as_of = now
    used = max(0, calendar.working_minutes_between(step.started_at, as_of) - step.paused_minutes)
    due = step.due_at
    if due is None:
        return StepClock(None, standard, used, max(0, standard - used), 0, used > standard, paused)
    overdue = as_of >= due
    return StepClock(
        due_at=due,
        standard=standard,
        used=used,
        left=0 if overdue else calendar.working_minutes_between(as_of, due),
        late=calendar.working_minutes_between(due, as_of),
        overdue=overdue,
        paused=paused,
    )
