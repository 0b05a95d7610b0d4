"""Admin Ani edits office hours and days off in /admin/; the calendar follows at once and
every change is in the audit log with her name."""

import datetime as dt

import pytest
import time_machine

from aduan.audit.models import AuditEvent
from aduan.audit.services import audit_verify
from aduan.sla.calendar import calendar_for_today
from aduan.sla.models import DayOverride, OfficeHours
from aduan.sla.tests.conftest import at

HOURS_URL = "/admin/sla/officehours/"
DAYS_URL = "/admin/sla/dayoverride/"


def hours_form(**changes) -> dict:
    form = {
        "is_open": "on",
        "opens_at": "07:30",
        "closes_at": "16:00",
        "break_start": "12:00",
        "break_end": "13:00",
    }
    form.update(changes)
    return {name: value for name, value in form.items() if value is not None}


def last_event(action: str) -> AuditEvent:
    return AuditEvent.objects.filter(action=action).latest("id")


@pytest.mark.parametrize("url", [HOURS_URL, DAYS_URL, DAYS_URL + "add/"])
def test_the_calendar_pages_open(ani_client, office_hours, url, django_assert_max_num_queries):
    with django_assert_max_num_queries(12):
        assert ani_client.get(url).status_code == 200


def test_changing_monday_hours_changes_the_calendar_and_is_audited(ani_client, ani, office_hours):
    monday = office_hours[OfficeHours.Weekday.MONDAY]
    assert calendar_for_today().add_working_minutes(at("2026-01-05 11:30"), 60) == at(
        "2026-01-05 13:30"
    )
    response = ani_client.post(
        f"{HOURS_URL}{monday.pk}/change/", hours_form(break_start="", break_end="")
    )
    assert response.status_code == 302
    assert calendar_for_today().add_working_minutes(at("2026-01-05 11:30"), 60) == at(
        "2026-01-05 12:30"
    )
    event = last_event("calendar.hours_changed")
    assert event.actor == ani
    assert event.data["before"]["break_start"] == "12:00:00"
    assert event.data["after"]["break_start"] is None
    assert audit_verify() == (True, None)


def test_opening_on_saturday_makes_saturday_count(ani_client, office_hours):
    saturday = office_hours[OfficeHours.Weekday.SATURDAY]
    form = hours_form(opens_at="08:00", closes_at="12:00", break_start="", break_end="")
    ani_client.post(f"{HOURS_URL}{saturday.pk}/change/", form)
    # Friday 9 January 2026 at 16:20, 60 minutes: 10 on Friday, 50 on Saturday morning.
    assert calendar_for_today().add_working_minutes(at("2026-01-09 16:20"), 60) == at(
        "2026-01-10 08:50"
    )


def test_closing_a_weekday_clears_its_times(ani_client, office_hours):
    friday = office_hours[OfficeHours.Weekday.FRIDAY]
    ani_client.post(f"{HOURS_URL}{friday.pk}/change/", hours_form(is_open=None))
    friday.refresh_from_db()
    assert not friday.is_open and friday.opens_at is None and friday.break_start is None
    assert not calendar_for_today().is_working_day(dt.date(2026, 1, 9))


@pytest.mark.parametrize(
    "changes, message",
    [
        ({"opens_at": "16:00", "closes_at": "07:30"}, "Jam tutup harus setelah jam buka."),
        ({"break_start": "07:00"}, "Istirahat harus dimulai dan selesai di dalam jam kerja."),
        ({"break_end": ""}, "Isi mulai dan selesai istirahat, atau kosongkan keduanya."),
        ({"opens_at": ""}, "Wajib diisi untuk hari kantor buka."),
        ({"opens_at": "07:30:15"}, "Isi jam dan menit saja, tanpa detik."),
    ],
)
def test_impossible_hours_are_refused_beside_the_field(ani_client, office_hours, changes, message):
    monday = office_hours[OfficeHours.Weekday.MONDAY]
    response = ani_client.post(f"{HOURS_URL}{monday.pk}/change/", hours_form(**changes))
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not AuditEvent.objects.filter(action="calendar.hours_changed").exists()


def test_weekdays_cannot_be_added_or_deleted(ani_client, office_hours):
    monday = office_hours[OfficeHours.Weekday.MONDAY]
    assert ani_client.get(HOURS_URL + "add/").status_code == 403
    assert ani_client.post(f"{HOURS_URL}{monday.pk}/delete/", {"post": "yes"}).status_code == 403
    assert OfficeHours.objects.count() == 7


