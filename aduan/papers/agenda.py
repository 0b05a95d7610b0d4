"""The agenda book (buku agenda): the register of complaints read for a period.

The filter form (period, channel, category, status), the one query for the rows, and the
one column definition that feeds the page, the CSV and XLSX files and the PDF (netbox's
shape: a table defined once, every output reads it).

The rows are read with `values()`, only the columns the book prints, so an export of a
year walks them with `.iterator()` in constant memory. The current step's title comes
from each complaint's own SOP version, read once per version, never once per row.
"""

import datetime as dt
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from types import SimpleNamespace

from django import forms
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from aduan.complaints.masking import complainant_label
from aduan.complaints.models import Category, Complaint
from aduan.desk.report_forms import PeriodForm
from aduan.sop.models import SopVersion

# What the query reads: nothing more (no description, no contact details).
FIELDS = (
    "id",
    "agenda_year",
    "agenda_seq",
    "received_at",
    "channel",
    "name",
    "is_anonymous",
    "is_confidential",
    "category__name",
    "subject",
    "sop_version_id",
    "current_step",
    "status",
    "closed_at",
    "letter__number",
)


@dataclass(frozen=True, slots=True)
class AgendaRow:
    """One line of the agenda book, as every output prints it."""

    pk: int
    agenda_number: str
    received_at: dt.datetime  # in the office's time zone
    channel: str
    complainant: str  # "Anonim" / "Rahasia" / the name (aduan.complaints.masking)
    category: str
    subject: str
    disposition: str  # the current step while open; "Dijawab" / "Ditarik" once closed
    answered_on: dt.date | None
    letter_number: str


@dataclass(frozen=True)
class Column:
    key: str  # the AgendaRow attribute
    header: str
    kind: str = "text"  # "text", "datetime" or "date"
    width: int = 14  # characters, for the XLSX column


COLUMNS = (
    Column("agenda_number", gettext_lazy("Nomor agenda"), width=12),
    Column("received_at", gettext_lazy("Diterima (tanggal, jam)"), "datetime", 17),
    Column("channel", gettext_lazy("Saluran"), width=14),
    Column("complainant", gettext_lazy("Pelapor"), width=24),
    Column("category", gettext_lazy("Kategori"), width=20),
    Column("subject", gettext_lazy("Perihal"), width=44),
    Column("disposition", gettext_lazy("Langkah sekarang / disposisi"), width=34),
    Column("answered_on", gettext_lazy("Tanggal dijawab"), "date", 14),
    Column("letter_number", gettext_lazy("Nomor surat jawaban"), width=24),
)


def row_cells(row: AgendaRow) -> list[tuple[Column, object]]:
    return [(column, getattr(row, column.key)) for column in COLUMNS]


# --- the filters ---------------------------------------------------------------------------


@dataclass(frozen=True)
class AgendaFilter:
    first: dt.date
    last: dt.date
    channel: str = ""
    category: Category | None = None
    status: str = ""

    def as_query(self) -> dict[str, str]:
        """The filters as the page's query string (and the audit record) name them."""
        query = {"dari": self.first.isoformat(), "sampai": self.last.isoformat()}
        if self.channel:
            query["saluran"] = self.channel
        if self.category is not None:
            query["kategori"] = self.category.code
        if self.status:
            query["status"] = self.status
        return query

    def described(self) -> list[tuple[str, str]]:
        """The filters other than the period, as a printed heading lists them."""
        shown = []
        if self.channel:
            shown.append((_("Saluran"), str(Complaint.Channel(self.channel).label)))
        if self.category is not None:
            shown.append((_("Kategori"), self.category.name))
        if self.status:
            shown.append((_("Status"), str(Complaint.Status(self.status).label)))
        return shown


class AgendaFilterForm(PeriodForm):
    """The period (the current month unless chosen), and optionally one channel, one
    category, one status. Bound to the query string; what was typed is kept."""

    saluran = forms.ChoiceField(
        label=gettext_lazy("Saluran"),
        required=False,
        choices=[("", gettext_lazy("Semua saluran")), *Complaint.Channel.choices],
        error_messages={"invalid_choice": gettext_lazy("Pilih saluran dari daftar.")},
    )
    kategori = forms.ModelChoiceField(
        label=gettext_lazy("Kategori"),
        required=False,
        queryset=Category.objects.order_by("position", "name"),
        to_field_name="code",
        empty_label=gettext_lazy("Semua kategori"),
        error_messages={"invalid_choice": gettext_lazy("Pilih kategori dari daftar.")},
    )
    status = forms.ChoiceField(
        label=gettext_lazy("Status"),
        required=False,
        choices=[("", gettext_lazy("Semua status")), *Complaint.Status.choices],
        error_messages={"invalid_choice": gettext_lazy("Pilih status dari daftar.")},
    )

    def __init__(self, query, *, today: dt.date):
        super().__init__(query, today=today)
        self.data = {
            **self.data,
            **{name: (query.get(name) or "").strip() for name in ("saluran", "kategori", "status")},
        }

    def agenda_filter(self) -> AgendaFilter:
        data = self.cleaned_data
        return AgendaFilter(
            first=data["dari"],
            last=data["sampai"],
            channel=data["saluran"],
            category=data["kategori"],
            status=data["status"],
        )


