"""The SLA sweep: reminders at 75% of a step's standard time to those who may act on it,
an overdue mark at 100% told one level up, and complaints whose citizen never answered
closed as withdrawn. It never moves a step otherwise."""

import datetime as dt

import pytest
from django.core.management import call_command

from aduan.accounts.models import RoleGrant
from aduan.audit.models import AuditEvent
from aduan.complaints.models import Complaint, ComplaintStep, Message
from aduan.notices.models import Notice
from aduan.sla.sweep import sla_sweep
from conftest import make_official

from .clock import (
    WEDNESDAY_9,
    approve,
    ask,
    at,
    dewi,
    eko,
    file_complaint,
    notices,
    open_step,
    reply,
)


def test_nothing_is_due_before_its_time(time_machine, sop_version, budi):
    time_machine.move_to(WEDNESDAY_9, tick=False)
    file_complaint()
    counts = sla_sweep(now=at("2026-02-18 09:44"))
    assert (counts.reminded, counts.overdue, counts.notices) == (0, 0, 0)


def test_staff_are_reminded_at_three_quarters_of_the_standard_time(
    time_machine, sop_version, budi, wati
):
    eko()
    time_machine.move_to(WEDNESDAY_9, tick=False)
    complaint = file_complaint()
    counts = sla_sweep(now=at("2026-02-18 09:45"))
    assert (counts.reminded, counts.overdue, counts.notices) == (1, 0, 2)
    assert notices() == [("budi", "remind", 1), ("eko", "remind", 1)]
    text = Notice.objects.filter(recipient=budi).get().text
    assert text == (
        f"Pengingat: pengaduan {complaint.agenda_number} “KTP-el belum jadi”, langkah "
        "“Memverifikasi permasalahan dan membuat konsep jawaban pengaduan online” (Staf), "
        "jatuh tempo 18 Feb 2026 10:00."
    )
    assert open_step(complaint).reminded_at == at("2026-02-18 09:45")
    assert sla_sweep(now=at("2026-02-18 09:50")).notices == 0  # once


def test_an_overdue_step_is_marked_and_told_to_the_kasi(
    time_machine, sop_version, budi, wati, agus
):
    time_machine.move_to(WEDNESDAY_9, tick=False)
    complaint = file_complaint()
    counts = sla_sweep(now=at("2026-02-18 10:00"))
    assert (counts.reminded, counts.overdue) == (1, 1)
    assert notices("overdue") == [("wati", "overdue", 1)]
    assert Notice.objects.get(kind="overdue").text.startswith("Lewat waktu baku: pengaduan ")
    step = open_step(complaint)
    assert step.overdue_at == at("2026-02-18 10:00")
    assert step.seq == 1 and step.decided_at is None  # the sweep never moves the step
    assert sla_sweep(now=at("2026-02-19 10:00")).notices == 0


def test_each_level_is_told_by_the_one_above(time_machine, sop_version, budi, wati, agus, hadi):
    """Staff → Kasi → Kabid → Kadis; an overdue Kadis step is told to the Kadis."""
    time_machine.move_to(WEDNESDAY_9, tick=False)
    at_kasi, at_kabid, at_kadis = file_complaint("Kasi"), file_complaint("Kabid"), file_complaint()
    for complaint in (at_kasi, at_kabid, at_kadis):
        approve(complaint, budi)
    for complaint in (at_kabid, at_kadis):
        approve(complaint, wati)
    approve(at_kadis, agus)
    sla_sweep(now=at("2026-02-18 09:15"))
    Notice.objects.all().delete()
    sla_sweep(now=at("2026-02-18 09:20"))
    told = {(n.complaint_id, n.recipient.username) for n in Notice.objects.filter(kind="overdue")}
    assert told == {(at_kasi.pk, "agus"), (at_kabid.pk, "hadi"), (at_kadis.pk, "hadi")}


def test_an_overdue_kadis_step_is_told_to_the_kadis_and_the_auditors(
    time_machine, sop_version, budi, wati, agus, hadi
):
    dewi()
    time_machine.move_to(WEDNESDAY_9, tick=False)
    complaint = file_complaint()
    for official in (budi, wati, agus):
        approve(complaint, official)
    sla_sweep(now=at("2026-02-18 09:20"))
    assert notices("overdue") == [("dewi", "overdue", 4), ("hadi", "overdue", 4)]


def test_with_no_kasi_the_overdue_draft_goes_to_the_kabid(time_machine, sop_version, budi, agus):
    time_machine.move_to(WEDNESDAY_9, tick=False)
    file_complaint()
    sla_sweep(now=at("2026-02-18 10:00"))
    assert notices("overdue") == [("agus", "overdue", 1)]


def test_acting_officials_are_reminded_within_their_appointment(
    time_machine, sop_version, budi, wati, agus
):
    """Agus is on leave; Sinta (kasi of another section) is Plh. Kabid from 16 to 20 February.
    Rina's appointment ended the week before: she is told nothing."""
    sinta = make_official("sinta", "Sinta", "kasi")
    rina = make_official("rina", "Rina")
    for official, starts, ends in ((sinta, 16, 20), (rina, 2, 6)):
        RoleGrant.objects.create(
            user=official,
            role="kabid",
            kind="plh",
            starts_on=dt.date(2026, 2, starts),
            ends_on=dt.date(2026, 2, ends),
        )
    time_machine.move_to(WEDNESDAY_9, tick=False)
    complaint = file_complaint()
    approve(complaint, budi)
    approve(complaint, wati)
    sla_sweep(now=at("2026-02-18 09:15"))
    assert notices("remind") == [("agus", "remind", 3), ("sinta", "remind", 3)]


