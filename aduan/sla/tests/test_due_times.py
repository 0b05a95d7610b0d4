"""Every step is due its standard working minutes after it starts; the reminder comes at 75%.
A return starts the clock afresh; waiting for the citizen's reply pauses it. A complaint's
legal deadlines are fixed when it is registered."""

import datetime as dt

import pytest

from aduan.audit.models import AuditEvent
from aduan.complaints.models import ComplaintStep
from aduan.sla.due import remind_minutes
from aduan.sop.services import sop_load

from .clock import WEDNESDAY_9, approve, ask, at, file_complaint, open_step, reply, send_back


def later(time_machine, **delta) -> None:
    time_machine.shift(dt.timedelta(**delta))


def test_a_complaint_filed_before_imlek_is_due_the_wednesday_after(time_machine, sop_version):
    """Friday 13 February 2026, 16:20: ten working minutes that Friday; Monday 16 (cuti
    bersama) and Tuesday 17 (Tahun Baru Imlek) are closed."""
    time_machine.move_to("2026-02-13 16:20 +0700", tick=False)
    draft = open_step(file_complaint())
    assert draft.due_at == at("2026-02-18 08:20")
    assert draft.remind_at == at("2026-02-18 08:05")  # 45 of the 60 minutes
    assert (draft.reminded_at, draft.overdue_at, draft.paused_minutes) == (None, None, 0)


@pytest.mark.parametrize(("minutes", "reminder"), [(60, 45), (20, 15), (1, 1), (7, 6), (4, 3)])
def test_the_reminder_comes_at_three_quarters_rounded_up(minutes, reminder):
    assert remind_minutes(minutes) == reminder


def test_each_step_is_due_its_standard_time_after_it_starts(
    time_machine, sop_version, budi, wati, agus, hadi
):
    time_machine.move_to(WEDNESDAY_9, tick=False)
    complaint = file_complaint()
    later(time_machine, minutes=40)
    kasi = approve(complaint, budi)  # 09:40
    assert (kasi.due_at, kasi.remind_at) == (at("2026-02-18 10:00"), at("2026-02-18 09:55"))
    time_machine.move_to("2026-02-18 11:50 +0700", tick=False)
    kabid = approve(complaint, wati)  # ten minutes before the break, ten after it
    assert (kabid.due_at, kabid.remind_at) == (at("2026-02-18 13:10"), at("2026-02-18 13:05"))
    time_machine.move_to("2026-02-18 15:50 +0700", tick=False)
    kadis = approve(complaint, agus)  # ten minutes before closing, ten the next morning
    assert kadis.due_at == at("2026-02-19 07:40")


def test_a_return_starts_the_clock_of_the_step_afresh(time_machine, sop_version, budi, wati):
    time_machine.move_to(WEDNESDAY_9, tick=False)
    complaint = file_complaint()
    first = open_step(complaint)
    later(time_machine, minutes=30)
    approve(complaint, budi)
    later(time_machine, minutes=10)  # 09:40
    again = send_back(complaint, wati, "Sebutkan loket pengambilan.")
    assert again.pk != first.pk and again.step == first.step == "draft"
    assert again.started_at == at("2026-02-18 09:40")
    assert again.due_at == at("2026-02-18 10:40")  # a full 60 minutes again
    first.refresh_from_db()
    assert first.due_at == at("2026-02-18 10:00")  # the first round keeps its own record


def test_waiting_for_the_reply_pauses_the_clock_of_the_step(time_machine, sop_version, budi):
    """Asked at 09:10 Wednesday with 50 minutes left; answered at 09:00 Thursday: the 440
    working minutes in between do not count, so the 50 minutes run from then."""
    time_machine.move_to(WEDNESDAY_9, tick=False)
    complaint = file_complaint()
    later(time_machine, minutes=10)
    ask(complaint, budi)
    time_machine.move_to("2026-02-19 09:00 +0700", tick=False)
    reply(complaint)
    draft = open_step(complaint)
    assert draft.paused_minutes == 440
    assert draft.due_at == at("2026-02-19 09:50")
    assert draft.remind_at == at("2026-02-19 09:35")
    replied = AuditEvent.objects.get(action="info.replied")
    assert replied.data["paused_minutes"] == 440
    assert replied.data["paused_step"] == "draft"


