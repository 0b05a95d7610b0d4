"""The dashboard's numbers against a small office month counted by hand.

Monday 2 March 2026 (Asia/Jakarta): Sari's KTP-el complaint by the web form goes the whole
way: Budi drafts (09:00–09:30), Wati returns it (–10:00), Budi drafts again (–11:00), Wati,
Agus and Hadi approve (11:10, 11:20, 11:30) and Budi sends the answer at 11:40: 160 working
minutes from receipt. Sari rates it 4 the next day. Tuesday 10 March: a birth-certificate
complaint by WhatsApp, drafted by Budi at 12:00 (three working hours: late), then waits at
Wati's step. Monday 6 April 09:00: a KTP-el complaint by phone, waiting at the draft.
The dashboard is read on 6 April at 10:00.
"""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from aduan.complaints.feedback import rating_save
from aduan.complaints.models import Category, Complaint, ComplaintStep
from aduan.complaints.services import complaint_register
from aduan.dashboard.models import (
    DayCount,
    OwnAnswer,
    OwnDayCount,
    OwnStepDayCount,
    StepDayCount,
)
from aduan.dashboard.selectors import dashboard_for, recap_for
from aduan.dashboard.tallies import tallies_rebuild
from aduan.sla.calendar import calendar_for_today
from aduan.sla.report import compliance_report
from aduan.sla.report_selectors import report_step_rows
from aduan.sop.engine import step_decide

JAKARTA = ZoneInfo("Asia/Jakarta")
NOW = dt.datetime(2026, 4, 6, 10, 0, tzinfo=JAKARTA)


def at(text: str) -> dt.datetime:
    return dt.datetime.fromisoformat(text).replace(tzinfo=JAKARTA)


def file(time_machine, when: str, category, channel="web", subject="Pengaduan") -> Complaint:
    time_machine.move_to(at(when), tick=False)
    return complaint_register(
        category=category, subject=subject, description="Uraian.", channel=channel, name="Sari"
    )


def decide(time_machine, when, complaint, actor, decision="approve", note=""):
    time_machine.move_to(at(when), tick=False)
    step = ComplaintStep.objects.get(complaint=complaint, decided_at__isnull=True)
    outcome = step_decide(step_id=step.pk, actor=actor, decision=decision, note=note or "Perbaiki.")
    assert outcome.ok, outcome.message


@pytest.fixture
def akta(db):
    return Category.objects.get_or_create(code="akta", defaults={"name": "Akta kelahiran"})[0]


@pytest.fixture
def office(time_machine, sop_version, category, akta, budi, wati, agus, hadi):
    """The month above, as the officials lived it."""
    sari = file(time_machine, "2026-03-02 09:00", category, "web", "KTP-el belum jadi")
    decide(time_machine, "2026-03-02 09:30", sari, budi)
    decide(time_machine, "2026-03-02 10:00", sari, wati, "return")
    decide(time_machine, "2026-03-02 11:00", sari, budi)
    decide(time_machine, "2026-03-02 11:10", sari, wati)
    decide(time_machine, "2026-03-02 11:20", sari, agus)
    decide(time_machine, "2026-03-02 11:30", sari, hadi)
    decide(time_machine, "2026-03-02 11:40", sari, budi)
    time_machine.move_to(at("2026-03-03 08:00"), tick=False)
    sari.refresh_from_db()
    assert rating_save(complaint=sari, score=4).ok
    birth = file(time_machine, "2026-03-10 09:00", akta, "whatsapp", "Akta anak")
    decide(time_machine, "2026-03-10 12:00", birth, budi)
    file(time_machine, "2026-04-06 09:00", category, "phone", "KTP-el hilang")
    time_machine.move_to(NOW, tick=False)
    return sari, birth


def chart(board, chart_id):
    return next(c for c in board.charts if c.id == chart_id)


def values(board, chart_id) -> dict[str, tuple]:
    return {s.key: s.values for s in chart(board, chart_id).series}


