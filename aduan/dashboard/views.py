"""The dashboard at /meja/dasbor/ and the monthly recap at /meja/dasbor/rekap/.

Thin views: the filters come from forms, the numbers from aduan.dashboard.selectors, who
may see what from aduan.accounts.selectors, the drawing from charts. Each chart is shown
as SVG with its numbers beside it as a table; ?chart=<id>&format=csv downloads that table.
"""

import csv
from urllib.parse import urlencode

from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.template.defaultfilters import date as date_format
from django.utils import timezone, translation
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET

from aduan.accounts.selectors import (
    DASHBOARD_OFFICE,
    may_print_recap,
    may_see_dashboard,
    office_today,
)
from aduan.audit.services import audit_record
from aduan.dashboard.charts import chart_csv_rows, chart_svg, chart_table, format_value
from aduan.dashboard.data import Chart, Recap
from aduan.dashboard.forms import DashboardFilterForm, RecapForm, default_period
from aduan.dashboard.scope import filter_categories
from aduan.dashboard.selectors import dashboard_for, recap_for
from aduan.desk.decorators import forbidden, official_required
from aduan.desk.report_forms import quick_periods
from aduan.lib.sheets import csv_cell
from aduan.papers.exports import DOCUMENT_LANGUAGE
from aduan.papers.letterhead import letterhead_context
from aduan.papers.pdf import render_pdf

NOT_FOR_YOU = gettext_lazy(
    "Dasbor hanya dapat dibuka oleh petugas yang menangani pengaduan (Staf, Kepala Seksi, "
    "Kepala Bidang, Kepala Dinas), auditor dan administrator."
)
RECAP_NOT_FOR_YOU = gettext_lazy(
    "Rekap bulanan seluruh kantor hanya dapat dibuka oleh Kepala Bidang, Kepala Dinas, "
    "auditor dan administrator. Dasbor Anda menampilkan bagian pekerjaan Anda."
)
RECAP_CSS = """
.recap figure { break-inside: avoid; page-break-inside: avoid; margin: 0 0 5mm; }
.recap figure svg { display: block; width: 86%; height: auto; margin: 0 auto; }
.recap .oldest td:nth-child(-n+2) { white-space: nowrap; }
.recap figcaption { font-weight: bold; margin: 0 0 1.5mm; }
.recap table { font-size: 8.5pt; margin-top: 2mm; }
.recap td.num, .recap th.num { text-align: right; }
.recap .note { font-size: 8.5pt; color: #333; }
.recap .printed { font-size: 8.5pt; margin-top: 6mm; }
.recap .visually-hidden { display: none; }
.recap .month { font-weight: bold; }
"""


def _figure(chart: Chart, query: dict | None = None) -> dict:
    """What the templates need for one chart: the SVG, its table, and the CSV link."""
    headers, rows = chart_table(chart)
    figure = {
        "chart": chart,
        "svg": mark_safe(chart_svg(chart)),  # every text in it went through escape()
        "headers": headers,
        "rows": [(label, [format_value(v) for v in values]) for label, values in rows],
        "target": format_value(chart.target) if chart.target is not None else "",
    }
    if query is not None:
        figure["csv_query"] = "?" + urlencode({**query, "chart": chart.id, "format": "csv"})
    return figure


def _csv_response(chart: Chart, filename: str) -> HttpResponse:
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response.write("\ufeff")  # the BOM: Excel then reads the file as UTF-8
    writer = csv.writer(response)
    for row in chart_csv_rows(chart):
        writer.writerow([csv_cell(cell) for cell in row])
    return response


def _quick(today, current: tuple | None, category: str) -> list[tuple[str, str, bool]]:
    more = {"kategori": category} if category else {}
    periods = [(_("Enam bulan terakhir"), *default_period(today)), *quick_periods(today)]
    return [
        (
            label,
            "?" + urlencode({"dari": a.isoformat(), "sampai": b.isoformat(), **more}),
            (a, b) == current,
        )
        for label, a, b in periods
    ]


