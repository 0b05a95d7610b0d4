"""Acting officials: a Plt. or Plh. holds a role only on the days of the appointment, decides
its steps meanwhile, and every such decision records that it was taken as acting.

Kasi Wati is appointed Plh. Kabid from 9 to 13 March 2026 while Kabid Agus is on leave;
kasi Sinta, of another section, verifies the complaints Wati then decides as Kabid.
"""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from aduan.accounts.models import RoleGrant
from aduan.accounts.selectors import acting_kind, official_roles, official_signature
from aduan.audit.models import AuditEvent
from aduan.audit.services import audit_verify
from aduan.complaints.services import complaint_register
from aduan.desk.selectors import inbox_for
from aduan.sop.engine import decisions_for, step_decide
from conftest import make_official

LEAVE = dt.date(2026, 3, 9), dt.date(2026, 3, 13)


def appoint(user, role: str, kind: str, starts_on: dt.date, ends_on: dt.date) -> RoleGrant:
    return RoleGrant.objects.create(
        user=user, role=role, kind=kind, starts_on=starts_on, ends_on=ends_on, note="800/45/2026"
    )


@pytest.fixture
def wati_plh_kabid(wati):
    """Kasi Wati, appointed Plh. Kabid for the week of Agus's leave."""
    appoint(wati, "kabid", "plh", *LEAVE)
    return wati


@pytest.fixture
def sinta(db):
    return make_official("sinta", "Sinta", "kasi")


def at(time_machine, moment: str) -> None:
    time_machine.move_to(moment, tick=False)


def open_step(complaint):
    return complaint.steps.get(decided_at__isnull=True)


def decide(complaint, actor, decision="approve", note=""):
    return step_decide(step_id=open_step(complaint).pk, actor=actor, decision=decision, note=note)


def waiting_for_kabid(category, budi, sinta, subject="KTP-el belum jadi"):
    """A complaint drafted by Budi and verified by kasi Sinta: its Kabid step is open."""
    complaint = complaint_register(
        category=category, subject=subject, description="Uraian.", name="Sari Wulandari"
    )
    assert decide(complaint, budi).ok
    assert decide(complaint, sinta).ok
    assert open_step(complaint).role == "kabid"
    return complaint


# The appointment window, read in the office's time zone


@pytest.mark.parametrize(
    "moment, holds",
    [
        ("2026-03-08 23:59 +0700", False),
        ("2026-03-09 00:00 +0700", True),  # still 8 March in UTC: the office's day counts
        ("2026-03-13 23:59 +0700", True),  # the last day is included
        ("2026-03-14 00:00 +0700", False),
    ],
)
def test_wati_holds_kabid_from_the_first_to_the_last_day_of_her_appointment(
    time_machine, wati_plh_kabid, moment, holds
):
    at(time_machine, moment)
    assert official_roles(user=wati_plh_kabid) == ({"kasi", "kabid"} if holds else {"kasi"})
    assert acting_kind(user=wati_plh_kabid, role="kabid") == ("plh" if holds else "")


def test_the_day_is_the_offices_even_when_another_time_zone_is_active(time_machine, wati_plh_kabid):
    at(time_machine, "2026-03-09 06:00 +0700")  # 8 March, 23:00 UTC
    with timezone.override("UTC"):
        assert "kabid" in official_roles(user=wati_plh_kabid)


def test_roles_are_read_in_one_query_and_kept_for_the_day_only(
    time_machine, wati_plh_kabid, django_assert_num_queries
):
    at(time_machine, "2026-03-08 23:59 +0700")
    with django_assert_num_queries(1):
        assert official_roles(user=wati_plh_kabid) == {"kasi"}
    with django_assert_num_queries(0):
        assert official_roles(user=wati_plh_kabid) == {"kasi"}
        assert acting_kind(user=wati_plh_kabid, role="kabid") == ""
    at(time_machine, "2026-03-09 00:00 +0700")  # the same user object, the next day
    with django_assert_num_queries(1):
        assert official_roles(user=wati_plh_kabid) == {"kasi", "kabid"}
    with django_assert_num_queries(0):
        assert acting_kind(user=wati_plh_kabid, role="kabid") == "plh"


def test_acting_kind_answers_for_another_date(time_machine, wati_plh_kabid):
    at(time_machine, "2026-03-01 09:00 +0700")
    assert acting_kind(user=wati_plh_kabid, role="kabid", on=dt.date(2026, 3, 9)) == "plh"
    assert acting_kind(user=wati_plh_kabid, role="kabid", on=dt.date(2026, 3, 14)) == ""
    assert acting_kind(user=wati_plh_kabid, role="kasi", on=dt.date(2026, 3, 10)) == ""
    assert official_roles(user=wati_plh_kabid) == {"kasi"}  # today is unchanged


