"""The dashboard's arithmetic, without the database: periods cut into weeks and months on
the office's calendar, their labels, and the nearest-rank median of the Mutu Baku report.
"""

import datetime as dt
from dataclasses import dataclass

from django.db.models import Q
from django.utils import timezone
from django.utils.dateformat import format as date_format

from aduan.sla.report import nearest_rank

__all__ = ["Bucket", "nearest_rank", "office_instant", "weeks_of", "months_of", "previous_period"]


def office_instant(day: dt.date) -> dt.datetime:
    """The office's midnight that begins `day`, as an aware datetime."""
    zone = timezone.get_default_timezone()
    return dt.datetime.combine(day, dt.time.min, tzinfo=zone)


@dataclass(frozen=True)
class Bucket:
    """Days [first, last] of a period grouped together: a week or a month of it."""

    first: dt.date
    last: dt.date
    label: str

    @property
    def start(self) -> dt.datetime:
        return office_instant(self.first)

    @property
    def end(self) -> dt.datetime:
        return office_instant(self.last + dt.timedelta(days=1))

    @property
    def is_whole_month(self) -> bool:
        after = self.last + dt.timedelta(days=1)
        return self.first.day == 1 and after.day == 1


def weeks_of(first: dt.date, last: dt.date) -> list[Bucket]:
    """The weeks (Monday to Sunday) of [first, last], the first and last cut at the period's
    edges; each labelled by its first day in the period."""
    buckets = []
    day = first
    while day <= last:
        sunday = day + dt.timedelta(days=6 - day.weekday())
        end = min(sunday, last)
        buckets.append(Bucket(day, end, date_format(day, "j M")))
        day = end + dt.timedelta(days=1)
    return buckets


def months_of(first: dt.date, last: dt.date) -> list[Bucket]:
    """The calendar months of [first, last], the first and last cut at the period's edges."""
    buckets = []
    day = first
    while day <= last:
        following = (day.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
        end = min(following - dt.timedelta(days=1), last)
        buckets.append(Bucket(day, end, date_format(day, "M Y")))
        day = end + dt.timedelta(days=1)
    return buckets


def bucket_index(buckets: list[Bucket]) -> dict[dt.date, int]:
    """Each day of the buckets -> the bucket's position."""
    index = {}
    for number, bucket in enumerate(buckets):
        day = bucket.first
        while day <= bucket.last:
            index[day] = number
            day += dt.timedelta(days=1)
    return index


def week_index(weeks: list[Bucket]) -> dict[dt.date, int]:
    """The Monday of each week of the period -> the bucket's position (the running counts
    group a period's days by their week's Monday)."""
    return {w.first - dt.timedelta(days=w.first.weekday()): i for i, w in enumerate(weeks)}


def month_index(months: list[Bucket]) -> dict[dt.date, int]:
    """The first day of each month of the period -> the bucket's position."""
    return {m.first.replace(day=1): i for i, m in enumerate(months)}


def days_q(first: dt.date, last: dt.date) -> Q:
    """The running counts' rows of the days first..last."""
    return Q(day__gte=first, day__lte=last)


def previous_period(first: dt.date, last: dt.date) -> tuple[dt.date, dt.date]:
    """The period of the same length that ends the day before `first`."""
    length = (last - first).days + 1
    return first - dt.timedelta(days=length), first - dt.timedelta(days=1)


def share(part: int, whole: int) -> float | None:
    """A percentage rounded to one decimal; None when there is nothing to divide."""
    return round(100 * part / whole, 1) if whole else None