def test_adding_an_office_closure_changes_the_calendar_and_is_audited(
    ani_client, ani, office_hours
):
    form = {"date": "2026-01-05", "kind": "closed", "reason": "Rapat kerja seluruh pegawai"}
    assert ani_client.post(DAYS_URL + "add/", form).status_code == 302
    assert calendar_for_today().add_working_minutes(at("2026-01-02 16:20"), 60) == at(
        "2026-01-06 08:20"
    )
    event = last_event("calendar.day_added")
    assert event.actor == ani
    assert event.data["after"] == {
        "date": "2026-01-05",
        "kind": "closed",
        "reason": "Rapat kerja seluruh pegawai",
    }


def test_working_a_cuti_bersama_changes_the_calendar_and_is_audited(ani_client, office_hours):
    form = {"date": "2026-02-16", "kind": "worked", "reason": "Pelayanan tetap buka (SE Kadis)"}
    assert ani_client.post(DAYS_URL + "add/", form).status_code == 302
    assert calendar_for_today().add_working_minutes(at("2026-02-13 16:20"), 60) == at(
        "2026-02-16 08:20"
    )
    assert last_event("calendar.day_added").data["after"]["kind"] == "worked"


def test_working_an_ordinary_day_is_refused_with_a_reason(ani_client, office_hours):
    form = {"date": "2026-01-06", "kind": "worked", "reason": "Keliru"}
    response = ani_client.post(DAYS_URL + "add/", form)
    assert "bukan hari libur nasional atau cuti bersama" in response.content.decode()
    assert not DayOverride.objects.exists()


def test_a_date_is_decided_once(ani_client, office_hours):
    DayOverride.objects.create(date=dt.date(2026, 1, 5), kind="closed", reason="Rapat")
    form = {"date": "2026-01-05", "kind": "closed", "reason": "Lagi"}
    assert ani_client.post(DAYS_URL + "add/", form).status_code == 200
    assert DayOverride.objects.count() == 1


def test_changing_a_day_is_audited_with_before_and_after(ani_client, office_hours):
    day = DayOverride.objects.create(date=dt.date(2026, 1, 5), kind="closed", reason="Rapat")
    form = {"date": "2026-01-06", "kind": "closed", "reason": "Rapat diundur"}
    assert ani_client.post(f"{DAYS_URL}{day.pk}/change/", form).status_code == 302
    assert calendar_for_today().is_working_day(dt.date(2026, 1, 5))
    assert not calendar_for_today().is_working_day(dt.date(2026, 1, 6))
    event = last_event("calendar.day_changed")
    assert (event.data["before"]["date"], event.data["after"]["date"]) == (
        "2026-01-05",
        "2026-01-06",
    )


def test_removing_a_day_restores_the_calendar_and_is_audited(ani_client, ani, office_hours):
    day = DayOverride.objects.create(date=dt.date(2026, 2, 16), kind="worked", reason="Buka")
    assert calendar_for_today().is_working_day(dt.date(2026, 2, 16))
    assert ani_client.post(f"{DAYS_URL}{day.pk}/delete/", {"post": "yes"}).status_code == 302
    assert not calendar_for_today().is_working_day(dt.date(2026, 2, 16))
    event = last_event("calendar.day_removed")
    assert event.actor == ani and event.data["before"]["date"] == "2026-02-16"


def test_removing_days_from_the_list_audits_each_one(ani_client, office_hours):
    days = [
        DayOverride.objects.create(date=dt.date(2026, 1, d), kind="closed", reason="Rapat")
        for d in (5, 6)
    ]
    form = {"action": "delete_selected", "_selected_action": [d.pk for d in days], "post": "yes"}
    assert ani_client.post(DAYS_URL, form).status_code == 302
    assert not DayOverride.objects.exists()
    assert AuditEvent.objects.filter(action="calendar.day_removed").count() == 2
    assert audit_verify() == (True, None)


def test_the_list_shows_this_years_holidays_and_which_the_office_works(ani_client, office_hours):
    DayOverride.objects.create(date=dt.date(2026, 12, 24), kind="worked", reason="Buka")
    with time_machine.travel("2026-11-29 09:00 +0700", tick=False):
        page = ani_client.get(DAYS_URL).content.decode()
    assert "Cuti Bersama Hari Raya Idul Fitri" in page
    assert "2026-12-24" in page and "tetap masuk" in page
    assert "2027-01-01" in page  # next year's as well
