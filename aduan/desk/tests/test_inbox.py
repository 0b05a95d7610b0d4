"""The inbox: the open steps an official's roles decide, oldest first, timed in working
minutes against the SOP."""

import datetime as dt

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from aduan.complaints.models import ComplaintStep
from aduan.complaints.services import complaint_register
from aduan.desk.selectors import inbox_for
from aduan.desk.services import desk_decide, draft_save
from aduan.sop.engine import decisions_for

from .conftest import as_, open_step, page_text

INBOX = reverse("desk:inbox")


def file_complaint(category, subject="KTP-el belum jadi", **extra):
    fields = {"name": "Sari Wulandari", "phone": "+6281234567890", **extra}
    return complaint_register(category=category, subject=subject, description="Uraian.", **fields)


def to_kasi(complaint, budi):
    draft_save(complaint_id=complaint.pk, actor=budi, kind="answer", body="Konsep.")
    assert desk_decide(step_id=open_step(complaint).pk, actor=budi, decision="approve").ok


# Wednesday 18 February 2026, a working day (07:30–16:00, break 12:00–13:00).
WEDNESDAY_9 = "2026-02-18 09:00 +0700"


def started(complaint, minutes_ago: int):
    ComplaintStep.objects.filter(complaint=complaint, decided_at__isnull=True).update(
        started_at=timezone.now() - dt.timedelta(minutes=minutes_ago)
    )


def later(time_machine, minutes: int):
    time_machine.shift(dt.timedelta(minutes=minutes))


def test_staff_see_the_drafting_steps_oldest_first(
    client, time_machine, sop_version, category, budi
):
    time_machine.move_to(WEDNESDAY_9, tick=False)
    file_complaint(category, "Yang lama")
    later(time_machine, 30)
    file_complaint(category, "Yang baru")
    later(time_machine, 5)
    text = page_text(as_(client, budi).get(INBOX))
    assert text.index("Yang lama") < text.index("Yang baru")
    assert "35 mnt kerja / baku 60 mnt" in text
    assert "sisa 25 mnt kerja" in text and "tenggat Rab 18 Feb 2026 10:00" in text
    assert "5 mnt kerja / baku 60 mnt" in text
    assert "Memverifikasi permasalahan dan membuat konsep jawaban pengaduan online" in text
    assert "Staf" in text


def test_the_clock_counts_working_minutes_only(client, time_machine, sop_version, category, budi):
    """Filed at 11:50: ten minutes before the break, then the hour off does not count."""
    time_machine.move_to("2026-02-18 11:50 +0700", tick=False)
    file_complaint(category, "Sebelum istirahat")
    later(time_machine, 90)  # 13:20
    text = page_text(as_(client, budi).get(INBOX))
    assert "30 mnt kerja / baku 60 mnt" in text
    assert "sisa 30 mnt kerja" in text and "tenggat Rab 18 Feb 2026 13:50" in text


def test_an_overdue_step_is_marked(client, time_machine, sop_version, category, budi, wati):
    time_machine.move_to(WEDNESDAY_9, tick=False)
    complaint = file_complaint(category)
    to_kasi(complaint, budi)
    later(time_machine, 35)
    response = as_(client, wati).get(INBOX)
    text = page_text(response)
    assert "35 mnt kerja / baku 20 mnt" in text
    assert "Lewat waktu baku" in text and "lewat 15 mnt kerja" in text
    assert "tenggat Rab 18 Feb 2026 09:20" in text
    assert '<tr class="overdue"' in response.content.decode()


def test_a_step_within_its_time_is_not_marked(client, time_machine, sop_version, category, budi):
    time_machine.move_to(WEDNESDAY_9, tick=False)
    file_complaint(category)
    later(time_machine, 10)
    text = page_text(as_(client, budi).get(INBOX))
    assert "10 mnt kerja / baku 60 mnt" in text and "sisa 50 mnt kerja" in text
    assert "Lewat waktu baku" not in text
    assert "Tidak ada langkah yang terlambat." in text


