"""The working calendar: the one place that counts working minutes.

The SOP's standard times are working minutes: minutes inside the office's hours, outside
its breaks, on a working day. A day is not a working day when its weekday has no office
hours, when the `holidays` package marks it as a national holiday or cuti bersama (unless
the office works it anyway), or when the office closes it by its own decision.

Rules (docs/working-calendar.md explains them for people):
- Whole minutes. Every instant counts from the start of its minute: seconds are dropped
  before anything is counted, so 08:00:59 counts as 08:00.
- `add_working_minutes(start, n)` returns the earliest instant by which `n` working minutes
  have passed since `start`. From a closed time the count begins at the next opening; a
  result that falls on a closing instant is that closing instant (16:00), not the next
  opening. `n == 0` returns `start` floored to its minute.
- `working_minutes_between(t1, t2)` counts the working minutes in [t1, t2), 0 if t2 <= t1.
  It is additive and inverts `add_working_minutes`.
- Times are the office's wall clock in `settings.TIME_ZONE` (Asia/Jakarta has no daylight
  saving time); results are aware datetimes in that zone.

Nothing iterates minute by minute: both operations walk day by day over each day's
working intervals, and the holiday set of a year is computed once per process.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Container, Iterable, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from functools import lru_cache
from types import MappingProxyType
from zoneinfo import ZoneInfo

import holidays as holidays_package
from django.conf import settings

MINUTES_PER_DAY = 24 * 60
ONE_DAY = dt.timedelta(days=1)
# A search that meets this many days in a row without a working minute gives up loudly
# instead of running for ever (no weekday open, or years of closures).
MAX_IDLE_DAYS = 3 * 366

# The Indonesian calendar of the `holidays` package: its "public" category holds the
# national holidays (hari libur nasional), "government" holds cuti bersama (the joint
# leave days of the SKB 3 Menteri). The default category is "public" only.
HOLIDAY_COUNTRY = "ID"
HOLIDAY_CATEGORIES = ("public", "government")


def _minute_of(value: dt.time) -> int:
    return value.hour * 60 + value.minute


@dataclass(frozen=True)
class DayHours:
    """A weekday's office hours, with an optional break inside them."""

    opens: dt.time
    closes: dt.time
    break_start: dt.time | None = None
    break_end: dt.time | None = None

    def __post_init__(self):
        times = [self.opens, self.closes, self.break_start, self.break_end]
        if any(t is not None and (t.second or t.microsecond or t.tzinfo) for t in times):
            raise ValueError(f"{self}: office hours are whole minutes of local time")
        if not self.opens < self.closes:
            raise ValueError(f"{self}: the office must open before it closes")
        if (self.break_start is None) != (self.break_end is None):
            raise ValueError(f"{self}: a break needs both a start and an end")
        if self.break_start is not None and not (
            self.opens < self.break_start < self.break_end < self.closes
        ):
            raise ValueError(f"{self}: the break must lie strictly inside the office hours")

    @property
    def intervals(self) -> tuple[tuple[int, int], ...]:
        """Working intervals as [begin, end) minutes of the day."""
        opens, closes = _minute_of(self.opens), _minute_of(self.closes)
        if self.break_start is None:
            return ((opens, closes),)
        return (
            (opens, _minute_of(self.break_start)),
            (_minute_of(self.break_end), closes),
        )

    @property
    def minutes(self) -> int:
        return sum(end - begin for begin, end in self.intervals)


def _hours(opens: str, closes: str, break_start: str, break_end: str) -> DayHours:
    def parse(text: str) -> dt.time:
        return dt.time.fromisoformat(text)

    return DayHours(parse(opens), parse(closes), parse(break_start), parse(break_end))


# The office's default hours (the data migration writes the same values; an admin edits
# them): Monday–Thursday 07:30–16:00 with a break 12:00–13:00, Friday 07:30–16:30 with a
# break 11:30–13:00, Saturday and Sunday closed. 450 working minutes a day, 37.5 hours a week.
DEFAULT_HOURS: Mapping[int, DayHours | None] = MappingProxyType(
    {
        0: _hours("07:30", "16:00", "12:00", "13:00"),
        1: _hours("07:30", "16:00", "12:00", "13:00"),
        2: _hours("07:30", "16:00", "12:00", "13:00"),
        3: _hours("07:30", "16:00", "12:00", "13:00"),
        4: _hours("07:30", "16:30", "11:30", "13:00"),
        5: None,
        6: None,
    }
)


