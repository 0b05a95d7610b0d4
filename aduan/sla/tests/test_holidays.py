"""National holidays, cuti bersama and the office's own days off count nothing.

The dates come from the `holidays` package (Indonesia, categories "public" and
"government"); the first tests pin the facts the rest rely on, so a package upgrade that
changes them fails here first.
"""

import datetime as dt

import holidays
import pytest

from aduan.sla.calendar import (
    DEFAULT_HOURS,
    HOLIDAY_CATEGORIES,
    WorkingCalendar,
    national_holidays,
)
from aduan.sla.tests.conftest import JAKARTA, at

CUTI_BERSAMA = {
    2024: ["02-09", "03-12", "04-08", "04-09", "04-12", "04-15", "05-10", "05-24", "06-18",
           "12-26"],
    2025: ["01-28", "03-28", "04-02", "04-03", "04-04", "04-07", "05-13", "05-30", "06-09",
           "08-18", "12-26"],
    2026: ["02-16", "03-18", "03-20", "03-23", "03-24", "05-15", "05-28", "12-24"],
    2027: ["02-05", "03-09", "03-12", "03-15", "03-25", "05-18", "05-19", "12-24"],
}  # fmt: skip


@pytest.mark.parametrize("year", sorted(CUTI_BERSAMA))
def test_cuti_bersama_come_only_with_the_government_category(year):
    public = holidays.country_holidays("ID", years=year)
    with_cuti = holidays.country_holidays("ID", years=year, categories=HOLIDAY_CATEGORIES)
    expected = {dt.date.fromisoformat(f"{year}-{day}") for day in CUTI_BERSAMA[year]}
    assert set(with_cuti) - set(public) == expected
    assert expected <= set(national_holidays(year))


def test_holidays_are_named_in_indonesian():
    assert national_holidays(2026)[dt.date(2026, 3, 20)] == "Cuti Bersama Hari Raya Idul Fitri"
    assert national_holidays(2026)[dt.date(2026, 3, 21)] == "Hari Raya Idul Fitri"
    assert national_holidays(2027)[dt.date(2027, 1, 1)] == "Tahun Baru Masehi"


def test_a_national_holiday_counts_nothing(office):
    # Friday 1 May 2026, Hari Buruh: Thursday afternoon runs on to Monday morning.
    assert office.add_working_minutes(at("2026-04-30 15:30"), 60) == at("2026-05-04 08:00")
    assert office.working_minutes_between(at("2026-05-01 00:00"), at("2026-05-02 00:00")) == 0


def test_a_cuti_bersama_counts_nothing(office):
    # Thursday 24 December 2026 is cuti bersama, Friday 25 is Christmas.
    assert office.add_working_minutes(at("2026-12-23 15:30"), 60) == at("2026-12-28 08:00")


def test_friday_afternoon_before_the_imlek_long_weekend(office):
    # Filed Friday 13 February 2026 at 16:20: 10 minutes before closing. Saturday and
    # Sunday, Monday 16 (cuti bersama Imlek) and Tuesday 17 (Imlek) are closed, so the
    # first step's 60 minutes end at 08:20 on Wednesday 18 February.
    filed = at("2026-02-13 16:20")
    assert office.add_working_minutes(filed, 60) == at("2026-02-18 08:20")
    assert office.working_minutes_between(filed, at("2026-02-18 08:20")) == 60
    assert office.clock_start(at("2026-02-13 16:30")) == at("2026-02-18 07:30")


def test_friday_afternoon_before_idul_fitri_2027(office):
    # Filed Friday 5 March 2027 at 16:20. Nyepi (Monday 8), cuti bersama (Tuesday 9),
    # Idul Fitri (Wednesday 10, Thursday 11), cuti bersama (Friday 12, Monday 15): the
    # office opens again on Tuesday 16 March.
    assert office.add_working_minutes(at("2027-03-05 16:20"), 60) == at("2027-03-16 08:20")


def test_the_week_of_idul_fitri_2026_is_closed_from_wednesday_to_tuesday(office):
    # Nyepi on Thursday 19 March 2026, cuti bersama 18, 20, 23, 24; Idul Fitri 21–22.
    assert office.add_working_minutes(at("2026-03-17 15:50"), 20) == at("2026-03-25 07:40")
    week = office.working_minutes_between(at("2026-03-18 00:00"), at("2026-03-25 00:00"))
    assert week == 0


def test_new_year_is_skipped_at_the_year_end(office):
    # Wednesday 31 December 2025, 30 minutes left; Thursday 1 January 2026 is a holiday.
    assert office.add_working_minutes(at("2025-12-31 15:30"), 60) == at("2026-01-02 08:00")
    assert office.working_minutes_between(at("2025-12-31 15:30"), at("2026-01-02 08:00")) == 60


def test_the_year_end_2026_runs_into_the_next_monday(office):
    # Thursday 31 December 2026, then Friday 1 January 2027 and the weekend.
    assert office.add_working_minutes(at("2026-12-31 15:30"), 60) == at("2027-01-04 08:00")


def test_an_office_closure_counts_nothing():
    # The office closes on Monday 5 January 2026 by its own decision.
    office = WorkingCalendar.default(tz=JAKARTA, closed_dates={dt.date(2026, 1, 5)})
    assert office.add_working_minutes(at("2026-01-02 16:20"), 60) == at("2026-01-06 08:20")


def test_a_holiday_the_office_works_counts_as_a_working_day():
    # The office works the cuti bersama of Monday 16 February 2026 (Imlek stays a holiday).
    office = WorkingCalendar.default(tz=JAKARTA, holidays_worked={dt.date(2026, 2, 16)})
    assert office.add_working_minutes(at("2026-02-13 16:20"), 60) == at("2026-02-16 08:20")
    assert office.is_working_day(dt.date(2026, 2, 16))
    assert not office.is_working_day(dt.date(2026, 2, 17))


def test_working_a_holiday_on_a_weekend_opens_nothing():
    # Saturday 21 March 2026 (Idul Fitri) has no office hours whatever is decided.
    office = WorkingCalendar(DEFAULT_HOURS, tz=JAKARTA, holidays_worked={dt.date(2026, 3, 21)})
    assert not office.is_working_day(dt.date(2026, 3, 21))


def test_a_date_cannot_be_both_closed_and_worked():
    day = dt.date(2026, 2, 16)
    with pytest.raises(ValueError, match="both closed and worked"):
        WorkingCalendar.default(tz=JAKARTA, closed_dates={day}, holidays_worked={day})