def test_the_kasi_sees_only_kasi_steps_with_counts(client, sop_version, category, budi, wati):
    waiting_for_kasi = [file_complaint(category, f"Kasi {i}") for i in range(3)]
    file_complaint(category, "Masih di Staf")
    for complaint in waiting_for_kasi:
        to_kasi(complaint, budi)
    text = page_text(as_(client, wati).get(INBOX))
    assert "Semua: 3 langkah" in text
    assert "Memverifikasi konsep jawaban pengaduan (Kepala Seksi): 3" in text
    assert "Masih di Staf" not in text
    assert all(f"Kasi {i}" in text for i in range(3))


def test_counts_filter_the_list_by_step(client, sop_version, category, budi, wati, rudi):
    """Rudi holds kasi and kabid: Wati verified one complaint, so its Kabid step is his."""
    at_kasi = file_complaint(category, "Di Kasi")
    at_kabid = file_complaint(category, "Di Kabid")
    to_kasi(at_kasi, budi)
    to_kasi(at_kabid, budi)
    assert desk_decide(step_id=open_step(at_kabid).pk, actor=wati, decision="approve").ok
    page = as_(client, rudi).get(INBOX)
    text = page_text(page)
    assert "Di Kasi" in text and "Di Kabid" in text
    assert '<a href="?langkah=verify_kabid">' in page.content.decode()
    text = page_text(client.get(INBOX + "?langkah=verify_kabid"))
    assert "Di Kabid" in text and "Di Kasi" not in text
    assert "Semua: 2 langkah" in text  # the counts still count everything


def test_a_confidential_complainant_shows_as_rahasia(client, sop_version, category, budi):
    file_complaint(category, "Rahasia ini", is_confidential=True)
    text = page_text(as_(client, budi).get(INBOX))
    assert "Rahasia ini" in text and "Rahasia" in text
    assert "Sari Wulandari" not in text


def test_an_anonymous_complainant_shows_as_anonim(client, sop_version, category, budi):
    file_complaint(category, "Tanpa nama", name="", is_anonymous=True)
    assert "Anonim" in page_text(as_(client, budi).get(INBOX))


def test_a_subject_with_html_is_shown_as_text(client, sop_version, category, budi):
    file_complaint(category, "<script>alert('x')</script> KTP")
    response = as_(client, budi).get(INBOX)
    assert "<script>alert" not in response.content.decode()
    assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt; KTP" in response.content.decode()


def test_steps_decided_at_another_level_are_left_out_and_counted(
    client, sop_version, category, budi, rudi
):
    """Rudi (kasi and acting kabid) verified as Kasi; the Kabid step is not his to decide."""
    mine = file_complaint(category, "Diverifikasi Rudi sebagai Kasi")
    theirs = file_complaint(category, "Menunggu Kasi")
    to_kasi(mine, budi)
    to_kasi(theirs, budi)
    assert desk_decide(step_id=open_step(mine).pk, actor=rudi, decision="approve").ok
    text = page_text(as_(client, rudi).get(INBOX))
    assert "Diverifikasi Rudi sebagai Kasi" not in text
    assert "Menunggu Kasi" in text
    assert "1 langkah lain untuk peran Anda tidak ditampilkan" in text


def test_the_inbox_agrees_with_the_engine_on_who_may_decide(sop_version, category, budi, rudi):
    complaints = [file_complaint(category, f"No {i}") for i in range(4)]
    for complaint in complaints:
        to_kasi(complaint, budi)
    for complaint in complaints[:2]:
        assert desk_decide(step_id=open_step(complaint).pk, actor=rudi, decision="approve").ok
    inbox = inbox_for(user=rudi)
    shown = {row.step.pk for row in inbox.rows}
    for step in ComplaintStep.objects.filter(decided_at__isnull=True, role__in=["kasi", "kabid"]):
        assert bool(decisions_for(step=step, actor=rudi)) == (step.pk in shown)
    assert inbox.decided_elsewhere == 2


def test_an_official_without_sop_roles_sees_an_empty_inbox_and_why(client, sop_version, dewi):
    text = page_text(as_(client, dewi).get(INBOX))
    assert "Anda tidak memegang peran pada SOP" in text


def test_nothing_waiting_is_said_plainly(client, sop_version, hadi):
    assert "Tidak ada langkah yang menunggu Anda." in page_text(as_(client, hadi).get(INBOX))


