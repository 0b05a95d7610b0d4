"""An instant's office day, week (its Monday) and month (its first day), computed by the
database so that an official's own work is grouped in SQL, not row by row in Python.

PostgreSQL converts with the time zone's rules (AT TIME ZONE). SQLite has no time zones:
it adds the office's UTC offset, which must not change during the year (Asia/Jakarta has
no daylight saving time); a zone whose offset changes is refused loudly.
"""

import datetime as dt

from django.core.exceptions import ImproperlyConfigured
from django.db.models import DateField, Func
from django.utils import timezone

_SQLITE = {
    "day": "date({sql}, '{offset:+d} minutes')",
    # 'weekday 0' moves to the coming Sunday (or stays on one): 6 days before is Monday.
    "week": "date({sql}, '{offset:+d} minutes', 'weekday 0', '-6 days')",
    "month": "date({sql}, '{offset:+d} minutes', 'start of month')",
}
_POSTGRESQL = {
    "day": "(({sql}) AT TIME ZONE %s)::date",
    "week": "date_trunc('week', ({sql}) AT TIME ZONE %s)::date",
    "month": "date_trunc('month', ({sql}) AT TIME ZONE %s)::date",
}


def _fixed_offset_minutes() -> int:
    zone = timezone.get_default_timezone()
    year = timezone.now().year
    offsets = {dt.datetime(year, month, 1, tzinfo=zone).utcoffset() for month in (1, 4, 7, 10)}
    if len(offsets) != 1:
        raise ImproperlyConfigured(
            f"TIME_ZONE {zone} changes its UTC offset during the year; the dashboard on "
            "SQLite needs a fixed offset (use PostgreSQL)."
        )
    return int(offsets.pop().total_seconds() // 60)


class _OfficeDate(Func):
    output_field = DateField()
    unit = "day"

    def as_sqlite(self, compiler, connection, **extra):
        sql, params = compiler.compile(self.source_expressions[0])
        return _SQLITE[self.unit].format(sql=sql, offset=_fixed_offset_minutes()), params

    def as_postgresql(self, compiler, connection, **extra):
        sql, params = compiler.compile(self.source_expressions[0])
        zone = str(timezone.get_default_timezone())
        return _POSTGRESQL[self.unit].format(sql=sql), (*params, zone)


class OfficeDay(_OfficeDate):
    unit = "day"


class OfficeWeek(_OfficeDate):
    unit = "week"


class OfficeMonth(_OfficeDate):
    unit = "month"