def test_an_inactive_official_holds_nothing_even_when_appointed(time_machine, wati_plh_kabid):
    at(time_machine, "2026-03-10 09:00 +0700")
    wati_plh_kabid.is_active = False
    assert official_roles(user=wati_plh_kabid) == frozenset()
    assert acting_kind(user=wati_plh_kabid, role="kabid") == ""


# Deciding during, before and after the appointment


def test_before_her_appointment_wati_cannot_decide_the_kabid_step(
    time_machine, sop_version, category, budi, sinta, wati_plh_kabid
):
    at(time_machine, "2026-03-06 10:00 +0700")
    complaint = waiting_for_kabid(category, budi, sinta)
    assert inbox_for(user=wati_plh_kabid).rows == []
    outcome = decide(complaint, wati_plh_kabid)
    assert not outcome.ok and outcome.code == "not_your_role"
    assert outcome.message == "Langkah ini hanya dapat diputus oleh Kepala Bidang."


def test_during_her_appointment_wati_sees_and_decides_kabid_steps_as_plh(
    time_machine, sop_version, category, budi, sinta, wati_plh_kabid
):
    at(time_machine, "2026-03-10 09:00 +0700")
    complaint = waiting_for_kabid(category, budi, sinta)
    inbox = inbox_for(user=wati_plh_kabid)
    assert [(row.complaint.pk, row.step.role) for row in inbox.rows] == [(complaint.pk, "kabid")]

    outcome = decide(complaint, wati_plh_kabid)

    assert outcome.ok and outcome.next_step.step == "approve_kadis"
    decided = complaint.steps.get(step="verify_kabid")
    assert (decided.decided_by, decided.decided_as) == (wati_plh_kabid, "plh")
    event = AuditEvent.objects.get(action="step.approve", target_id=str(decided.pk))
    assert event.actor == wati_plh_kabid
    assert (event.data["role"], event.data["decided_as"]) == ("kabid", "plh")


def test_after_her_appointment_wati_no_longer_decides_and_her_decisions_keep_their_record(
    time_machine, sop_version, category, budi, sinta, wati_plh_kabid
):
    at(time_machine, "2026-03-13 15:00 +0700")
    decided_in_time = waiting_for_kabid(category, budi, sinta, "Diputus Plh.")
    assert decide(decided_in_time, wati_plh_kabid).ok
    left_open = waiting_for_kabid(category, budi, sinta, "Menunggu Kabid")

    at(time_machine, "2026-03-14 08:00 +0700")
    assert official_roles(user=wati_plh_kabid) == {"kasi"}
    assert inbox_for(user=wati_plh_kabid).rows == []
    outcome = decide(left_open, wati_plh_kabid)
    assert not outcome.ok and outcome.code == "not_your_role"

    step = decided_in_time.steps.get(step="verify_kabid")
    assert (step.decided_by, step.decided_as) == (wati_plh_kabid, "plh")
    event = AuditEvent.objects.get(action="step.approve", target_id=str(step.pk))
    assert event.data["decided_as"] == "plh"
    assert audit_verify() == (True, None)


def test_a_definitive_decision_records_no_acting_kind(complaint_of_sari, budi):
    assert decide(complaint_of_sari, budi).ok
    step = complaint_of_sari.steps.get(step="draft")
    assert step.decided_as == ""
    event = AuditEvent.objects.get(action="step.approve", target_id=str(step.pk))
    assert event.data["decided_as"] == ""


# Definitive and acting grants together


def test_acting_in_his_own_role_agus_decides_as_the_kabid_he_is(
    time_machine, sop_version, category, budi, sinta, agus
):
    """Agus is also Plt. Kabid of a division whose head has retired: his own post wins."""
    appoint(agus, "kabid", "plt", dt.date(2026, 3, 1), dt.date(2026, 6, 30))
    at(time_machine, "2026-03-10 09:00 +0700")
    assert official_roles(user=agus) == {"kabid"}
    assert acting_kind(user=agus, role="kabid") == ""
    complaint = waiting_for_kabid(category, budi, sinta)
    assert decide(complaint, agus).ok
    assert complaint.steps.get(step="verify_kabid").decided_as == ""


def test_once_the_kadis_retires_the_plt_kadis_signs_as_plt(time_machine, sop_version, agus, hadi):
    RoleGrant.objects.filter(user=hadi).update(ends_on=dt.date(2026, 3, 31))
    appoint(agus, "kadis", "plt", dt.date(2026, 4, 1), dt.date(2026, 9, 30))
    definition = sop_version.definition

    at(time_machine, "2026-03-31 16:00 +0700")
    assert official_roles(user=hadi) == {"kadis"}
    assert official_signature(user=hadi, role="kadis", definition=definition) == "Kepala Dinas"

    at(time_machine, "2026-04-01 08:00 +0700")
    assert official_roles(user=hadi) == frozenset()
    assert official_roles(user=agus) == {"kabid", "kadis"}
    assert official_signature(user=agus, role="kadis", definition=definition) == (
        "Plt. Kepala Dinas"
    )
    assert official_signature(user=agus, role="kabid", definition=definition) == "Kepala Bidang"