def test_the_reminder_skips_who_decided_the_complaint_at_another_level(
    time_machine, sop_version, budi, agus
):
    """Rudi holds kasi and kabid grants; he verified this complaint as Kasi, so the Kabid
    step is not his to decide, and its reminder is not for him."""
    rudi = make_official("rudi", "Rudi", "kasi", "kabid")
    time_machine.move_to(WEDNESDAY_9, tick=False)
    complaint = file_complaint()
    approve(complaint, budi)
    approve(complaint, rudi)
    sla_sweep(now=at("2026-02-18 09:15"))
    assert notices("remind") == [("agus", "remind", 3)]


def test_a_paused_step_is_neither_reminded_nor_overdue(time_machine, sop_version, budi, wati):
    time_machine.move_to(WEDNESDAY_9, tick=False)
    complaint = file_complaint()
    ask(complaint, budi)
    assert sla_sweep(now=at("2026-02-19 10:00")).notices == 0
    time_machine.move_to("2026-02-19 10:00 +0700", tick=False)
    reply(complaint)  # the full hour is left: due at 11:00
    assert sla_sweep(now=at("2026-02-19 10:44")).notices == 0
    assert sla_sweep(now=at("2026-02-19 11:00")).overdue == 1


def test_a_complaint_unanswered_for_thirty_days_is_withdrawn(
    time_machine, client, sop_version, budi
):
    eko()
    time_machine.move_to(WEDNESDAY_9, tick=False)
    complaint = file_complaint()
    secret = complaint.tracking_secret
    ask(complaint, budi, "Mohon kirim foto tanda terima.")
    assert sla_sweep(now=at("2026-03-20 08:59")).withdrawn == 0  # 29 days 23:59 later
    time_machine.move_to("2026-03-20 09:00 +0700", tick=False)
    counts = sla_sweep()
    assert counts.withdrawn == 1
    complaint.refresh_from_db()
    assert complaint.status == Complaint.Status.WITHDRAWN
    assert (complaint.current_step, complaint.awaiting_reply_since) == ("", None)
    assert complaint.closed_at == at("2026-03-20 09:00")
    step = ComplaintStep.objects.get(complaint=complaint)
    assert (step.decision, step.decided_by) == ("withdrawn", None)
    assert step.decided_at == at("2026-03-20 09:00")
    event = AuditEvent.objects.get(action="complaint.withdrawn")
    assert event.complaint_id == complaint.pk and event.actor_id is None
    assert notices("withdrawn") == [("budi", "withdrawn", 1), ("eko", "withdrawn", 1)]
    message = Message.objects.filter(complaint=complaint).order_by("id").last()
    assert message.direction == Message.Direction.TO_CITIZEN
    assert "18 Februari 2026 dalam 30 hari" in message.body
    # Sari reads why on her tracking page.
    client.get(f"/lacak/{complaint.tracking_code}/{secret}/")
    page = client.get(f"/lacak/{complaint.tracking_code}/").content.decode()
    assert "Pengaduan ini sudah ditarik dan tidak diproses lagi." in page
    assert "sehingga pengaduan ini kami tutup sebagai ditarik" in page
    assert sla_sweep(now=at("2026-04-20 09:00")).withdrawn == 0  # once


def test_many_unanswered_complaints_are_withdrawn_in_batches(time_machine, sop_version, budi):
    time_machine.move_to(WEDNESDAY_9, tick=False)
    for i in range(3):
        ask(file_complaint(f"Nomor {i}"), budi)
    assert sla_sweep(now=at("2026-03-20 09:00"), batch=2).withdrawn == 3
    assert Complaint.objects.filter(status=Complaint.Status.WITHDRAWN).count() == 3


def test_a_reply_in_time_keeps_the_complaint_open(time_machine, sop_version, budi):
    time_machine.move_to(WEDNESDAY_9, tick=False)
    complaint = file_complaint()
    ask(complaint, budi)
    time_machine.move_to("2026-03-19 09:00 +0700", tick=False)
    reply(complaint)
    assert sla_sweep(now=at("2026-04-30 09:00")).withdrawn == 0
    complaint.refresh_from_db()
    assert complaint.status == Complaint.Status.OPEN


def test_the_reply_wait_is_a_setting(time_machine, settings, sop_version, budi):
    settings.REPLY_WAIT_DAYS = 7
    time_machine.move_to(WEDNESDAY_9, tick=False)
    complaint = file_complaint()
    ask(complaint, budi)
    assert sla_sweep(now=at("2026-02-25 08:59")).withdrawn == 0
    assert sla_sweep(now=at("2026-02-25 09:00")).withdrawn == 1
    assert "dalam 7 hari" in Message.objects.filter(complaint=complaint).last().body


def test_a_large_backlog_is_swept_in_batches(time_machine, sop_version, budi, wati):
    time_machine.move_to(WEDNESDAY_9, tick=False)
    for i in range(7):
        file_complaint(f"Nomor {i}")
    counts = sla_sweep(now=at("2026-02-18 10:00"), batch=3)
    assert (counts.reminded, counts.overdue, counts.notices) == (7, 7, 14)


def test_the_command_makes_one_pass_and_says_what_it_did(time_machine, sop_version, budi, capsys):
    time_machine.move_to(WEDNESDAY_9, tick=False)
    file_complaint()
    time_machine.move_to("2026-02-18 09:50 +0700", tick=False)
    call_command("sla_sweep")
    assert "1 reminded, 0 overdue, 0 withdrawn, 1 notices" in capsys.readouterr().out


@pytest.mark.parametrize("option", [["--interval", "0"], ["--batch", "0"]])
def test_the_command_refuses_a_nonsense_interval(db, option):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="above 0"):
        call_command("sla_sweep", *option)