def kadis_board(hadi, **kwargs):
    return dashboard_for(
        user=hadi, first=dt.date(2026, 3, 1), last=dt.date(2026, 4, 30), now=NOW, **kwargs
    )


def test_hadi_sees_complaints_received_per_month_by_channel(office, hadi):
    board = kadis_board(hadi)
    assert chart(board, "received_monthly").x_labels == ("Mar 2026", "Apr 2026")
    assert values(board, "received_monthly") == {
        "web": (1, 0),
        "whatsapp": (1, 0),
        "phone": (0, 1),
    }


def test_hadi_sees_complaints_received_per_week_stacked_by_category(office, hadi):
    weekly = chart(kadis_board(hadi), "received_weekly")
    assert weekly.x_labels[:3] == ("1 Mar", "2 Mar", "9 Mar")  # Sunday 1 March is a week
    by_category = {s.key: s.values for s in weekly.series}
    assert by_category["ktp-el"][1] == 1 and by_category["akta"][2] == 1
    assert by_category["ktp-el"][weekly.x_labels.index("6 Apr")] == 1
    assert sum(map(sum, by_category.values())) == 3


def test_the_backlog_and_the_overdue_count_the_open_steps_now(office, hadi):
    board = kadis_board(hadi)
    labels = chart(board, "backlog_now").x_labels
    backlog = values(board, "backlog_now")
    draft, kasi = labels.index(labels[0]), 1
    assert backlog["staff"][draft] == 1  # the April complaint, at the draft
    assert backlog["kasi"][kasi] == 1  # the birth certificate, at Wati's step
    assert sum(map(sum, backlog.values())) == 2
    # Wati's step started 10 March at 12:00 with 20 minutes: long overdue. The draft of
    # 6 April started at 09:00 with 60 minutes: due at 10:00, which is now.
    assert values(board, "overdue_now")["overdue"][:2] == (1, 1)


def test_returns_count_for_the_step_that_returned(office, hadi):
    board = kadis_board(hadi)
    assert values(board, "returns")["returns"] == (0, 1, 0, 0, 0)


def test_within_standard_matches_the_mutu_baku_report(office, hadi):
    board = kadis_board(hadi)
    within = values(board, "within_standard")
    calendar = calendar_for_today()
    report = compliance_report(
        rows=report_step_rows(
            sop_code="SOP/PIPD/PIAK/11", start=at("2026-03-01 00:00"), end=at("2026-04-01 00:00")
        ),
        definition=office[0].sop_version.definition,
        calendar=calendar,
        start=at("2026-03-01 00:00"),
        end=at("2026-04-01 00:00"),
    )
    for line in report.steps:
        assert within[line.step_id][0] == (round(line.share, 1) if line.count else None)
    # By hand: the drafts took 30, 60 and 180 minutes: two of three within the 60.
    assert within["draft"] == (66.7, None)
    assert within["verify_kasi"] == (50.0, None)  # returned after 30 of 20 minutes; then 10
    assert chart(board, "within_standard").target == 100


def test_the_median_end_to_end_is_the_working_minutes_to_the_answer(office, hadi):
    board = kadis_board(hadi)
    end_to_end = values(board, "end_to_end")
    assert end_to_end["median"] == (160, None)
    assert end_to_end["answered"] == (1, 0)
    assert chart(board, "end_to_end").target == 140


