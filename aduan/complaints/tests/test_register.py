"""Registering a complaint: agenda book, tracking code, SOP version and first step."""

import re

import pytest
import time_machine

from aduan.audit.models import AuditEvent
from aduan.complaints.models import Complaint
from aduan.complaints.services import NoSopInForce, complaint_register
from aduan.lib import codes
from aduan.lib.codes import normalise_tracking_code


def register(category, **extra):
    return complaint_register(
        category=category, subject="KK hilang", description="Kartu keluarga saya hilang.", **extra
    )


def test_agenda_numbers_run_without_gaps_and_restart_each_year(sop_version, category):
    with time_machine.travel("2026-12-31 16:00 +0700", tick=False):
        first, second = register(category), register(category)
    with time_machine.travel("2027-01-02 08:00 +0700", tick=False):
        next_year = register(category)
    assert [c.agenda_number for c in (first, second, next_year)] == [
        "00001/2026",
        "00002/2026",
        "00001/2027",
    ]


def test_the_year_is_the_offices_local_year(sop_version, category):
    # 31 December 18:00 UTC is already 1 January in Jakarta.
    with time_machine.travel("2026-12-31 18:00 +0000", tick=False):
        assert register(category).agenda_number == "00001/2027"


def test_tracking_codes_are_short_unambiguous_and_distinct(sop_version, category):
    tracking = {register(category).tracking_code for _ in range(20)}
    assert len(tracking) == 20
    for code in tracking:
        assert re.fullmatch(r"ADU-[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}", code)


def test_a_tracking_code_collision_draws_another_code(sop_version, category, monkeypatch):
    drawn = iter(["ADU-AAAA-AAAA", "ADU-AAAA-AAAA", "ADU-BBBB-BBBB"])
    monkeypatch.setattr(codes, "generator", lambda: next(drawn))
    assert register(category).tracking_code == "ADU-AAAA-AAAA"
    assert register(category).tracking_code == "ADU-BBBB-BBBB"
    assert Complaint.objects.count() == 2


def test_a_registered_complaint_starts_at_staff_draft_under_the_sop_in_force(sop_version, category):
    complaint = register(category, name="Sari", phone="+6281234567890")
    assert complaint.sop_version == sop_version
    assert complaint.status == Complaint.Status.OPEN
    assert complaint.steps.get().step == "draft"
    assert AuditEvent.objects.filter(
        action="complaint.registered", complaint_id=complaint.pk
    ).exists()


def test_without_a_loaded_sop_registration_says_what_to_do(db, category):
    with pytest.raises(NoSopInForce, match="manage.py sop_load"):
        register(category)


@pytest.mark.parametrize("typed", ["adu-7k3m-9qxz", " ADU 7K3M 9QXZ ", "7k3m9qxz", "ADU-7K3M-9QXZ"])
def test_tracking_codes_are_read_the_way_people_type_them(typed):
    assert normalise_tracking_code(typed) == "ADU-7K3M-9QXZ"


def test_letters_that_look_like_digits_are_read_as_digits():
    assert normalise_tracking_code("adu-ok3m-lqxz") == "ADU-0K3M-1QXZ"
