"""Properties that hold for any office hours, any days off and any instants.

Calendars are drawn at random (hours per weekday, with or without a break, closed days and
worked holidays) over the real Indonesian holidays of 2024–2028; instants carry seconds.
"""

import datetime as dt

from hypothesis import given, settings
from hypothesis import strategies as st

from aduan.sla.calendar import DEFAULT_HOURS, DayHours, WorkingCalendar, national_holidays
from aduan.sla.tests.conftest import JAKARTA

FIRST_DAY, LAST_DAY = dt.date(2024, 1, 1), dt.date(2028, 12, 31)
ONE_MINUTE = dt.timedelta(minutes=1)


@st.composite
def day_hours(draw):
    opens = draw(st.integers(0, 22 * 60))
    closes = draw(st.integers(opens + 1, 23 * 60 + 59))

    def clock(minute):
        return dt.time(minute // 60, minute % 60)

    if closes - opens >= 3 and draw(st.booleans()):
        break_start = draw(st.integers(opens + 1, closes - 2))
        break_end = draw(st.integers(break_start + 1, closes - 1))
        return DayHours(clock(opens), clock(closes), clock(break_start), clock(break_end))
    return DayHours(clock(opens), clock(closes))


dates = st.dates(min_value=FIRST_DAY, max_value=LAST_DAY)


@st.composite
def calendars(draw):
    if draw(st.booleans()):
        hours = dict(DEFAULT_HOURS)
    else:
        hours = {weekday: draw(st.none() | day_hours()) for weekday in range(7)}
        if not any(hours.values()):
            hours[draw(st.integers(0, 6))] = draw(day_hours())
    closed = draw(st.sets(dates, max_size=20))
    holidays = sorted(day for year in range(2024, 2029) for day in national_holidays(year))
    worked = draw(st.sets(st.sampled_from(holidays), max_size=5)) - closed
    return WorkingCalendar(hours, closed_dates=closed, holidays_worked=worked, tz=JAKARTA)


instants = st.datetimes(
    min_value=dt.datetime(2024, 1, 1), max_value=dt.datetime(2028, 6, 30, 23, 59, 59)
).map(lambda naive: naive.replace(tzinfo=JAKARTA))
# Up to five working days of the default hours, and now and then far more.
minutes = st.integers(0, 5 * 450) | st.integers(0, 60_000)


@settings(deadline=None)
@given(calendars(), instants, minutes)
def test_measuring_what_was_added_gives_it_back(office, start, n):
    assert office.working_minutes_between(start, office.add_working_minutes(start, n)) == n


@settings(deadline=None)
@given(calendars(), instants, st.integers(1, 60_000))
def test_the_last_minute_added_is_a_working_minute(office, start, n):
    due = office.add_working_minutes(start, n)
    assert office.is_working_time(due - ONE_MINUTE)
    assert due > start.replace(second=0, microsecond=0)


@settings(deadline=None)
@given(calendars(), st.lists(instants, min_size=3, max_size=3))
def test_measuring_is_additive(office, three):
    a, b, c = sorted(three)
    between = office.working_minutes_between
    assert between(a, b) + between(b, c) == between(a, c)
    assert between(c, a) == 0


@settings(deadline=None)
@given(calendars(), instants, instants, minutes, minutes)
def test_adding_is_monotonic(office, t1, t2, n1, n2):
    t1, t2 = sorted([t1, t2])
    n1, n2 = sorted([n1, n2])
    assert office.add_working_minutes(t1, n1) <= office.add_working_minutes(t2, n1)
    assert office.add_working_minutes(t1, n1) <= office.add_working_minutes(t1, n2)


def minute_by_minute(office, t1, t2):
    """The slow, obvious count the calendar must agree with."""
    t = t1.astimezone(JAKARTA).replace(second=0, microsecond=0)
    end = t2.astimezone(JAKARTA).replace(second=0, microsecond=0)
    count = 0
    while t < end:
        count += office.is_working_time(t)
        t += ONE_MINUTE
    return count


@settings(deadline=None, max_examples=60)
@given(calendars(), instants, st.integers(0, 4 * 24 * 60))
def test_measuring_agrees_with_counting_minute_by_minute(office, start, span):
    end = start + dt.timedelta(minutes=span, seconds=17)
    assert office.working_minutes_between(start, end) == minute_by_minute(office, start, end)
