"""Fixtures for the working calendar: instants on the office's wall clock, calendars from
plain data, the stored default hours and an administrator (Admin Ani)."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from aduan.sla.calendar import DEFAULT_HOURS, WorkingCalendar

JAKARTA = ZoneInfo("Asia/Jakarta")


def at(text: str) -> dt.datetime:
    """'2026-02-13 16:20' (or with seconds) on the office's clock in Jakarta."""
    return dt.datetime.fromisoformat(text).replace(tzinfo=JAKARTA)


def no_holidays(year: int) -> frozenset:
    return frozenset()


@pytest.fixture
def office():
    """The default hours and the real Indonesian holidays and cuti bersama."""
    return WorkingCalendar.default(tz=JAKARTA)


@pytest.fixture
def plain_office():
    """The default hours with no holidays at all: only nights, weekends and breaks."""
    return WorkingCalendar.default(tz=JAKARTA, holidays=no_holidays)


@pytest.fixture
def office_hours(db):
    """The seven stored rows as the data migration makes them (a transactional test
    elsewhere may have flushed them)."""
    from aduan.sla.models import OfficeHours

    for weekday, hours in DEFAULT_HOURS.items():
        defaults = {"is_open": False}
        if hours is not None:
            defaults = {
                "is_open": True,
                "opens_at": hours.opens,
                "closes_at": hours.closes,
                "break_start": hours.break_start,
                "break_end": hours.break_end,
            }
        OfficeHours.objects.get_or_create(weekday=weekday, defaults=defaults)
    return {row.weekday: row for row in OfficeHours.objects.all()}


@pytest.fixture
def ani(db):
    from aduan.accounts.models import User

    return User.objects.create_superuser(
        "ani", "ani@example.test", "x-long-password", first_name="Ani"
    )


@pytest.fixture
def ani_client(client, ani):
    client.force_login(ani)
    return client
