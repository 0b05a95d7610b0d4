"""The outer legal clock of a complaint: the optional [deadlines] table of an SOP file.

Beside the standard times of its steps (working minutes), a complaint has legal deadlines
counted from its receipt: by default, Perpres 76/2013 (and UU 25/2009 Art. 50): verified and
taken up within 3 working days, followed up within 5 working days, resolved within 60 days
of the file being complete. The regulation writes "hari kerja" for the first two and "hari"
for the third, so 60 counts calendar days. An SOP file may set its own values:

    [deadlines]
    verify = { working_days = 3 }
    follow_up = { working_days = 5 }
    resolve = { days = 60 }

Pure Python: the parser is called by aduan.sop.definition; aduan.sla.deadlines computes the
instants with the working calendar.
"""

from collections.abc import Callable
from dataclasses import dataclass

VERIFY, FOLLOW_UP, RESOLVE = "verify", "follow_up", "resolve"
DEADLINE_KEYS = (VERIFY, FOLLOW_UP, RESOLVE)
WORKING_DAYS, DAYS = "working_days", "days"
# Generous bounds: a typing slip (3000 days) is refused rather than obeyed.
MAX_DAYS = 366


@dataclass(frozen=True)
class Deadline:
    key: str
    count: int
    working: bool  # True: working days of the office calendar; False: calendar days

    def as_data(self) -> dict:
        return {WORKING_DAYS if self.working else DAYS: self.count}


DEFAULT_DEADLINES: tuple[Deadline, ...] = (
    Deadline(VERIFY, 3, working=True),
    Deadline(FOLLOW_UP, 5, working=True),
    Deadline(RESOLVE, 60, working=False),
)


def parse_deadlines(
    raw, *, fail: Callable[[str, int | None], None], line_of: Callable[[str | None], int | None]
) -> tuple[Deadline, ...]:
    """The deadlines of a [deadlines] table (None when the file has none: the defaults).

    A deadline the table leaves out keeps its default. `fail(problem, line)` raises;
    `line_of(key)` finds the line of a key in the table (None: the table's header).
    """
    if raw is None:
        return DEFAULT_DEADLINES
    if not isinstance(raw, dict):
        fail(
            "[deadlines] must be a table, e.g. [deadlines] with verify = { working_days = 3 }",
            line_of(None),
        )
    for key in raw:
        if key not in DEADLINE_KEYS:
            fail(
                f"[deadlines] has unknown deadline {key!r} (known: {', '.join(DEADLINE_KEYS)})",
                line_of(key),
            )
    deadlines = []
    for default in DEFAULT_DEADLINES:
        value = raw.get(default.key)
        if value is None:
            deadlines.append(default)
            continue
        example = f"{default.key} = {{ {next(iter(default.as_data()))} = {default.count} }}"
        if not isinstance(value, dict) or len(value) != 1:
            fail(
                f"deadline {default.key!r} must name one count, in working_days or days: "
                f"write {example}",
                line_of(default.key),
            )
        ((unit, count),) = value.items()
        if unit not in (WORKING_DAYS, DAYS):
            fail(
                f"deadline {default.key!r} counts {unit!r}: use working_days or days "
                f"(e.g. {example})",
                line_of(default.key),
            )
        if isinstance(count, bool) or not isinstance(count, int) or not 0 < count <= MAX_DAYS:
            fail(
                f"deadline {default.key!r} has {unit} = {count!r}: a whole number from 1 to "
                f"{MAX_DAYS}",
                line_of(default.key),
            )
        deadlines.append(Deadline(default.key, count, working=unit == WORKING_DAYS))
    return tuple(deadlines)