@lru_cache(maxsize=64)
def national_holidays(year: int) -> Mapping[dt.date, str]:
    """National holidays and cuti bersama of one year, by date, named in Indonesian."""
    calendar = holidays_package.country_holidays(
        HOLIDAY_COUNTRY, years=year, categories=HOLIDAY_CATEGORIES, language="id"
    )
    return MappingProxyType(dict(calendar.items()))


class WorkingCalendar:
    """Office hours, holidays and the office's own days off; counts working minutes.

    Build it with `calendar_for_today()` (from the database) or directly from plain data in
    tests: `WorkingCalendar(DEFAULT_HOURS, closed_dates={...}, holidays=lambda year: set())`.
    """

    def __init__(
        self,
        hours: Mapping[int, DayHours | None],
        *,
        closed_dates: Iterable[dt.date] = (),
        holidays_worked: Iterable[dt.date] = (),
        holidays: Callable[[int], Container[dt.date]] = national_holidays,
        tz: dt.tzinfo | str | None = None,
    ):
        self.hours = {weekday: hours.get(weekday) for weekday in range(7)}
        if not any(self.hours.values()):
            raise ValueError("the office is closed on every weekday: set office hours")
        self.closed_dates = frozenset(closed_dates)
        self.holidays_worked = frozenset(holidays_worked)
        both = self.closed_dates & self.holidays_worked
        if both:
            raise ValueError(f"dates both closed and worked: {sorted(both)}")
        if tz is None:
            tz = settings.TIME_ZONE
        self.tz = ZoneInfo(tz) if isinstance(tz, str) else tz
        self._holidays = holidays
        self._weekday_intervals = {
            weekday: day.intervals if day else () for weekday, day in self.hours.items()
        }
        self._days: dict[dt.date, tuple[tuple[int, int], ...]] = {}

    @classmethod
    def default(cls, **kwargs) -> WorkingCalendar:
        """The default office hours, with the package's holidays unless told otherwise."""
        return cls(DEFAULT_HOURS, **kwargs)

    # Days ----------------------------------------------------------------------------

    def is_day_off(self, day: dt.date) -> bool:
        """A national holiday or cuti bersama that the office takes, or its own closure."""
        if day in self.closed_dates:
            return True
        return day not in self.holidays_worked and day in self._holidays(day.year)

    def intervals_on(self, day: dt.date) -> tuple[tuple[int, int], ...]:
        """The working intervals of a date as [begin, end) minutes of the day."""
        intervals = self._days.get(day)
        if intervals is None:
            intervals = () if self.is_day_off(day) else self._weekday_intervals[day.weekday()]
            self._days[day] = intervals
        return intervals

    def is_working_day(self, day: dt.date) -> bool:
        return bool(self.intervals_on(day))

    # Instants ------------------------------------------------------------------------

    def _wall_minute(self, instant: dt.datetime) -> tuple[dt.date, int]:
        if instant.tzinfo is None or instant.utcoffset() is None:
            raise ValueError(f"{instant!r} has no time zone: use an aware datetime")
        local = instant.astimezone(self.tz)
        return local.date(), local.hour * 60 + local.minute

    def _instant(self, day: dt.date, minute: int) -> dt.datetime:
        return dt.datetime.combine(day, dt.time(minute // 60, minute % 60), tzinfo=self.tz)

    def _next_day(self, day: dt.date, idle: int, intervals) -> tuple[dt.date, int]:
        idle = 0 if intervals else idle + 1
        if idle > MAX_IDLE_DAYS:
            raise ValueError(f"no working minute in the {MAX_IDLE_DAYS} days before {day}")
        return day + ONE_DAY, idle

    def is_working_time(self, instant: dt.datetime) -> bool:
        day, minute = self._wall_minute(instant)
        return any(begin <= minute < end for begin, end in self.intervals_on(day))

    def clock_start(self, instant: dt.datetime) -> dt.datetime:
        """The minute from which working time counts for something that arrives at `instant`:
        that minute when the office is working, else the next opening."""
        day, minute = self._wall_minute(instant)
        idle = 0
        while True:
            intervals = self.intervals_on(day)
            for begin, end in intervals:
                if minute < end:
                    return self._instant(day, max(begin, minute))
            day, idle = self._next_day(day, idle, intervals)
            minute = 0

    def add_working_minutes(self, start: dt.datetime, minutes: int) -> dt.datetime:
        """The earliest instant by which `minutes` working minutes have passed since `start`."""
        if minutes < 0:
            raise ValueError(f"cannot add {minutes} working minutes: use 0 or more")
        day, minute = self._wall_minute(start)
        if minutes == 0:
            return self._instant(day, minute)
        remaining, idle = minutes, 0
        while True:
            intervals = self.intervals_on(day)
            for begin, end in intervals:
                if end <= minute:
                    continue
                begin = max(begin, minute)
                available = end - begin
                if remaining <= available:
                    return self._instant(day, begin + remaining)
                remaining -= available
            day, idle = self._next_day(day, idle, intervals)
            minute = 0

    def working_minutes_between(self, t1: dt.datetime, t2: dt.datetime) -> int:
        """Working minutes in [t1, t2), both floored to their minute; 0 if t2 <= t1."""
        first_day, first_minute = self._wall_minute(t1)
        last_day, last_minute = self._wall_minute(t2)
        if (last_day, last_minute) <= (first_day, first_minute):
            return 0
        total, day = 0, first_day
        while day <= last_day:
            low = first_minute if day == first_day else 0
            high = last_minute if day == last_day else MINUTES_PER_DAY
            for begin, end in self.intervals_on(day):
                overlap = min(end, high) - max(begin, low)
                if overlap > 0:
                    total += overlap
            day += ONE_DAY
        return total


# The calendar in force ---------------------------------------------------------------

_injected: WorkingCalendar | None = None
_cached: tuple[tuple, WorkingCalendar] | None = None


def _configuration() -> tuple:
    """Everything the calendar is built from, as stored now (two small queries)."""
    from aduan.sla.models import DayOverride, OfficeHours

    hours = tuple(
        OfficeHours.objects.order_by("weekday").values_list(
            "weekday", "is_open", "opens_at", "closes_at", "break_start", "break_end"
        )
    )
    overrides = tuple(DayOverride.objects.order_by("date").values_list("date", "kind"))
    return hours, overrides, settings.TIME_ZONE


def calendar_from_configuration(configuration: tuple) -> WorkingCalendar:
    from aduan.sla.models import DayOverride

    stored_hours, overrides, time_zone = configuration
    hours = dict(DEFAULT_HOURS)  # a weekday without a row keeps the default
    for weekday, is_open, opens, closes, break_start, break_end in stored_hours:
        hours[weekday] = DayHours(opens, closes, break_start, break_end) if is_open else None
    return WorkingCalendar(
        hours,
        closed_dates=[day for day, kind in overrides if kind == DayOverride.Kind.CLOSED],
        holidays_worked=[day for day, kind in overrides if kind == DayOverride.Kind.WORKED],
        tz=time_zone,
    )


def calendar_for_today() -> WorkingCalendar:
    """The working calendar as the office has configured it now.

    Cached per process; the cache is checked against the stored hours and days off on
    every call, so a change made in the admin (in any process) is seen by the next call.
    Call it once per request or task and reuse the calendar inside loops.
    """
    global _cached
    if _injected is not None:
        return _injected
    configuration = _configuration()
    cached = _cached
    if cached is not None and cached[0] == configuration:
        return cached[1]
    calendar = calendar_from_configuration(configuration)
    _cached = (configuration, calendar)
    return calendar


@contextmanager
def use_calendar(calendar: WorkingCalendar):
    """Make `calendar_for_today()` return `calendar` inside the block (for tests)."""
    global _injected
    previous, _injected = _injected, calendar
    try:
        yield calendar
    finally:
        _injected = previous
