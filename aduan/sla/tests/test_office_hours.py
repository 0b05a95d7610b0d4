"""Working minutes count only inside office hours: not at night, at weekends or in breaks.

Default hours: Monday–Thursday 07:30–16:00 with a break 12:00–13:00, Friday 07:30–16:30 with
a break 11:30–13:00; 450 working minutes a day. 5 January 2026 is a Monday with no holiday.
"""

import datetime as dt

import pytest

from aduan.sla.calendar import DayHours, WorkingCalendar
from aduan.sla.tests.conftest import JAKARTA, at, no_holidays


def add(office: WorkingCalendar, start: str, minutes: int) -> dt.datetime:
    return office.add_working_minutes(at(start), minutes)


def between(office: WorkingCalendar, start: str, end: str) -> int:
    return office.working_minutes_between(at(start), at(end))


def test_minutes_inside_one_morning_are_counted_as_they_are(plain_office):
    assert add(plain_office, "2026-01-05 08:00", 60) == at("2026-01-05 09:00")
    assert between(plain_office, "2026-01-05 08:00", "2026-01-05 09:00") == 60


def test_the_lunch_break_counts_nothing(plain_office):
    assert add(plain_office, "2026-01-05 11:30", 60) == at("2026-01-05 13:30")
    assert between(plain_office, "2026-01-05 11:00", "2026-01-05 14:00") == 120
    assert between(plain_office, "2026-01-05 12:10", "2026-01-05 12:50") == 0


def test_the_friday_break_is_longer(plain_office):
    assert add(plain_office, "2026-01-09 11:00", 60) == at("2026-01-09 13:30")


def test_a_complaint_filed_in_the_break_starts_its_clock_after_the_break(plain_office):
    assert add(plain_office, "2026-01-05 12:20", 20) == at("2026-01-05 13:20")


def test_the_night_counts_nothing(plain_office):
    # 30 minutes before closing on Monday, then the rest from Tuesday's opening.
    assert add(plain_office, "2026-01-05 15:30", 60) == at("2026-01-06 08:00")
    assert between(plain_office, "2026-01-05 15:30", "2026-01-06 08:00") == 60


def test_a_complaint_filed_at_night_starts_its_clock_at_opening(plain_office):
    assert add(plain_office, "2026-01-05 21:45", 20) == at("2026-01-06 07:50")
    assert add(plain_office, "2026-01-06 05:00", 20) == at("2026-01-06 07:50")


def test_a_complaint_filed_on_saturday_night_starts_its_clock_on_monday(plain_office):
    assert add(plain_office, "2026-01-10 22:00", 60) == at("2026-01-12 08:30")
    assert plain_office.clock_start(at("2026-01-10 22:00")) == at("2026-01-12 07:30")


def test_the_weekend_counts_nothing(plain_office):
    assert add(plain_office, "2026-01-09 16:00", 60) == at("2026-01-12 08:00")
    assert between(plain_office, "2026-01-10 00:00", "2026-01-12 00:00") == 0


def test_a_full_week_is_37_and_a_half_hours(plain_office):
    week = between(plain_office, "2026-01-05 00:00", "2026-01-12 00:00")
    assert week == 5 * 450 == 37.5 * 60


def test_adding_lands_on_the_closing_minute_not_the_next_opening(plain_office):
    # Exactly the minutes left before closing: due at 16:00 the same day.
    assert add(plain_office, "2026-01-05 15:00", 60) == at("2026-01-05 16:00")
    # Exactly the minutes left before the break: due at 12:00, not 13:00.
    assert add(plain_office, "2026-01-05 11:00", 60) == at("2026-01-05 12:00")
    # One more minute goes to the next working minute.
    assert add(plain_office, "2026-01-05 15:00", 61) == at("2026-01-06 07:31")


def test_a_complaint_filed_at_the_closing_minute_starts_next_morning(plain_office):
    assert add(plain_office, "2026-01-05 16:00", 1) == at("2026-01-06 07:31")
    assert plain_office.clock_start(at("2026-01-05 16:00")) == at("2026-01-06 07:30")
    assert plain_office.clock_start(at("2026-01-05 15:59")) == at("2026-01-05 15:59")


def test_adding_nothing_returns_the_same_minute(plain_office):
    assert add(plain_office, "2026-01-10 22:00:40", 0) == at("2026-01-10 22:00")


def test_seconds_are_dropped_before_counting(plain_office):
    assert add(plain_office, "2026-01-05 08:00:59", 60) == at("2026-01-05 09:00")
    between = plain_office.working_minutes_between
    assert between(at("2026-01-05 08:00:59"), at("2026-01-05 08:01:00")) == 1
    assert between(at("2026-01-05 08:00:00"), at("2026-01-05 08:00:59")) == 0


def test_measuring_backwards_gives_zero(plain_office):
    assert between(plain_office, "2026-01-06 09:00", "2026-01-05 09:00") == 0


def test_instants_in_another_zone_are_read_on_the_office_clock(plain_office):
    utc_midnight = dt.datetime(2026, 1, 5, 1, 0, tzinfo=dt.UTC)  # 08:00 in Jakarta
    due = plain_office.add_working_minutes(utc_midnight, 30)
    assert due == at("2026-01-05 08:30") and due.tzinfo == JAKARTA


def test_a_naive_datetime_is_refused(plain_office):
    with pytest.raises(ValueError, match="no time zone"):
        plain_office.add_working_minutes(dt.datetime(2026, 1, 5, 8, 0), 10)


def test_negative_minutes_are_refused(plain_office):
    with pytest.raises(ValueError, match="0 or more"):
        add(plain_office, "2026-01-05 08:00", -1)


def test_a_day_without_a_break_counts_straight_through():
    saturday_morning = DayHours(dt.time(8, 0), dt.time(12, 0))
    hours = {0: DayHours(dt.time(8, 0), dt.time(16, 0)), 5: saturday_morning}
    office = WorkingCalendar(hours, tz=JAKARTA, holidays=no_holidays)
    assert office.add_working_minutes(at("2026-01-05 11:30"), 60) == at("2026-01-05 12:30")
    assert office.add_working_minutes(at("2026-01-05 15:30"), 60) == at("2026-01-10 08:30")


def test_a_calendar_closed_every_day_is_refused():
    with pytest.raises(ValueError, match="closed on every weekday"):
        WorkingCalendar({}, tz=JAKARTA)


@pytest.mark.parametrize(
    "times, message",
    [
        (("16:00", "07:30", None, None), "open before it closes"),
        (("07:30", "16:00", "12:00", None), "both a start and an end"),
        (("07:30", "16:00", "07:00", "08:00"), "strictly inside"),
        (("07:30:30", "16:00", None, None), "whole minutes"),
    ],
)
def test_impossible_hours_are_refused(times, message):
    parsed = [dt.time.fromisoformat(t) if t else None for t in times]
    with pytest.raises(ValueError, match=message):
        DayHours(*parsed)
