"""The compliance report's period chooser: two dates, checked, with messages beside them."""

import calendar
import datetime as dt

from django import forms
from django.utils.translation import gettext_lazy as _

# A report covers at most a year: "this year" in a leap year is 366 days.
MAX_DAYS = 366
# Dates far outside the office's life are typing mistakes (and year 1 or 9999 cannot be
# turned into the instants the query needs).
FIRST_DAY = dt.date(2000, 1, 1)
LAST_DAY = dt.date(2099, 12, 31)
INPUT_FORMATS = ["%Y-%m-%d", "%d-%m-%Y", "%d/%m/%Y"]
INVALID_DATE = _("Tanggal tidak dikenali. Tulis seperti 2026-05-31 (tahun-bulan-tanggal).")


def month_bounds(day: dt.date) -> tuple[dt.date, dt.date]:
    """The first and the last day of `day`'s month."""
    last = calendar.monthrange(day.year, day.month)[1]
    return day.replace(day=1), day.replace(day=last)


def quick_periods(today: dt.date) -> list[tuple[str, dt.date, dt.date]]:
    """The periods offered as links: this month, last month, this year."""
    this_month = month_bounds(today)
    last_month = month_bounds(this_month[0] - dt.timedelta(days=1))
    this_year = (dt.date(today.year, 1, 1), dt.date(today.year, 12, 31))
    return [
        (_("Bulan ini"), *this_month),
        (_("Bulan lalu"), *last_month),
        (_("Tahun ini"), *this_year),
    ]


def _date_field(label):
    return forms.DateField(
        label=label,
        input_formats=INPUT_FORMATS,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={"required": _("Isi tanggal."), "invalid": INVALID_DATE},
    )


class PeriodForm(forms.Form):
    """From and to dates, both included, on the office's calendar."""

    dari = _date_field(_("Dari tanggal"))
    sampai = _date_field(_("Sampai dengan tanggal"))

    def __init__(self, query, *, today: dt.date):
        """Bound to the query string; a date left out is that of the current month."""
        first, last = month_bounds(today)
        data = {
            "dari": (query.get("dari") or "").strip() or first.isoformat(),
            "sampai": (query.get("sampai") or "").strip() or last.isoformat(),
        }
        super().__init__(data)

    def _clean_day(self, name: str) -> dt.date:
        day = self.cleaned_data[name]
        if not FIRST_DAY <= day <= LAST_DAY:
            raise forms.ValidationError(
                _("Pilih tanggal antara %(first)s dan %(last)s.")
                % {"first": FIRST_DAY.isoformat(), "last": LAST_DAY.isoformat()}
            )
        return day

    def clean_dari(self):
        return self._clean_day("dari")

    def clean_sampai(self):
        return self._clean_day("sampai")

    def clean(self):
        data = super().clean()
        first, last = data.get("dari"), data.get("sampai")
        if first and last:
            if last < first:
                self.add_error(
                    "sampai",
                    _("Tanggal akhir tidak boleh sebelum tanggal awal (%(first)s).")
                    % {"first": first.isoformat()},
                )
            elif (last - first).days + 1 > MAX_DAYS:
                self.add_error(
                    "sampai",
                    _("Periode paling panjang %(days)s hari; pilih tanggal akhir yang lebih awal.")
                    % {"days": MAX_DAYS},
                )
        return data