def test_the_signature_for_a_given_date(time_machine, sop_version, wati_plh_kabid):
    at(time_machine, "2026-03-01 08:00 +0700")
    definition = sop_version.definition
    on_leave = dt.date(2026, 3, 11)
    assert (
        official_signature(user=wati_plh_kabid, role="kabid", definition=definition, on=on_leave)
        == "Plh. Kepala Bidang"
    )
    assert (
        official_signature(user=wati_plh_kabid, role="kasi", definition=definition, on=on_leave)
        == "Kepala Seksi"
    )


# Separation of duties holds for acting grants


def test_a_plh_kabid_who_verified_as_kasi_may_not_decide_the_kabid_step(
    time_machine, complaint_of_sari, budi, wati_plh_kabid
):
    at(time_machine, "2026-03-10 09:00 +0700")
    assert decide(complaint_of_sari, budi).ok
    assert decide(complaint_of_sari, wati_plh_kabid).ok  # as Kasi, her own post
    step = open_step(complaint_of_sari)
    assert step.role == "kabid" and "kabid" in official_roles(user=wati_plh_kabid)

    outcome = decide(complaint_of_sari, wati_plh_kabid)

    assert not outcome.ok and outcome.code == "separation_of_duties"
    assert decisions_for(step=step, actor=wati_plh_kabid) == ()
    inbox = inbox_for(user=wati_plh_kabid)
    assert inbox.rows == [] and inbox.decided_elsewhere == 1
    assert open_step(complaint_of_sari).pk == step.pk


def test_a_plh_kabid_who_returned_a_complaint_may_not_then_verify_it_as_kasi(
    time_machine, sop_version, category, budi, sinta, wati_plh_kabid
):
    at(time_machine, "2026-03-10 09:00 +0700")
    complaint = waiting_for_kabid(category, budi, sinta)
    assert decide(complaint, wati_plh_kabid, "return", "Dasar hukum belum dikutip.").ok
    assert open_step(complaint).role == "kasi"

    outcome = decide(complaint, wati_plh_kabid)

    assert not outcome.ok and outcome.code == "separation_of_duties"
    assert decide(complaint, sinta).ok  # the Kasi who verified it takes it again


# The grant itself: its period is checked beside each field and by the database


def test_an_acting_grant_needs_both_dates_each_said_beside_its_field(wati):
    grant = RoleGrant(user=wati, role="kabid", kind="plh")
    with pytest.raises(ValidationError) as refused:
        grant.full_clean()
    assert refused.value.message_dict == {
        "starts_on": ["Isi tanggal mulai penunjukan Plt./Plh."],
        "ends_on": ["Isi tanggal akhir penunjukan Plt./Plh."],
    }


def test_an_end_before_the_start_is_refused_beside_the_end_date(wati):
    grant = RoleGrant(user=wati, role="kabid", kind="plt", starts_on=LEAVE[1], ends_on=LEAVE[0])
    with pytest.raises(ValidationError) as refused:
        grant.full_clean()
    assert refused.value.message_dict == {
        "ends_on": ["Tanggal akhir tidak boleh sebelum tanggal mulai."]
    }


@pytest.mark.parametrize(
    "fields",
    [
        {"kind": "plh"},
        {"kind": "plt", "starts_on": LEAVE[0]},
        {"kind": "plh", "starts_on": LEAVE[1], "ends_on": LEAVE[0]},
        {"kind": "definitive", "starts_on": LEAVE[1], "ends_on": LEAVE[0]},
        {"kind": "kepala"},
    ],
)
def test_the_database_refuses_a_grant_with_a_bad_period_or_kind(wati, fields):
    with pytest.raises(IntegrityError), transaction.atomic():
        RoleGrant.objects.create(user=wati, role="kabid", **fields)


def test_a_role_is_held_definitively_once_but_acting_appointments_may_recur(wati):
    appoint(wati, "kabid", "plh", *LEAVE)
    appoint(wati, "kabid", "plh", dt.date(2026, 7, 6), dt.date(2026, 7, 10))
    appoint(wati, "kasi", "plh", *LEAVE)  # alongside her own post: harmless, her post wins
    with pytest.raises(IntegrityError), transaction.atomic():
        RoleGrant.objects.create(user=wati, role="kasi")
