"""What the dashboard and the monthly recap show, as plain data: the contract between the
numbers (aduan.dashboard.selectors) and their drawing (charts, pages, the recap PDF).

Every chart is a table first: `x_labels` along one axis, one `Series` of values per line,
bar group or stack. The page draws it as SVG and prints the same numbers beside it as a
table; the CSV download is that table.
"""

import datetime as dt
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Series:
    key: str  # stable id (a category code, a channel, a step id, "received"...)
    label: str  # what the legend and the table header say
    values: tuple[float | int | None, ...]  # one per x label; None = no data
    # Shown in the table (and the CSV) only, not drawn: a count beside an average or a
    # median, whose scale would flatten the line it explains.
    table_only: bool = False


@dataclass(frozen=True)
class Chart:
    id: str  # slug, unique on the page; the CSV is ?chart=<id>&format=csv
    title: str
    kind: str  # "bar" (grouped), "stacked", "line", "hbar" (horizontal bars)
    x_labels: tuple[str, ...]
    series: tuple[Series, ...]
    unit: str  # what the values count: "pengaduan", "%", "menit kerja", "nilai (1–5)"
    target: float | None = None  # a reference line: 100 %, the 140-minute standard
    target_label: str = ""
    note: str = ""  # one sentence on how it is counted

    @property
    def is_empty(self) -> bool:
        return not any(v for s in self.series for v in s.values if v)


@dataclass(frozen=True)
class Dashboard:
    scope: str  # "office", "unit" or "own"
    scope_label: str  # "Seluruh kantor", "Seksi …", "Pekerjaan Anda"
    first: dt.date
    last: dt.date
    category: str | None  # the category code filtered on, or None
    charts: tuple[Chart, ...]


@dataclass(frozen=True)
class OpenComplaint:
    id: int
    agenda_number: str
    received_at: dt.datetime
    subject: str
    step_title: str
    role_name: str
    working_minutes_open: int  # since received, in working minutes


@dataclass(frozen=True)
class Recap:
    """The monthly recap (rekap bulanan) of the whole office."""

    month: dt.date  # the first day of the month
    totals: tuple[tuple[str, int | float | str], ...]  # (label, value), in print order
    charts: tuple[Chart, ...]
    oldest_open: tuple[OpenComplaint, ...]
    notes: tuple[str, ...] = field(default=())