@require_GET
@official_required
def dashboard_page(request):
    """The charts for the user's part of the office, for a period and maybe one category."""
    if not may_see_dashboard(user=request.user):
        return forbidden(request, NOT_FOR_YOU)
    today = office_today()
    form = DashboardFilterForm(
        request.GET, today=today, categories=filter_categories(user=request.user)
    )
    context = {"form": form, "quick": _quick(today, None, "")}
    if not form.is_valid():
        context["scope_label"] = None
        return render(request, "dashboard/dashboard.html", context)

    first, last = form.cleaned_data["dari"], form.cleaned_data["sampai"]
    category = form.cleaned_data.get("kategori") or None
    dashboard = dashboard_for(user=request.user, first=first, last=last, category=category)
    query = form.filters()

    if request.GET.get("format") == "csv" or "chart" in request.GET:
        wanted = request.GET.get("chart", "")
        chart = next((c for c in dashboard.charts if c.id == wanted), None)
        if chart is None:
            raise Http404("no such chart")
        suffix = f"_{category}" if category else ""
        return _csv_response(
            chart, f"dasbor_{chart.id}_{first.isoformat()}_{last.isoformat()}{suffix}.csv"
        )

    category_name = dict(form.fields["kategori"].choices).get(category) if category else None
    context.update(
        {
            "dashboard": dashboard,
            "scope_label": dashboard.scope_label,
            "first": first,
            "last": last,
            "category_name": category_name,
            "figures": [_figure(chart, query) for chart in dashboard.charts],
            "shows_office": dashboard.scope == DASHBOARD_OFFICE,
            "quick": _quick(today, (first, last), category or ""),
        }
    )
    return render(request, "dashboard/dashboard.html", context)


def _recap_context(recap: Recap) -> dict:
    return {
        "recap": recap,
        "month_name": date_format(recap.month, "F Y"),
        "totals": [
            (label, format_value(v) if not isinstance(v, str) else v) for label, v in recap.totals
        ],
        "figures": [_figure(chart) for chart in recap.charts],
    }


@require_GET
@official_required
def recap_page(request):
    """The monthly recap of the whole office: a preview, and ?format=pdf to print it."""
    if not may_see_dashboard(user=request.user):
        return forbidden(request, NOT_FOR_YOU)
    if not may_print_recap(user=request.user):
        return forbidden(request, RECAP_NOT_FOR_YOU)
    form = RecapForm(request.GET, today=office_today())
    if not form.is_valid():
        return render(request, "dashboard/recap.html", {"form": form})
    month = form.cleaned_data["bulan"]
    printed_by = request.user.get_full_name() or request.user.get_username()
    now = timezone.localtime(timezone.now(), timezone.get_default_timezone())

    if request.GET.get("format") == "pdf":
        with translation.override(DOCUMENT_LANGUAGE):
            recap = recap_for(month=month)
            context = _recap_context(recap)
            title = _("Rekap Bulanan Pengaduan")
            context.update(
                {
                    "letterhead": letterhead_context(),
                    "title": title,
                    "doc_ref": f"{title} · {month:%m-%Y}",
                    "doc_author": printed_by,
                    "printed_by": printed_by,
                    "printed_at": now,
                }
            )
            content = render_pdf("dashboard/recap_pdf.html", context, extra_css=RECAP_CSS)
        audit_record(
            action="recap.printed",
            actor=request.user,
            data={"month": month.strftime("%Y-%m"), "format": "pdf"},
        )
        response = HttpResponse(content, content_type="application/pdf")
        response["Content-Disposition"] = f'attachment; filename="rekap-bulanan-{month:%Y-%m}.pdf"'
        return response

    recap = recap_for(month=month)
    context = {
        "form": form,
        **_recap_context(recap),
        "pdf_query": "?" + urlencode({"bulan": month.strftime("%Y-%m"), "format": "pdf"}),
        "printed_by": printed_by,
        "printed_at": now,
    }
    return render(request, "dashboard/recap.html", context)
