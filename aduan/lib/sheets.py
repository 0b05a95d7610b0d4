"""Cells for spreadsheets and CSV files that a spreadsheet cannot run.

A cell whose text starts with =, +, -, @, a tab or a carriage return is read by Excel,
LibreOffice and Google Sheets as a formula (CSV/formula injection). Such text is written
with a leading apostrophe, which every spreadsheet shows as text.
"""

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def sheet_text(value) -> str:
    """Text typed by a person, made safe for a spreadsheet cell."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def csv_cell(value) -> str:
    """A value as a CSV cell: numbers plain (one decimal for a float), nothing for no
    value, and text that a spreadsheet would run as a formula prefixed with '."""
    if value is None:
        return ""
    if isinstance(value, float):
        return f"{value:.1f}"
    if isinstance(value, int):
        return str(value)
    return sheet_text(value)
