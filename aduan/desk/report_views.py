"""The SOP compliance report (laporan mutu baku) at /meja/laporan/mutu-baku/.

A thin view: the period comes from report_forms, the rows from one query
(aduan.sla.report_selectors), the numbers from aduan.sla.report, who may see what from
aduan.accounts.selectors. One column definition feeds the page and the CSV file.
"""

import csv
import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, replace
from operator import attrgetter
from urllib.parse import urlencode

from django.http import HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET

from aduan.accounts.selectors import acting_title, can_see_official_performance, office_today
from aduan.complaints.feedback import satisfaction_summary
from aduan.desk.decorators import forbidden, official_required
from aduan.desk.report_forms import PeriodForm, quick_periods
from aduan.lib.sheets import csv_cell
from aduan.sla.calendar import calendar_for_today
from aduan.sla.report import Line, compliance_report, with_official_names
from aduan.sla.report_selectors import report_official_names, report_step_rows
from aduan.sop.services import sop_version_in_force

PER_OFFICIAL = "pejabat"
NOT_PER_OFFICIAL = gettext_lazy(
    "Rincian per pejabat hanya dapat dibuka oleh Kepala Seksi, Kepala Bidang, Kepala Dinas, "
    "auditor dan administrator."
)


@dataclass(frozen=True)
class Column:
    header: str
    value: Callable[[Line], object]
    kind: str = "num"  # "text", "num" (whole minutes or counts) or "percent"


def _acting_role(line: Line) -> str:
    return acting_title(kind=line.decided_as, role_name=line.actor)


MEASURES = (
    Column(gettext_lazy("Waktu baku (menit kerja)"), attrgetter("standard")),
    Column(gettext_lazy("Jumlah diputus"), attrgetter("count")),
    Column(gettext_lazy("Median (menit kerja)"), attrgetter("median")),
    Column(gettext_lazy("Persentil ke-90 (menit kerja)"), attrgetter("p90")),
    Column(gettext_lazy("Dalam waktu baku (%)"), attrgetter("share"), "percent"),
    Column(gettext_lazy("Pengembalian"), attrgetter("returns")),
    Column(gettext_lazy("Waktu hilang karena pengembalian (menit kerja)"), attrgetter("lost")),
)
STEP_COLUMNS = (
    Column("No.", attrgetter("number")),
    Column(gettext_lazy("Kegiatan"), attrgetter("activity"), "text"),
    Column(gettext_lazy("Pelaksana"), attrgetter("actor"), "text"),
    *MEASURES,
)
OFFICIAL_COLUMNS = (
    Column(gettext_lazy("Pejabat"), attrgetter("official"), "text"),
    Column(gettext_lazy("Sebagai"), _acting_role, "text"),
    Column("No.", attrgetter("number")),
    Column(gettext_lazy("Kegiatan"), attrgetter("activity"), "text"),
    *MEASURES,
)


def _cells(columns, line: Line) -> list[tuple[str, object]]:
    return [(column.kind, column.value(line)) for column in columns]


def _csv_response(columns, lines, filename: str) -> HttpResponse:
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response.write("\ufeff")  # the BOM: Excel then reads the file as UTF-8
    writer = csv.writer(response)
    writer.writerow([csv_cell(str(column.header)) for column in columns])
    for line in lines:
        writer.writerow([csv_cell(column.value(line)) for column in columns])
    return response


def _query(first: dt.date, last: dt.date, **more) -> str:
    return "?" + urlencode({"dari": first.isoformat(), "sampai": last.isoformat(), **more})


@require_GET
@official_required
def compliance_report_page(request):
    """Each step's measured working minutes against the SOP's standard, for a period."""
    may_see_officials = can_see_official_performance(user=request.user)
    per_official = request.GET.get("per") == PER_OFFICIAL
    wants_csv = request.GET.get("format") == "csv"
    if per_official and wants_csv and not may_see_officials:
        return forbidden(request, NOT_PER_OFFICIAL)

    today = office_today()
    form = PeriodForm(request.GET, today=today)
    version = sop_version_in_force()
    per = {"per": PER_OFFICIAL} if per_official else {}
    context = {
        "form": form,
        "quick": [(label, _query(a, b, **per), False) for label, a, b in quick_periods(today)],
        "version": version,
        "per_official": per_official,
        "may_see_officials": may_see_officials,
        "not_per_official": NOT_PER_OFFICIAL,
    }
    if version is None:
        return render(request, "desk/report_compliance.html", context)
    definition = version.definition
    header = definition.header
    context["sop"] = definition
    context["office"] = ", ".join(filter(None, (header.get("office"), header.get("government"))))
    if not form.is_valid():
        return render(request, "desk/report_compliance.html", context)

    first, last = form.cleaned_data["dari"], form.cleaned_data["sampai"]
    calendar = calendar_for_today()
    start = dt.datetime.combine(first, dt.time.min, tzinfo=calendar.tz)
    end = dt.datetime.combine(last + dt.timedelta(days=1), dt.time.min, tzinfo=calendar.tz)
    show_officials = per_official and may_see_officials
    report = compliance_report(
        rows=report_step_rows(sop_code=version.code, start=start, end=end),
        definition=definition,
        calendar=calendar,
        start=start,
        end=end,
        per_official=show_officials,
    )
    total = replace(report.total, activity=_("Semua langkah"))
    end_to_end = replace(
        report.end_to_end,
        activity=_("Ujung ke ujung: dari pengaduan diterima sampai jawaban dikirim"),
    )
    officials = []
    if show_officials:
        names = report_official_names(ids={line.official_id for line in report.officials})
        officials = with_official_names(report.officials, names)
        unknown = _("(tidak diketahui)")
        officials = [
            line if line.official else replace(line, official=unknown) for line in officials
        ]

    if wants_csv:
        period = f"{first.isoformat()}_{last.isoformat()}"
        if show_officials:
            return _csv_response(OFFICIAL_COLUMNS, officials, f"mutu-baku-per-pejabat_{period}.csv")
        return _csv_response(
            STEP_COLUMNS, [*report.steps, total, end_to_end], f"mutu-baku_{period}.csv"
        )

    context.update(
        {
            "report": report,
            "first": first,
            "last": last,
            "time_zone": str(calendar.tz),
            "step_headers": [column.header for column in STEP_COLUMNS],
            "step_rows": [_cells(STEP_COLUMNS, line) for line in report.steps],
            "foot_rows": [(line.activity, _cells(MEASURES, line)) for line in (total, end_to_end)],
            "official_headers": [column.header for column in OFFICIAL_COLUMNS],
            "official_rows": [_cells(OFFICIAL_COLUMNS, line) for line in officials],
            "quick": [
                (label, _query(a, b, **per), (a, b) == (first, last))
                for label, a, b in quick_periods(today)
            ],
            # Staff who typed ?per=pejabat get the step table's file, not a refusal.
            "csv_query": _query(first, last, **(per if show_officials else {}), format="csv"),
            "steps_query": _query(first, last),
            "officials_query": _query(first, last, per=PER_OFFICIAL),
            "satisfaction": satisfaction_summary(start=start, end=end),
        }
    )
    return render(request, "desk/report_compliance.html", context)
