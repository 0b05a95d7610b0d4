"""The dashboard's filters (a period and a category) and the recap's month, checked, with
messages beside the fields and what was typed kept."""

import datetime as dt

from django import forms
from django.utils.translation import gettext_lazy as _

from aduan.complaints.models import Category
from aduan.desk.report_forms import FIRST_DAY, PeriodForm, month_bounds

# The dashboard opens on the last six months: enough weeks and months for a trend.
DEFAULT_MONTHS = 6
MONTH_FORMATS = ("%Y-%m", "%m-%Y", "%m/%Y")


def months_back(day: dt.date, months: int) -> dt.date:
    """The first day of the month `months` before `day`'s."""
    index = day.year * 12 + day.month - 1 - months
    return dt.date(index // 12, index % 12 + 1, 1)


def default_period(today: dt.date) -> tuple[dt.date, dt.date]:
    return months_back(today, DEFAULT_MONTHS - 1), month_bounds(today)[1]


class DashboardFilterForm(PeriodForm):
    """From and to dates (at most a year) and, if chosen, one category."""

    kategori = forms.ChoiceField(label=_("Kategori"), required=False)

    def __init__(self, query, *, today: dt.date, categories=None):
        first, last = default_period(today)
        given = {
            "dari": (query.get("dari") or "").strip() or first.isoformat(),
            "sampai": (query.get("sampai") or "").strip() or last.isoformat(),
        }
        super().__init__(given, today=today)
        self.data["kategori"] = (query.get("kategori") or "").strip()
        if categories is None:
            categories = Category.objects.order_by("position", "name").values_list("code", "name")
        self.fields["kategori"].choices = [("", _("Semua kategori")), *categories]
        self.fields["kategori"].error_messages["invalid_choice"] = _(
            "Kategori ini tidak dikenal; pilih dari daftar."
        )

    def filters(self) -> dict:
        """The cleaned filters as query-string values (for the CSV links)."""
        data = self.cleaned_data
        query = {"dari": data["dari"].isoformat(), "sampai": data["sampai"].isoformat()}
        if data.get("kategori"):
            query["kategori"] = data["kategori"]
        return query


class MonthField(forms.Field):
    widget = forms.TextInput(attrs={"type": "month", "inputmode": "numeric"})

    def to_python(self, value):
        value = (value or "").strip()
        if not value:
            return None
        for pattern in MONTH_FORMATS:
            try:
                return dt.datetime.strptime(value, pattern).date().replace(day=1)
            except ValueError:
                continue
        raise forms.ValidationError(self.error_messages["invalid"], code="invalid")


class RecapForm(forms.Form):
    """The recap's month, YYYY-MM; the previous month when none is given."""

    bulan = MonthField(
        label=_("Bulan"),
        error_messages={
            "required": _("Isi bulan."),
            "invalid": _("Bulan tidak dikenali. Tulis seperti 2026-11 (tahun-bulan)."),
        },
    )

    def __init__(self, query, *, today: dt.date):
        self.today = today
        previous = months_back(today, 1)
        given = (query.get("bulan") or "").strip() or previous.strftime("%Y-%m")
        super().__init__({"bulan": given})

    def clean_bulan(self):
        month = self.cleaned_data["bulan"]
        if month < FIRST_DAY:
            raise forms.ValidationError(
                _("Pilih bulan sejak %(first)s.") % {"first": FIRST_DAY.strftime("%Y-%m")}
            )
        if month > self.today.replace(day=1):
            raise forms.ValidationError(_("Bulan ini belum tiba; pilih bulan ini atau sebelumnya."))
        return month