# --- the rows ------------------------------------------------------------------------------


def agenda_rows(*, filters: AgendaFilter) -> QuerySet:
    """The complaints received in the period (office-local dates, both included) that
    match the filters, oldest first as a paper book is written, as `values()` dicts of
    FIELDS. One query; paginate it, or walk it with `.iterator()`; turn the dicts into
    AgendaRows with AgendaRowMaker."""
    tz = timezone.get_default_timezone()
    start = dt.datetime.combine(filters.first, dt.time.min, tzinfo=tz)
    end = dt.datetime.combine(filters.last + dt.timedelta(days=1), dt.time.min, tzinfo=tz)
    complaints = Complaint.objects.filter(received_at__gte=start, received_at__lt=end)
    if filters.channel:
        complaints = complaints.filter(channel=filters.channel)
    if filters.category is not None:
        complaints = complaints.filter(category=filters.category)
    if filters.status:
        complaints = complaints.filter(status=filters.status)
    return complaints.order_by("received_at", "agenda_year", "agenda_seq", "id").values(*FIELDS)


class AgendaRowMaker:
    """Turns the query's dicts into AgendaRows in the language active when it is made.

    The SOP versions the rows need are read in one query (`preload`), or, for a version
    met that was not preloaded, once each: never once per row.
    """

    def __init__(self):
        self.tz = timezone.get_default_timezone()
        self.channels = {value: str(label) for value, label in Complaint.Channel.choices}
        self.closed = {
            Complaint.Status.ANSWERED: _("Dijawab"),
            Complaint.Status.WITHDRAWN: _("Ditarik"),
        }
        self.in_process = str(Complaint.Status.OPEN.label)
        self.definitions: dict[int, object] = {}
        self.titles: dict[tuple[int, str], str] = {}

    def preload(self, version_ids: Iterable[int] | QuerySet) -> "AgendaRowMaker":
        """Read the SOP versions with these ids (a list, or a values queryset) at once."""
        for version in SopVersion.objects.filter(pk__in=version_ids):
            self.definitions[version.pk] = version.definition
        return self

    def _step_title(self, version_id: int, step: str) -> str:
        key = (version_id, step)
        title = self.titles.get(key)
        if title is None:
            definition = self.definitions.get(version_id)
            if definition is None:
                self.preload([version_id])
                definition = self.definitions.get(version_id)
            if definition is not None and definition.has_step(step):
                spec = definition.step(step)
                title = f"{spec.title} ({definition.role(spec.role).name})"
            else:
                title = step  # a step no longer in its version: its id rather than nothing
            self.titles[key] = title
        return title

    def row(self, values: dict) -> AgendaRow:
        status = values["status"]
        closed_at = values["closed_at"]
        if status == Complaint.Status.OPEN:
            step = values["current_step"]
            disposition = self._step_title(values["sop_version_id"], step) if step else ""
            disposition = disposition or self.in_process
        else:
            disposition = self.closed.get(status, status)
        answered = status == Complaint.Status.ANSWERED and closed_at is not None
        person = SimpleNamespace(
            name=values["name"],
            is_anonymous=values["is_anonymous"],
            is_confidential=values["is_confidential"],
        )
        return AgendaRow(
            pk=values["id"],
            agenda_number=f"{values['agenda_seq']:05d}/{values['agenda_year']}",
            received_at=values["received_at"].astimezone(self.tz),  # stored aware (USE_TZ)
            channel=self.channels.get(values["channel"], values["channel"]),
            complainant=complainant_label(person),
            category=values["category__name"],
            subject=values["subject"],
            disposition=disposition,
            answered_on=closed_at.astimezone(self.tz).date() if answered else None,
            letter_number=values["letter__number"] or "",
        )

    def rows(self, values: Iterable[dict]) -> Iterator[AgendaRow]:
        for one in values:
            yield self.row(one)


def agenda_page_rows(values: Iterable[dict]) -> list[AgendaRow]:
    """A page of the book as AgendaRows: one query for its SOP versions."""
    values = list(values)
    maker = AgendaRowMaker().preload({one["sop_version_id"] for one in values})
    return list(maker.rows(values))


def agenda_export_rows(queryset: QuerySet, *, chunk_size: int = 2000) -> Iterator[AgendaRow]:
    """Every row of `queryset` (from agenda_rows), read in chunks: constant memory."""
    maker = AgendaRowMaker().preload(
        queryset.order_by().values("sop_version_id").distinct()  # a subquery, not a list
    )
    return maker.rows(queryset.iterator(chunk_size=chunk_size))
