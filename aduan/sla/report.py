"""The SOP compliance report (laporan mutu baku): measured step times against the standard.

Pure functions: they take step rows (plain tuples, fetched by
aduan.sla.report_selectors.report_step_rows in one query), the SOP definition and a
working calendar, and return numbers. No database, no clock, no translation.

Definitions (docs/mutu-baku-report.md says the same for people):

- A **step instance** is one ComplaintStep row: one visit of a complaint to a step. It
  counts in the period in which it was decided (`start <= decided_at < end`); its
  **working minutes** are `calendar.working_minutes_between(started_at, decided_at)`.
- **Median** and **90th percentile** are nearest-rank percentiles: sort the N values and
  take the one at rank ceil(P/100 × N) (1-based). Always a measured value, never an
  average of two; the median of 4 values is the 2nd.
- **Within the standard**: working minutes <= the step's standard minutes in the SOP in force.
- A **return** is a step instance decided with "return". It counts for the step that
  returned (the Kasi's step when the Kasi returns the draft to Staff).
- **Time lost to a return**: the working minutes of the returned instance itself, plus
  those of every instance worked after it until the complaint is back at the step that
  returned it (the re-done upstream work: the Staff's new draft after a Kasi return; the
  Kasi's second look after a Kabid return). Each instance is counted once: when returns
  nest (Kabid returns to Kasi, who then returns to Staff), an instance belongs to the most
  recent return still being worked off, and an instance that itself ends in a return
  belongs to that return. Like every measure, lost minutes count in the period in which
  each lost instance was decided; they are credited to the step (and the official) that
  made the return, even if the return was decided in an earlier period.
- **End to end**: for each complaint answered in the period (its closing step, the
  approve edge to the SOP's end, decided in the period), the working minutes from
  `received_at` to that decision, against the SOP's total standard (140 minutes for
  SOP/PIPD/PIAK/11). Time waiting for the citizen's reply is included: the SOP's clock
  does not stop for it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from itertools import groupby
from operator import attrgetter
from typing import NamedTuple

from aduan.sla.calendar import WorkingCalendar
from aduan.sop.definition import APPROVE, RETURN, SopDefinition


class StepRow(NamedTuple):
    """One decided step instance, as report_step_rows fetches it (this field order)."""

    complaint_id: int
    seq: int
    step: str
    role: str
    started_at: dt.datetime
    decided_at: dt.datetime
    decision: str
    next_step: str
    decided_by_id: int | None
    decided_as: str
    received_at: dt.datetime


def nearest_rank(ordered: list[int], percent: int) -> int | None:
    """The nearest-rank percentile of already sorted values: the value at rank
    ceil(percent/100 × N), 1-based; None for no values."""
    if not ordered:
        return None
    if not 0 < percent <= 100:
        raise ValueError(f"percentile {percent} must be above 0 and at most 100")
    rank = -(-percent * len(ordered) // 100)  # ceil in integers: no float rounding
    return ordered[rank - 1]


@dataclass(frozen=True)
class Line:
    """One line of the report: a step (or an official at a step, or a total) and its measures.

    `count` is the number of instances decided in the period (for the end-to-end line, of
    complaints answered); `within` of them took no more than their standard working
    minutes (None where no standard applies: a step the SOP in force does not have).
    """

    activity: str
    actor: str
    standard: int | None
    count: int = 0
    within: int | None = 0
    median: int | None = None
    p90: int | None = None
    returns: int | None = 0
    lost: int | None = 0
    number: int | None = None
    step_id: str = ""
    role: str = ""
    official_id: int | None = None
    decided_as: str = ""
    official: str = ""

    @property
    def share(self) -> float | None:
        """Percentage of the instances within the standard; None when nothing was decided."""
        if not self.count or self.within is None:
            return None
        return 100 * self.within / self.count


@dataclass
class _Tally:
    standard: int | None
    minutes: list[int] = field(default_factory=list)
    returns: int = 0
    lost: int = 0

    def line(self, **labels) -> Line:
        ordered = sorted(self.minutes)
        within = None
        if self.standard is not None:
            within = sum(1 for m in ordered if m <= self.standard)
        measures = {
            "standard": self.standard,
            "count": len(ordered),
            "within": within,
            "median": nearest_rank(ordered, 50),
            "p90": nearest_rank(ordered, 90),
            "returns": self.returns,
            "lost": self.lost,
        }
        return Line(**(measures | labels))


@dataclass(frozen=True)
class ComplianceReport:
    steps: tuple[Line, ...]
    total: Line
    end_to_end: Line
    # Per official at a step (empty unless asked for), ordered by official id and step;
    # name them with `with_official_names`.
    officials: tuple[Line, ...]
    # Instances decided in the period at steps the SOP in force no longer has.
    unlisted: int

    @property
    def lines(self) -> tuple[Line, ...]:
        """Every line of the step table in print order: steps, total, end to end."""
        return (*self.steps, self.total, self.end_to_end)


def compliance_report(
    *,
    rows: Iterable[StepRow],
    definition: SopDefinition,
    calendar: WorkingCalendar,
    start: dt.datetime,
    end: dt.datetime,
    per_official: bool = False,
) -> ComplianceReport:
    """Measure the step instances decided in [start, end) against `definition`.

    `rows` are decided step instances sorted by complaint and seq. A complaint's rows
    decided before `start` may be included: they are not measured, but they say which
    return an instance of the period re-does. Rows decided at or after `end` are ignored.
    """
    steps = definition.ordered_steps
    order = {s.id: number for number, s in enumerate(steps, start=1)}
    by_step = {s.id: _Tally(s.minutes) for s in steps}
    by_official: dict[tuple[int | None, str, str], _Tally] = {}
    end_to_end = _Tally(definition.total_minutes)
    unlisted = 0

    def official(who: int | None, acting: str, step_id: str) -> _Tally:
        key = (who, acting, step_id)
        tally = by_official.get(key)
        if tally is None:
            known = definition.has_step(step_id)
            tally = by_official[key] = _Tally(definition.step(step_id).minutes if known else None)
        return tally

    for _complaint, history in groupby(rows, key=attrgetter("complaint_id")):
        # The returns still being worked off, innermost last: (returning step, who, as).
        open_returns: list[tuple[str, int | None, str]] = []
        for row in history:
            if row.decided_at >= end:
                continue
            # Back at the step that returned it: that return's rework is over.
            while open_returns and open_returns[-1][0] == row.step:
                open_returns.pop()
            if row.decision == RETURN:
                cause = (row.step, row.decided_by_id, row.decided_as)
                open_returns.append(cause)
            else:
                cause = open_returns[-1] if open_returns else None
            if row.decided_at < start:
                continue

            minutes = calendar.working_minutes_between(row.started_at, row.decided_at)
            tally = by_step.get(row.step)
            if tally is None:
                unlisted += 1
            else:
                tally.minutes.append(minutes)
            mine = official(row.decided_by_id, row.decided_as, row.step) if per_official else None
            if mine is not None:
                mine.minutes.append(minutes)
            if row.decision == RETURN:
                if tally is not None:
                    tally.returns += 1
                if mine is not None:
                    mine.returns += 1
            if cause is not None:
                cause_step, who, acting = cause
                if cause_step in by_step:
                    by_step[cause_step].lost += minutes
                if per_official:
                    official(who, acting, cause_step).lost += minutes
            if row.decision == APPROVE and row.next_step == definition.end:
                end_to_end.minutes.append(
                    calendar.working_minutes_between(row.received_at, row.decided_at)
                )

    def labels(step_id: str, role: str) -> dict:
        step = definition.step(step_id) if definition.has_step(step_id) else None
        role = step.role if step else role
        return {
            "number": order.get(step_id),
            "step_id": step_id,
            "activity": step.title if step else step_id,
            "role": role,
            "actor": _role_name(definition, role),
        }

    step_lines = tuple(by_step[s.id].line(**labels(s.id, s.role)) for s in steps)
    official_lines = tuple(
        tally.line(official_id=who, decided_as=acting, **labels(step_id, ""))
        for (who, acting, step_id), tally in sorted(
            by_official.items(),
            key=lambda item: (item[0][0] or 0, order.get(item[0][2], 999), item[0][1]),
        )
    )
    # The total's share is over all instances, each against its own step's standard.
    total = Line(
        activity="",
        actor="",
        standard=None,
        count=sum(line.count for line in step_lines),
        within=sum(line.within for line in step_lines),
        returns=sum(line.returns for line in step_lines),
        lost=sum(line.lost for line in step_lines),
    )
    return ComplianceReport(
        steps=step_lines,
        total=total,
        end_to_end=end_to_end.line(activity="", actor="", returns=None, lost=None),
        officials=official_lines,
        unlisted=unlisted,
    )


def _role_name(definition: SopDefinition, role: str) -> str:
    try:
        return definition.role(role).name
    except KeyError:
        return role


def with_official_names(lines: Iterable[Line], names: Mapping[int | None, str]) -> list[Line]:
    """The per-official lines with each official's name, ordered by name, then step."""
    named = [replace(line, official=names.get(line.official_id, "")) for line in lines]
    return sorted(named, key=lambda line: (line.official.casefold(), line.number or 999))
