"""The SLA clock on the desk: time left in working minutes and the due time on every inbox
row, the overdue rows marked, counted per step and filtered with ?terlambat=1; on the
complaint page each step's due time and working minutes against the standard, and the
legal deadlines."""

import datetime as dt

from django.urls import reverse

from aduan.desk.services import desk_decide, draft_save
from aduan.sla.sweep import sla_sweep
from aduan.sla.tests.clock import WEDNESDAY_9, approve, ask, at, file_complaint, reply

from .conftest import as_, complaint_url, open_step, page_text

INBOX = reverse("desk:inbox")


def later(time_machine, minutes: int) -> None:
    time_machine.shift(dt.timedelta(minutes=minutes))


def kasi_inbox_at_1000(time_machine, budi, wati):
    """At 10:00 Wednesday the Kasi has one step overdue (since 09:20) and one within time
    (started 09:50); Staff hold one draft, overdue since 10:00."""
    time_machine.move_to(WEDNESDAY_9, tick=False)
    late = file_complaint("Sudah lewat")
    fresh = file_complaint("Masih ada waktu")
    file_complaint("Masih di Staf")
    approve(late, budi)
    later(time_machine, 50)
    approve(fresh, budi)
    later(time_machine, 10)
    return late, fresh


def test_each_row_shows_the_time_left_and_the_due_time(
    client, time_machine, sop_version, budi, wati
):
    kasi_inbox_at_1000(time_machine, budi, wati)
    response = as_(client, wati).get(INBOX)
    text = page_text(response)
    assert "sisa 10 mnt kerja" in text and "tenggat Rab 18 Feb 2026 10:10" in text
    assert "Lewat waktu baku lewat 40 mnt kerja" in text
    assert "tenggat Rab 18 Feb 2026 09:20" in text
    assert response.content.decode().count('<tr class="overdue"') == 1


def test_overdue_steps_are_counted_per_step_and_in_all(
    client, time_machine, sop_version, budi, wati
):
    from conftest import make_official

    lina = make_official("lina", "Lina", "staff", "kasi")  # Staff, also acting Kasi
    kasi_inbox_at_1000(time_machine, budi, wati)
    text = page_text(as_(client, lina).get(INBOX))
    assert "pengaduan online (Staf): 1 (1 terlambat)" in text
    assert "(Kepala Seksi): 2 (1 terlambat)" in text
    assert "Terlambat: 2 langkah" in text


def test_the_overdue_filter_shows_only_the_late_rows(client, time_machine, sop_version, budi, wati):
    kasi_inbox_at_1000(time_machine, budi, wati)
    page = as_(client, wati).get(INBOX)
    assert 'href="?terlambat=1"' in page.content.decode()
    text = page_text(client.get(INBOX, {"terlambat": "1"}))
    assert "Sudah lewat" in text and "Masih ada waktu" not in text
    assert "Semua: 2 langkah" in text  # the counts still count everything
    assert "Tampilkan juga yang belum terlambat" in text


def test_with_nothing_late_the_filter_says_so(client, time_machine, sop_version, budi):
    time_machine.move_to(WEDNESDAY_9, tick=False)
    file_complaint()
    text = page_text(as_(client, budi).get(INBOX, {"terlambat": "1"}))
    assert "Tidak ada langkah terlambat yang menunggu Anda." in text


def test_a_paused_row_says_so_and_keeps_its_time_left(client, time_machine, sop_version, budi):
    time_machine.move_to(WEDNESDAY_9, tick=False)
    complaint = file_complaint()
    later(time_machine, 10)
    ask(complaint, budi)
    time_machine.move_to("2026-02-19 15:00 +0700", tick=False)  # a day later, still waiting
    text = page_text(as_(client, budi).get(INBOX))
    assert "Jeda: menunggu jawaban pelapor" in text
    assert "sisa 50 mnt kerja" in text and "Lewat waktu baku" not in text


def test_the_legal_deadline_to_meet_shows_in_the_inbox(
    client, time_machine, sop_version, budi, wati
):
    time_machine.move_to("2026-02-13 16:20 +0700", tick=False)
    complaint = file_complaint()
    time_machine.move_to("2026-02-23 09:00 +0700", tick=False)
    text = page_text(as_(client, budi).get(INBOX))
    assert "Verifikasi dan penerimaan: 20 Feb 2026 16:30 Terlewati" in text
    approve(complaint, budi)
    text = page_text(as_(client, wati).get(INBOX))
    assert "Tindak lanjut: 24 Feb 2026 16:00" in text and "Terlewati" not in text


def test_the_complaint_page_shows_each_steps_time_and_the_legal_deadlines(
    client, time_machine, sop_version, budi, wati
):
    time_machine.move_to("2026-02-13 16:20 +0700", tick=False)
    complaint = file_complaint()
    time_machine.move_to("2026-02-18 08:30 +0700", tick=False)  # 70 working minutes later
    approve(complaint, budi)
    later(time_machine, 5)
    text = page_text(as_(client, wati).get(complaint_url(complaint)))
    # The draft: 70 of 60 minutes, decided after its due time.
    assert "Lewat waktu baku lewat 10 mnt kerja tenggat Rab 18 Feb 2026 08:20" in text
    assert "70 mnt kerja / baku 60 mnt" in text
    # The Kasi's open step: 5 of 20 minutes.
    assert "sisa 15 mnt kerja tenggat Rab 18 Feb 2026 08:50 5 mnt kerja / baku 20 mnt" in text
    assert "Verifikasi dan penerimaan 20 Februari 2026 16:30 (3 hari kerja)" in text
    assert "terpenuhi 18 Feb 2026 08:30" in text
    assert "Tindak lanjut 24 Februari 2026 16:00 (5 hari kerja)" in text
    assert "Penyelesaian 14 April 2026 23:59 (60 hari kalender)" in text


def test_a_withdrawn_complaint_reads_plainly_on_the_desk(client, time_machine, sop_version, budi):
    time_machine.move_to(WEDNESDAY_9, tick=False)
    complaint = file_complaint()
    ask(complaint, budi)
    sla_sweep(now=at("2026-03-20 09:00"))
    text = page_text(as_(client, budi).get(complaint_url(complaint)))
    assert "Ditarik: pelapor tidak menjawab" in text
    assert "Pelapor tidak menjawab permintaan keterangan dalam 30 hari." in text


def test_a_reply_moves_the_due_time_shown(client, time_machine, sop_version, budi):
    time_machine.move_to(WEDNESDAY_9, tick=False)
    complaint = file_complaint()
    later(time_machine, 10)
    ask(complaint, budi)
    time_machine.move_to("2026-02-19 09:00 +0700", tick=False)
    reply(complaint)
    text = page_text(as_(client, budi).get(INBOX))
    assert "sisa 50 mnt kerja" in text and "tenggat Kam 19 Feb 2026 09:50" in text
    assert "10 mnt kerja / baku 60 mnt" in text
    draft_save(complaint_id=complaint.pk, actor=budi, kind="answer", body="Konsep.")
    assert desk_decide(step_id=open_step(complaint).pk, actor=budi, decision="approve").ok