def test_a_pause_outside_working_hours_moves_nothing(time_machine, sop_version, budi):
    time_machine.move_to("2026-02-18 15:50 +0700", tick=False)
    complaint = file_complaint()
    later(time_machine, minutes=10)  # 16:00, closing
    ask(complaint, budi)
    time_machine.move_to("2026-02-19 07:00 +0700", tick=False)  # before opening
    reply(complaint)
    draft = open_step(complaint)
    assert (draft.paused_minutes, draft.due_at) == (0, at("2026-02-19 08:20"))


def test_a_pause_that_began_before_the_step_counts_from_the_step_start(
    time_machine, sop_version, budi
):
    """Budi asks at 09:10 and sends the draft on at 09:30 without waiting; the citizen
    answers at 10:30. The Kasi's step was paused for its first hour: 09:30 to 10:30. The
    draft step, decided while waiting, keeps no credit."""
    time_machine.move_to(WEDNESDAY_9, tick=False)
    complaint = file_complaint()
    later(time_machine, minutes=10)
    ask(complaint, budi)
    later(time_machine, minutes=20)
    kasi = approve(complaint, budi)
    time_machine.move_to("2026-02-18 10:30 +0700", tick=False)
    reply(complaint)
    kasi.refresh_from_db()
    assert (kasi.paused_minutes, kasi.due_at) == (60, at("2026-02-18 10:50"))
    draft = ComplaintStep.objects.get(complaint=complaint, seq=1)
    assert draft.paused_minutes == 0


def test_a_second_question_ends_the_first_pause_and_starts_a_new_wait(
    time_machine, sop_version, budi
):
    time_machine.move_to(WEDNESDAY_9, tick=False)
    complaint = file_complaint()
    ask(complaint, budi, "Nomor antrean?")
    later(time_machine, minutes=30)
    ask(complaint, budi, "Dan tanggal perekaman?")
    complaint.refresh_from_db()
    assert complaint.awaiting_reply_since == at("2026-02-18 09:30")  # the new wait
    later(time_machine, minutes=30)
    reply(complaint)
    draft = open_step(complaint)
    assert (draft.paused_minutes, draft.due_at) == (60, at("2026-02-18 11:00"))


def test_the_legal_deadlines_are_fixed_at_registration(time_machine, sop_version):
    """Verified within 3 working days and followed up within 5, counted from the day after
    receipt; resolved within 60 calendar days."""
    time_machine.move_to("2026-02-13 16:20 +0700", tick=False)
    complaint = file_complaint()
    assert complaint.verify_due_at == at("2026-02-20 16:30")  # Wed 18, Thu 19, Fri 20
    assert complaint.follow_up_due_at == at("2026-02-24 16:00")  # then Mon 23, Tue 24
    assert complaint.resolve_due_at == at("2026-04-14 23:59")


def test_an_sop_may_set_its_own_legal_deadlines(time_machine, sop_version, tmp_path):
    from django.conf import settings

    text = settings.DEFAULT_SOP_FILE.read_text(encoding="utf-8")
    text = text.replace("resolve = { days = 60 }", "resolve = { working_days = 14 }")
    path = tmp_path / "sop_kantor.toml"
    path.write_text(text, encoding="utf-8")
    version, created = sop_load(path=path)
    assert created
    time_machine.move_to("2026-02-13 16:20 +0700", tick=False)
    complaint = file_complaint()
    assert complaint.sop_version == version
    # Wed 18 ... Fri 27 (8), Mon 2 ... Fri 6 March (13), Mon 9 March: the 14th working day
    assert complaint.resolve_due_at == at("2026-03-09 16:00")
