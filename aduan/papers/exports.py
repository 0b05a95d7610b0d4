"""The agenda book as CSV and XLSX files, written in constant memory.

Both read aduan.papers.agenda.COLUMNS, the same column definition as the page and the
PDF, and walk the rows with a database iterator, so a year of 100,000 complaints never
sits in memory (bench/agenda_export.py measures it).

- CSV: a generator of text chunks for a StreamingHttpResponse, UTF-8 with a BOM (Excel
  then reads it as UTF-8), dates as 2026-11-03 09:15.
- XLSX: xlsxwriter in constant_memory mode (each row is flushed to a temporary file as it
  is written), into a temporary file the caller streams and then deletes. Dates are real
  date cells; nothing typed by a person is read as a formula, a URL or a number.

Every text cell goes through aduan.lib.sheets: text that starts with =, +, -, @, a tab or
a carriage return gets a leading apostrophe (CSV) or is written as a plain string (XLSX).
"""

import csv
import datetime as dt
import io
from collections.abc import Callable, Iterable, Iterator
from itertools import islice

import xlsxwriter
from django.utils import translation

from aduan.lib.sheets import csv_cell, sheet_text
from aduan.papers.agenda import COLUMNS, AgendaRow

# Printed and exported documents are in Bahasa Indonesia whatever the interface language.
DOCUMENT_LANGUAGE = "id"
CSV_BATCH = 500  # rows per chunk sent to the client
DOCUMENT_SHEET = "Buku agenda"
XLSX_OPTIONS = {
    "constant_memory": True,
    "strings_to_formulas": False,
    "strings_to_urls": False,
    "strings_to_numbers": False,
}


def _csv_value(kind: str, value) -> str:
    if value is None or value == "":
        return ""
    if kind == "datetime":
        return value.strftime("%Y-%m-%d %H:%M")
    if kind == "date":
        return value.isoformat()
    return csv_cell(value)


def csv_chunks(make_rows: Callable[[], Iterable[AgendaRow]]) -> Iterator[str]:
    """The CSV file as text chunks: the BOM and header, then CSV_BATCH rows at a time.

    `make_rows` is called on the first chunk, in the document language (the language is
    switched only while a chunk is made, never across a yield)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    with translation.override(DOCUMENT_LANGUAGE):
        writer.writerow([csv_cell(str(column.header)) for column in COLUMNS])
        rows = iter(make_rows())
    yield "\ufeff" + buffer.getvalue()
    while True:
        buffer.seek(0)
        buffer.truncate()
        with translation.override(DOCUMENT_LANGUAGE):
            batch = list(islice(rows, CSV_BATCH))
            for row in batch:
                writer.writerow(
                    [_csv_value(column.kind, getattr(row, column.key)) for column in COLUMNS]
                )
        if not batch:
            return
        yield buffer.getvalue()


# Spreadsheets count days from 30 December 1899 (the 1900 date system); a date cell is
# that number with a date format. Computed here rather than with write_datetime, which
# takes twice as long per cell: a year's register has 200,000 of them.
EXCEL_EPOCH = dt.datetime(1899, 12, 30)
EXCEL_EPOCH_DAY = EXCEL_EPOCH.date()


def _excel_datetime(value: dt.datetime) -> float:
    """The office-local wall time (XLSX has no time zones) as a spreadsheet serial."""
    delta = value.replace(tzinfo=None) - EXCEL_EPOCH
    return delta.days + delta.seconds / 86400


def _excel_date(value: dt.date) -> int:
    return (value - EXCEL_EPOCH_DAY).days


def write_xlsx(target, rows: Iterable[AgendaRow], *, title: str, subject: str = "") -> int:
    """Write the agenda book as XLSX to `target` (a path or a binary file); return the
    number of rows.

    Row 1 is the bold, frozen header with a filter, then one row per complaint, so the
    sheet sorts and pivots as it is; the title and the period are the file's properties.
    Rows are written in order and flushed as they go (constant_memory).
    """
    workbook = xlsxwriter.Workbook(target, XLSX_OPTIONS)
    try:
        workbook.set_properties({"title": title, "subject": subject, "author": "Aduan"})
        worksheet = workbook.add_worksheet(DOCUMENT_SHEET)
        header = workbook.add_format(
            {"bold": True, "bg_color": "#EEF1F5", "border": 1, "text_wrap": True, "valign": "top"}
        )
        formats = {
            "datetime": workbook.add_format({"num_format": "dd/mm/yyyy hh:mm"}),
            "date": workbook.add_format({"num_format": "dd/mm/yyyy"}),
        }
        for index, column in enumerate(COLUMNS):
            worksheet.set_column(index, index, column.width)
            worksheet.write_string(0, index, sheet_text(str(column.header)), header)
        worksheet.freeze_panes(1, 0)
        columns = list(enumerate(COLUMNS))
        # xlsxwriter's write_string/write_number first check whether they were given "A1"
        # notation; with row and column numbers the undecorated methods (same arguments)
        # save 5% of a year's export. The public ones if a later xlsxwriter renames them.
        write_string = getattr(worksheet, "_write_string", worksheet.write_string)
        write_number = getattr(worksheet, "_write_number", worksheet.write_number)
        number = 0
        for number, row in enumerate(rows, start=1):
            for index, column in columns:
                value = getattr(row, column.key)
                if value is None or value == "":
                    continue
                if column.kind == "datetime":
                    write_number(number, index, _excel_datetime(value), formats["datetime"])
                elif column.kind == "date":
                    write_number(number, index, _excel_date(value), formats["date"])
                else:
                    write_string(number, index, sheet_text(value), None)
        # Stored, and written when the file is closed: the filter covers every row.
        worksheet.autofilter(0, 0, number, len(COLUMNS) - 1)
    finally:
        workbook.close()
    return number
