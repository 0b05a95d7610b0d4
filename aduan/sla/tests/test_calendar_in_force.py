"""`calendar_for_today()` builds the calendar from the stored hours and days off, keeps it
while nothing changes, and sees every change on its next call."""

import datetime as dt

from aduan.sla.calendar import DEFAULT_HOURS, WorkingCalendar, calendar_for_today, use_calendar
from aduan.sla.models import DayOverride, OfficeHours
from aduan.sla.tests.conftest import JAKARTA, at, no_holidays


def test_the_data_migration_stores_the_default_hours(db):
    stored = {row.weekday: row for row in OfficeHours.objects.all()}
    assert sorted(stored) == list(range(7))
    friday = stored[OfficeHours.Weekday.FRIDAY]
    assert (friday.opens_at, friday.closes_at) == (dt.time(7, 30), dt.time(16, 30))
    assert (friday.break_start, friday.break_end) == (dt.time(11, 30), dt.time(13, 0))
    assert not stored[OfficeHours.Weekday.SATURDAY].is_open
    assert not stored[OfficeHours.Weekday.SUNDAY].is_open
    assert calendar_for_today().hours == dict(DEFAULT_HOURS)


def test_the_calendar_in_force_answers_with_the_stored_hours(office_hours):
    office = calendar_for_today()
    assert office.add_working_minutes(at("2026-02-13 16:20"), 60) == at("2026-02-18 08:20")


def test_the_calendar_is_kept_while_nothing_changes(office_hours, django_assert_num_queries):
    first = calendar_for_today()
    with django_assert_num_queries(2):
        assert calendar_for_today() is first


def test_changed_hours_are_seen_on_the_next_call(office_hours):
    before = calendar_for_today()
    monday = office_hours[OfficeHours.Weekday.MONDAY]
    monday.opens_at, monday.break_start, monday.break_end = dt.time(8, 0), None, None
    monday.save()
    after = calendar_for_today()
    assert after is not before
    assert after.add_working_minutes(at("2026-01-05 07:00"), 60) == at("2026-01-05 09:00")
    assert after.add_working_minutes(at("2026-01-05 11:30"), 60) == at("2026-01-05 12:30")


def test_added_and_removed_days_are_seen_on_the_next_call(office_hours):
    calendar_for_today()
    closure = DayOverride.objects.create(
        date=dt.date(2026, 1, 5), kind=DayOverride.Kind.CLOSED, reason="Rapat kerja"
    )
    assert not calendar_for_today().is_working_day(dt.date(2026, 1, 5))
    closure.delete()
    assert calendar_for_today().is_working_day(dt.date(2026, 1, 5))
    DayOverride.objects.create(
        date=dt.date(2026, 12, 24), kind=DayOverride.Kind.WORKED, reason="Pelayanan tetap buka"
    )
    assert calendar_for_today().is_working_day(dt.date(2026, 12, 24))


def test_a_weekday_without_a_stored_row_keeps_its_default_hours(office_hours):
    OfficeHours.objects.filter(weekday=OfficeHours.Weekday.TUESDAY).delete()
    assert calendar_for_today().hours[1] == DEFAULT_HOURS[1]


def test_tests_can_put_their_own_calendar_in_force(office_hours):
    every_day = WorkingCalendar(
        {day: DEFAULT_HOURS[0] for day in range(7)}, tz=JAKARTA, holidays=no_holidays
    )
    with use_calendar(every_day):
        assert calendar_for_today() is every_day
    assert calendar_for_today() is not every_day


def test_the_calendar_reads_the_office_time_zone(office_hours, settings):
    assert settings.TIME_ZONE == "Asia/Jakarta"
    due = calendar_for_today().add_working_minutes(dt.datetime(2026, 1, 5, 1, 0, tzinfo=dt.UTC), 5)
    assert due.isoformat() == "2026-01-05T08:05:00+07:00"