@pytest.mark.parametrize("count", [3, 33])
def test_the_inbox_reads_in_a_fixed_number_of_queries(
    client, sop_version, category, budi, wati, django_assert_max_num_queries, count
):
    for i in range(count):
        complaint = file_complaint(category, f"Pengaduan {i}", is_confidential=i % 3 == 0)
        to_kasi(complaint, budi)
    as_(client, wati)
    # session, user, roles, steps, SOP, decided, the working calendar (2), the notices
    # bell, the filings held
    with django_assert_max_num_queries(10):
        response = client.get(INBOX)
    assert f"Semua: {count} langkah" in page_text(response)


@pytest.mark.parametrize(
    ("minutes", "label"),
    [(0, "0 mnt"), (35, "35 mnt"), (119, "119 mnt"), (125, "2 jam 5 mnt"), (4380, "3 hari 1 jam")],
)
def test_durations_read_as_minutes_hours_and_days(minutes, label):
    from aduan.desk.templatetags.desk import duration

    assert duration(minutes) == label


def test_counts_follow_the_order_of_the_sop(client, sop_version, category, budi):
    from conftest import make_official

    lina = make_official("lina", "Lina", "staff", "kasi")  # Staff, also acting Kasi
    at_kasi = file_complaint(category, "Sudah di Kasi")
    to_kasi(at_kasi, budi)
    started(at_kasi, 30)  # the order of the rows is by start; the clock does not matter here
    file_complaint(category, "Baru masuk")
    text = page_text(as_(client, lina).get(INBOX))
    assert text.index("pengaduan online (Staf): 1") < text.index("(Kepala Seksi): 1")
    assert text.index("Sudah di Kasi") < text.index("Baru masuk")  # rows: oldest first


def test_a_long_inbox_is_shown_a_page_at_a_time_oldest_first(
    client, monkeypatch, time_machine, sop_version, category, budi
):
    monkeypatch.setattr("aduan.desk.inbox.PAGE_SIZE", 2)
    time_machine.move_to(WEDNESDAY_9, tick=False)
    for n in range(5):
        file_complaint(category, f"Pengaduan nomor {n}")
        later(time_machine, 1)
    first = page_text(as_(client, budi).get(INBOX))
    assert "Semua: 5 langkah" in first  # the counts count everything
    assert "Pengaduan nomor 0" in first and "Pengaduan nomor 1" in first
    assert "Pengaduan nomor 2" not in first
    assert "Halaman 1 dari 3" in first
    last = page_text(client.get(INBOX, {"page": "3"}))
    assert "Pengaduan nomor 4" in last and "Pengaduan nomor 3" not in last
    beyond = page_text(client.get(INBOX, {"page": "99"}))  # past the end: the last page
    assert "Pengaduan nomor 4" in beyond
    garbled = page_text(client.get(INBOX, {"page": "x"}))  # not a number: the first page
    assert "Pengaduan nomor 0" in garbled


def test_filings_the_worker_has_not_registered_in_minutes_are_told_to_officials(
    client, sop_version, wati
):
    """The intake worker registers a filing within seconds; one waiting five minutes
    (the worker stopped?) or one that failed is said on every official's inbox, with
    what to do, so that no filing waits unseen while its SOP time runs."""
    from aduan.complaints.models import Intake

    def filed(code, minutes_ago, **extra):
        Intake.objects.create(
            tracking_code=code,
            tracking_digest="-",
            channel="web",
            received_at=timezone.now() - dt.timedelta(minutes=minutes_ago),
            payload="{}",
            **extra,
        )

    with time_machine.travel(WEDNESDAY_9, tick=False):
        as_(client, wati)
        filed("ADU-AAAA-0001", 1)
        assert "belum tercatat" not in page_text(client.get(INBOX))  # the worker's, still
        filed("ADU-AAAA-0002", 12)
        filed("ADU-AAAA-0003", 7)
        filed("ADU-AAAA-0004", 2, failed_at=timezone.now(), error="ValueError: rusak")
        text = page_text(client.get(INBOX))
    assert (
        "2 pengaduan dari situs web, Open311 atau API belum tercatat di buku agenda; "
        "yang tertua diterima 18 Feb 2026 08:48."
    ) in text
    assert "manage.py intake_register --loop" in text
    assert "1 pengaduan gagal dicatat di buku agenda dan disimpan." in text
    assert "--retry-failed" in text
