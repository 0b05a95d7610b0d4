"""The agenda book (buku agenda) at /meja/agenda/, and its downloads.

A thin view: the filters come from agenda.AgendaFilterForm, the rows from one query
(agenda.agenda_rows), the columns from agenda.COLUMNS, the files from exports (CSV, XLSX)
and papers.pdf (PDF). Any official may open it; each download is audited
(`agenda.exported`, with the format, the filters and the number of rows), because the
files carry complainants' names.
"""

import datetime as dt
import tempfile
from urllib.parse import urlencode

from django.core.paginator import Paginator
from django.http import FileResponse, HttpResponse, StreamingHttpResponse
from django.shortcuts import render
from django.template.defaultfilters import date as date_format
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from aduan.accounts.selectors import office_today
from aduan.audit.services import audit_record
from aduan.desk.decorators import official_required
from aduan.desk.report_forms import quick_periods
from aduan.papers.agenda import (
    COLUMNS,
    AgendaFilter,
    AgendaFilterForm,
    agenda_export_rows,
    agenda_page_rows,
    agenda_rows,
)
from aduan.papers.exports import DOCUMENT_LANGUAGE, csv_chunks, write_xlsx
from aduan.papers.letterhead import letterhead_context
from aduan.papers.pdf import render_pdf

TEMPLATE = "papers/agenda.html"
PAGE_SIZE = 100
# WeasyPrint lays out the whole table in memory: above this many rows the PDF would take
# too long for a web request (bench/agenda_export.py measures it); the page then says to
# narrow the filters or download XLSX/CSV, which have no limit.
PDF_ROW_CAP = 1000
FORMATS = ("csv", "xlsx", "pdf")
# A fixed table layout, and words broken only where a long one must be (name, category,
# subject): WeasyPrint's `overflow-wrap: anywhere` on every cell doubles the time.
PDF_CSS = """
body { page: landscape; }
.agenda-head h1 { margin-bottom: 1mm; }
.agenda-head p { margin: 0 0 1mm; font-size: 9pt; }
table.agenda { table-layout: fixed; font-size: 7.5pt; line-height: 1.3; }
table.agenda th, table.agenda td { padding: .8mm 1.1mm; overflow-wrap: normal; }
table.agenda td.text { overflow-wrap: break-word; }
col.number { width: 8%; } col.when { width: 9%; } col.channel { width: 8%; }
col.who { width: 12%; } col.category { width: 10%; } col.subject { width: 19%; }
col.step { width: 15%; } col.answered { width: 7.5%; } col.letter { width: 11.5%; }
"""


def _file_name(filters: AgendaFilter, extension: str) -> str:
    return f"buku-agenda-{filters.first.isoformat()}-{filters.last.isoformat()}.{extension}"


def _exported(request, filters: AgendaFilter, kind: str, rows: int) -> None:
    audit_record(
        action="agenda.exported",
        actor=request.user,
        data={"format": kind, "filters": filters.as_query(), "rows": rows},
    )


def _title_and_period(filters: AgendaFilter) -> tuple[str, str]:
    """The document's title and its period with the filters, in the document language."""
    period = _("Periode %(first)s sampai dengan %(last)s") % {
        "first": date_format(filters.first, "j F Y"),
        "last": date_format(filters.last, "j F Y"),
    }
    described = "; ".join(f"{label}: {value}" for label, value in filters.described())
    return _("Buku Agenda Pengaduan"), f"{period}; {described}" if described else period


def _csv_response(request, filters: AgendaFilter, rows) -> StreamingHttpResponse:
    _exported(request, filters, "csv", rows.count())
    response = StreamingHttpResponse(
        csv_chunks(lambda: agenda_export_rows(rows)), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="{_file_name(filters, "csv")}"'
    return response


def _xlsx_response(request, filters: AgendaFilter, rows) -> FileResponse:
    # An unnamed temporary file: gone from the disk when the response closes it.
    file = tempfile.TemporaryFile(prefix="aduan-agenda-", suffix=".xlsx")
    try:
        with translation.override(DOCUMENT_LANGUAGE):
            title, subject = _title_and_period(filters)
            count = write_xlsx(file, agenda_export_rows(rows), title=title, subject=subject)
    except BaseException:
        file.close()
        raise
    _exported(request, filters, "xlsx", count)
    file.seek(0)
    return FileResponse(file, as_attachment=True, filename=_file_name(filters, "xlsx"))


def _pdf_response(request, filters: AgendaFilter, rows) -> HttpResponse:
    now = timezone.localtime(timezone.now(), timezone.get_default_timezone())
    with translation.override(DOCUMENT_LANGUAGE):
        title, period = _title_and_period(filters)
        book = list(agenda_export_rows(rows))
        content = render_pdf(
            "papers/agenda_pdf.html",
            {
                "letterhead": letterhead_context(),
                "doc_ref": f"{title} · {filters.first:%d-%m-%Y} s.d. {filters.last:%d-%m-%Y}",
                "title": title,
                "period": period,
                "headers": [str(column.header) for column in COLUMNS],
                "rows": book,
                "printed_at": now,
                "printed_by": request.user.get_full_name() or request.user.get_username(),
            },
            extra_css=PDF_CSS,
        )
    _exported(request, filters, "pdf", len(book))
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{_file_name(filters, "pdf")}"'
    return response


def _query(first: dt.date, last: dt.date, base: dict, **more) -> str:
    return "?" + urlencode({**base, "dari": first.isoformat(), "sampai": last.isoformat(), **more})


@require_GET
@official_required
def agenda_book(request):
    """The register for a period, filtered, 100 lines a page; ?format=csv|xlsx|pdf for the
    same lines as a file."""
    today = office_today()
    form = AgendaFilterForm(request.GET, today=today)
    wanted = request.GET.get("format", "")
    context = {"form": form, "headers": [column.header for column in COLUMNS]}
    if not form.is_valid():
        context["quick"] = [
            (label, _query(a, b, {}), False) for label, a, b in quick_periods(today)
        ]
        return render(request, TEMPLATE, context)

    filters = form.agenda_filter()
    rows = agenda_rows(filters=filters)
    if wanted == "csv":
        return _csv_response(request, filters, rows)
    if wanted == "xlsx":
        return _xlsx_response(request, filters, rows)
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    if wanted == "pdf":
        if page.paginator.count <= PDF_ROW_CAP:
            return _pdf_response(request, filters, rows)
        context["too_many_for_pdf"] = page.paginator.count

    query = filters.as_query()
    others = {key: value for key, value in query.items() if key not in ("dari", "sampai")}
    context.update(
        {
            "filters": filters,
            "page": page,
            "rows": agenda_page_rows(page.object_list),
            "pdf_cap": PDF_ROW_CAP,
            "downloads": [
                (kind.upper(), "?" + urlencode({**query, "format": kind})) for kind in FORMATS
            ],
            "quick": [
                (label, _query(a, b, others), (a, b) == (filters.first, filters.last))
                for label, a, b in quick_periods(today)
            ],
        }
    )
    return render(request, TEMPLATE, context)