def test_the_medians_of_every_month_come_in_one_statement(
    office, time_machine, budi, wati, agus, hadi
):
    """A month more with answers adds no query: the medians of all the period's months are
    asked together."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    kadis_board(hadi)  # what is cached (the SOP version) is read once
    with CaptureQueriesContext(connection) as one_month:
        kadis_board(hadi)
    april = Complaint.objects.get(subject="KTP-el hilang")
    decide(time_machine, "2026-04-06 09:30", april, budi)
    decide(time_machine, "2026-04-06 09:40", april, wati)
    decide(time_machine, "2026-04-06 09:50", april, agus)
    decide(time_machine, "2026-04-06 10:00", april, hadi)
    decide(time_machine, "2026-04-06 10:20", april, budi)
    time_machine.move_to(NOW + dt.timedelta(hours=1), tick=False)
    with CaptureQueriesContext(connection) as two_months:
        board = kadis_board(hadi)
    assert values(board, "end_to_end") == {"median": (160, 80), "answered": (1, 1)}
    assert len(two_months) == len(one_month)


def test_satisfaction_shows_the_average_score_and_how_many_rated(office, hadi):
    assert values(kadis_board(hadi), "satisfaction") == {
        "average": (4.0, None),
        "ratings": (1, 0),
    }


def test_top_categories_compare_the_period_with_the_one_before(office, hadi):
    top = chart(kadis_board(hadi), "top_categories")
    assert top.x_labels == ("KTP-el", "Akta kelahiran")
    assert {s.key: s.values for s in top.series} == {"period": (2, 1), "previous": (0, 0)}


def test_the_category_filter_applies_to_every_chart(office, hadi):
    board = kadis_board(hadi, category="akta")
    assert board.category == "akta"
    assert values(board, "received_monthly") == {"whatsapp": (1, 0)}
    assert sum(map(sum, values(board, "backlog_now").values())) == 1
    assert values(board, "returns")["returns"] == (0, 0, 0, 0, 0)
    assert values(board, "end_to_end")["median"] == (None, None)
    assert values(board, "satisfaction")["ratings"] == (0, 0)
    assert chart(board, "top_categories").x_labels == ("Akta kelahiran",)


def test_an_unknown_category_shows_empty_charts_not_an_error(office, hadi):
    board = kadis_board(hadi, category="tidak-ada")
    assert all(c.is_empty for c in board.charts if c.id not in ("end_to_end",))


def test_the_stored_minutes_are_those_the_report_computes(office):
    calendar = calendar_for_today()
    steps = ComplaintStep.objects.filter(decided_at__isnull=False)
    assert steps.count() == 8
    for step in steps:
        assert step.working_minutes == calendar.working_minutes_between(
            step.started_at, step.decided_at
        )
    sari = Complaint.objects.get(pk=office[0].pk)
    assert sari.answer_minutes == calendar.working_minutes_between(sari.received_at, sari.closed_at)
    assert sari.answered_month == dt.date(2026, 3, 1)


def test_the_running_counts_equal_a_recount(office):
    def counts():
        return (
            sorted(
                DayCount.objects.values_list(
                    "day",
                    "category",
                    "channel",
                    "received",
                    "answered",
                    "withdrawn",
                    "rated",
                    "score_sum",
                )
            ),
            sorted(
                StepDayCount.objects.values_list(
                    "day", "step", "category", "decided", "within", "returns"
                )
            ),
            sorted(
                OwnDayCount.objects.values_list(
                    "official",
                    "day",
                    "category",
                    "channel",
                    "taken_up",
                    "answered",
                    "rated",
                    "score_sum",
                )
            ),
            sorted(
                OwnStepDayCount.objects.values_list(
                    "official", "day", "step", "category", "decided", "within", "returns"
                )
            ),
            sorted(
                OwnAnswer.objects.values_list(
                    "official", "complaint", "answered_at", "answered_month", "answer_minutes"
                )
            ),
        )

    live = counts()
    assert len(live[4]) == 4  # Sari's answer, once for each of Budi, Wati, Agus and Hadi
    tallies_rebuild()
    assert counts() == live


def test_the_march_recap_has_the_totals_and_the_oldest_open_complaint(office):
    recap = recap_for(month=dt.date(2026, 3, 15), now=NOW)
    totals = dict(recap.totals)
    assert recap.month == dt.date(2026, 3, 1)
    assert totals["Pengaduan diterima"] == 2
    assert totals["Pengaduan dijawab"] == 1
    assert totals["Masih terbuka pada akhir bulan"] == 1
    assert totals["Median waktu sampai dijawab (menit kerja)"] == 160
    assert totals["Nilai rata-rata (1–5)"] == 4.0
    assert [c.id for c in recap.charts] == [
        "by_category",
        "by_channel",
        "sla_steps",
        "satisfaction",
    ]
    assert [o.subject for o in recap.oldest_open] == ["Akta anak"]
    assert recap.oldest_open[0].role_name == "Kepala Seksi"


def test_a_withdrawn_complaint_counts_as_withdrawn_in_the_recap(office, time_machine):
    from aduan.sop.engine import complaint_withdraw

    time_machine.move_to(at("2026-03-31 15:00"), tick=False)
    assert complaint_withdraw(complaint_id=office[1].pk, note="Tidak dibalas.").ok
    totals = dict(recap_for(month=dt.date(2026, 3, 1), now=NOW).totals)
    assert totals["Pengaduan ditarik"] == 1
    assert totals["Masih terbuka pada akhir bulan"] == 0


def test_budi_s_own_work_counts_the_complaints_he_worked_on(office, budi):
    """Budi drafted and answered both March complaints; the April one waits for him."""
    board = dashboard_for(user=budi, first=dt.date(2026, 3, 1), last=dt.date(2026, 4, 30), now=NOW)
    assert board.scope == "own"
    assert values(board, "received_monthly") == {"web": (1, 0), "whatsapp": (1, 0)}
    weekly = chart(board, "received_weekly")
    assert {s.key: s.values[1:3] for s in weekly.series} == {"ktp-el": (1, 0), "akta": (0, 1)}
    assert values(board, "within_standard")["draft"] == (66.7, None)
    assert values(board, "returns")["returns"] == (0, 0, 0, 0, 0)  # Wati returned, not he
    assert values(board, "end_to_end") == {"median": (160, None), "answered": (1, 0)}
    assert values(board, "satisfaction") == {"average": (4.0, None), "ratings": (1, 0)}
    assert sum(map(sum, values(board, "backlog_now").values())) == 1  # his inbox: the draft
    top = chart(board, "top_categories")  # one each: the April one he has not touched yet
    assert sorted(top.x_labels) == ["Akta kelahiran", "KTP-el"]
    assert values(board, "top_categories")["period"] == (1, 1)


def test_wati_s_own_work_counts_what_she_decided_and_what_she_worked_on(office, wati):
    """Wati (Kasi of no section: her own work) returned Sari's first draft and approved the
    second; the birth certificate waits at her step, not yet hers."""
    board = dashboard_for(user=wati, first=dt.date(2026, 3, 1), last=dt.date(2026, 4, 30), now=NOW)
    assert board.scope == "own"
    assert values(board, "received_monthly") == {"web": (1, 0)}  # taken up 2 March
    assert values(board, "returns")["returns"][1] == 1  # she returned once, at her step
    assert values(board, "within_standard")["verify_kasi"] == (50.0, None)  # 30 and 10 min
    assert values(board, "end_to_end") == {"median": (160, None), "answered": (1, 0)}
    assert values(board, "satisfaction") == {"average": (4.0, None), "ratings": (1, 0)}
    assert chart(board, "top_categories").x_labels == ("KTP-el",)
    backlog = values(board, "backlog_now")
    assert backlog["kasi"][1] == 1 and sum(map(sum, backlog.values())) == 1  # the birth cert.


def test_an_official_s_own_counts_follow_the_category_filter(office, budi):
    board = dashboard_for(
        user=budi,
        first=dt.date(2026, 3, 1),
        last=dt.date(2026, 4, 30),
        now=NOW,
        category="akta",
    )
    assert values(board, "received_monthly") == {"whatsapp": (1, 0)}
    assert values(board, "end_to_end") == {"median": (None, None), "answered": (0, 0)}
    assert values(board, "within_standard")["draft"] == (0.0, None)  # drafted 3 hours late
