"""The compliance report's numbers, from hand-made step rows and a fixed calendar.

The calendar is the default office hours with no holidays (plain_office): Monday–Thursday
07:30–16:00 with a break 12:00–13:00, Friday 07:30–16:30 with a break 11:30–13:00. The
week of Monday 2 February 2026 is used; the period is February 2026. Officials by id:
staff Budi, kasi Wati, kabid Agus, kadis Hadi, and Rina, Plh. Kepala Dinas.
"""

import pytest
from django.conf import settings

from aduan.sla.report import Line, StepRow, compliance_report, nearest_rank, with_official_names
from aduan.sla.tests.conftest import at
from aduan.sop.definition import parse_definition

BUDI, WATI, AGUS, HADI, RINA = 1, 2, 3, 4, 5
FEBRUARY = (at("2026-02-01 00:00"), at("2026-03-01 00:00"))
NEXT_STEP = {
    "draft": "verify_kasi",
    "verify_kasi": "verify_kabid",
    "verify_kabid": "approve_kadis",
    "approve_kadis": "answer",
    "answer": "selesai",
}
BY = {"draft": BUDI, "verify_kasi": WATI, "verify_kabid": AGUS, "approve_kadis": HADI}


@pytest.fixture(scope="module")
def sop():
    text = settings.DEFAULT_SOP_FILE.read_text(encoding="utf-8")
    return parse_definition(text, source="sop_pipd_piak_11.toml")


def journey(complaint_id: int, received: str, *moves) -> list[StepRow]:
    """Rows of one complaint: each move is (step, decided at, decision[, to][, by, as]).

    Each step starts when the one before it was decided; the first when it was received.
    """
    rows, started = [], received
    for seq, move in enumerate(moves, start=1):
        step, decided, decision, *rest = move
        to = rest.pop(0) if decision == "return" else NEXT_STEP.get(step, "draft")
        by = rest.pop(0) if rest else BY.get(step, BUDI)
        acting = rest.pop(0) if rest else ""
        rows.append(
            StepRow(
                complaint_id=complaint_id,
                seq=seq,
                step=step,
                role=step_role(step),
                started_at=at(started),
                decided_at=at(decided),
                decision=decision,
                next_step=to,
                decided_by_id=by,
                decided_as=acting,
                received_at=at(received),
            )
        )
        started = decided
    return rows


def step_role(step: str) -> str:
    return {
        "draft": "staff",
        "verify_kasi": "kasi",
        "verify_kabid": "kabid",
        "approve_kadis": "kadis",
        "answer": "staff",
    }.get(step, "staff")


def straight_through(complaint_id: int, day: str, received: str, *decided: str):
    """A complaint that goes through the five steps without a return."""
    steps = ("draft", "verify_kasi", "verify_kabid", "approve_kadis", "answer")
    return journey(
        complaint_id,
        f"{day} {received}",
        *[(step, f"{day} {t}", "approve") for step, t in zip(steps, decided, strict=True)],
    )


# Sari's complaint, returned once by the Kasi and once by the Kabid, answered in 220 minutes.
RETURNED_TWICE = journey(
    1,
    "2026-02-02 08:00",
    ("draft", "2026-02-02 09:30", "approve"),  # 90
    ("verify_kasi", "2026-02-02 09:50", "return", "draft"),  # 20, returned
    ("draft", "2026-02-02 10:20", "approve"),  # 30, re-done
    ("verify_kasi", "2026-02-02 10:30", "approve"),  # 10
    ("verify_kabid", "2026-02-02 11:00", "return", "verify_kasi"),  # 30, returned
    ("verify_kasi", "2026-02-02 11:10", "approve"),  # 10, re-done
    ("verify_kabid", "2026-02-02 11:20", "approve"),  # 10
    ("approve_kadis", "2026-02-02 11:30", "approve"),  # 10
    ("answer", "2026-02-02 11:40", "approve"),  # 10
)
# Straight through on Tuesday, across the lunch break: 130 minutes end to end.
ACROSS_LUNCH = straight_through(
    2, "2026-02-03", "11:30", "13:30", "13:50", "14:20", "14:30", "14:40"
)


def report(rows, sop, calendar, period=FEBRUARY, **kwargs):
    start, end = period
    return compliance_report(
        rows=rows, definition=sop, calendar=calendar, start=start, end=end, **kwargs
    )


def by_step(result) -> dict[str, Line]:
    return {line.step_id: line for line in result.steps}


def test_nearest_rank_takes_the_measured_value_at_the_rounded_up_rank():
    assert nearest_rank([10, 20, 30, 40], 50) == 20  # rank ceil(2.0) = 2
    assert nearest_rank([10, 20, 30, 40], 90) == 40  # rank ceil(3.6) = 4
    assert nearest_rank([10, 20, 30], 50) == 20  # rank ceil(1.5) = 2
    assert nearest_rank(list(range(1, 11)), 90) == 9  # rank ceil(9.0) = 9
    assert nearest_rank(list(range(1, 11)), 50) == 5
    assert nearest_rank([7], 90) == 7
    assert nearest_rank([], 50) is None


def test_the_table_lists_the_steps_of_the_sop_with_their_standard(sop, plain_office):
    lines = report([], sop, plain_office).steps
    assert [(line.number, line.step_id, line.actor, line.standard) for line in lines] == [
        (1, "draft", "Staf", 60),
        (2, "verify_kasi", "Kepala Seksi", 20),
        (3, "verify_kabid", "Kepala Bidang", 20),
        (4, "approve_kadis", "Kepala Dinas", 20),
        (5, "answer", "Staf", 20),
    ]
    assert lines[0].activity.startswith("Memverifikasi permasalahan")


def test_an_empty_period_has_counts_of_zero_and_no_times(sop, plain_office):
    result = report([], sop, plain_office)
    draft = by_step(result)["draft"]
    assert (draft.count, draft.median, draft.p90, draft.share) == (0, None, None, None)
    assert (draft.returns, draft.lost) == (0, 0)
    assert (result.total.count, result.total.returns, result.total.lost) == (0, 0, 0)
    assert (result.end_to_end.count, result.end_to_end.median) == (0, None)
    assert result.end_to_end.standard == 140


def test_steps_are_measured_in_working_minutes_the_lunch_break_left_out(sop, plain_office):
    draft = by_step(report(ACROSS_LUNCH, sop, plain_office))["draft"]
    # 11:30–13:30 on a Tuesday is two hours on the clock, 60 working minutes: on time.
    assert (draft.count, draft.median, draft.within, draft.share) == (1, 60, 1, 100.0)


def test_median_p90_and_share_within_the_standard_per_step(sop, plain_office):
    lines = by_step(report(RETURNED_TWICE + ACROSS_LUNCH, sop, plain_office))
    draft = lines["draft"]  # 90, 30, 60
    assert (draft.count, draft.median, draft.p90, draft.within) == (3, 60, 90, 2)
    assert draft.share == pytest.approx(200 / 3)
    kasi = lines["verify_kasi"]  # 20, 10, 10, 20
    assert (kasi.count, kasi.median, kasi.p90, kasi.within, kasi.share) == (4, 10, 20, 4, 100.0)
    kabid = lines["verify_kabid"]  # 30, 10, 30
    assert (kabid.count, kabid.median, kabid.p90, kabid.within) == (3, 30, 30, 1)
    assert kabid.share == pytest.approx(100 / 3)
    kadis = lines["approve_kadis"]  # 10, 10
    assert (kadis.count, kadis.median, kadis.p90, kadis.share) == (2, 10, 10, 100.0)


def test_a_return_costs_the_returned_step_and_the_upstream_work_done_again(sop, plain_office):
    result = report(RETURNED_TWICE, sop, plain_office)
    lines = by_step(result)
    # The Kasi returned once: her 20 minutes, then Budi's new draft, 30.
    assert (lines["verify_kasi"].returns, lines["verify_kasi"].lost) == (1, 50)
    # The Kabid returned once: his 30 minutes, then the Kasi's second look, 10.
    assert (lines["verify_kabid"].returns, lines["verify_kabid"].lost) == (1, 40)
    assert (lines["draft"].returns, lines["draft"].lost) == (0, 0)
    assert (result.total.count, result.total.returns, result.total.lost) == (9, 2, 90)
    assert result.total.within == 7  # all but the 90-minute draft and the 30-minute Kabid


def test_nested_returns_count_each_step_once_for_the_latest_return(sop, plain_office):
    rows = journey(
        3,
        "2026-02-02 08:00",
        ("draft", "2026-02-02 08:30", "approve"),
        ("verify_kasi", "2026-02-02 08:40", "approve"),
        ("verify_kabid", "2026-02-02 09:00", "return", "verify_kasi"),  # 20, Kabid's return
        ("verify_kasi", "2026-02-02 09:15", "return", "draft"),  # 15, Kasi's own return
        ("draft", "2026-02-02 09:45", "approve"),  # 30, re-done for the Kasi's return
        ("verify_kasi", "2026-02-02 09:50", "approve"),  # 5, re-done for the Kabid's return
        ("verify_kabid", "2026-02-02 10:00", "approve"),  # back at the Kabid: rework over
        ("approve_kadis", "2026-02-02 10:10", "approve"),
    )
    result = report(rows, sop, plain_office)
    lines = by_step(result)
    assert (lines["verify_kabid"].returns, lines["verify_kabid"].lost) == (1, 20 + 5)
    assert (lines["verify_kasi"].returns, lines["verify_kasi"].lost) == (1, 15 + 30)
    assert result.total.lost == 70
    assert result.end_to_end.count == 0  # not answered yet


def test_rework_in_the_period_after_a_return_before_it_is_lost_time_of_the_period(
    sop, plain_office
):
    rows = journey(
        4,
        "2026-01-30 08:00",
        ("draft", "2026-01-30 09:00", "approve"),
        ("verify_kasi", "2026-01-30 09:20", "return", "draft"),  # January: not counted
        # Friday 09:20–16:30 without the break is 340 minutes, Monday 07:30–08:00 is 30.
        ("draft", "2026-02-02 08:00", "approve"),
        ("verify_kasi", "2026-02-02 08:20", "approve"),
    )
    lines = by_step(report(rows, sop, plain_office))
    assert (lines["draft"].count, lines["draft"].median, lines["draft"].within) == (1, 370, 0)
    assert (lines["verify_kasi"].count, lines["verify_kasi"].returns) == (1, 0)
    assert lines["verify_kasi"].lost == 370
    # ... while January's report has the return and its own 20 minutes.
    january = (at("2026-01-01 00:00"), at("2026-02-01 00:00"))
    kasi = by_step(report(rows, sop, plain_office, period=january))["verify_kasi"]
    assert (kasi.count, kasi.returns, kasi.lost) == (1, 1, 20)


def test_end_to_end_for_the_complaints_answered_in_the_period(sop, plain_office):
    result = report(RETURNED_TWICE + ACROSS_LUNCH, sop, plain_office)
    e2e = result.end_to_end  # 220 and 130 working minutes against 140
    assert (e2e.count, e2e.median, e2e.p90, e2e.within, e2e.standard) == (2, 130, 220, 1, 140)
    assert e2e.share == 50.0
    assert (e2e.returns, e2e.lost) == (None, None)


def test_only_steps_decided_within_the_period_are_counted(sop, plain_office):
    first_week = (at("2026-02-02 00:00"), at("2026-02-03 00:00"))
    result = report(RETURNED_TWICE + ACROSS_LUNCH, sop, plain_office, period=first_week)
    assert by_step(result)["draft"].count == 2
    assert result.end_to_end.count == 1
    # A step decided exactly at the end of the period belongs to the next one.
    until_answer = (at("2026-02-02 00:00"), at("2026-02-02 11:40"))
    result = report(RETURNED_TWICE, sop, plain_office, period=until_answer)
    assert (by_step(result)["answer"].count, result.end_to_end.count) == (0, 0)


def test_steps_missing_from_the_sop_in_force_are_counted_apart(sop, plain_office):
    rows = journey(5, "2026-02-04 08:00", ("old_triage", "2026-02-04 08:10", "approve"))
    result = report(rows, sop, plain_office)
    assert result.unlisted == 1
    assert result.total.count == 0


def test_per_official_the_same_measures_with_acting_officials_apart(sop, plain_office):
    acting_kadis = journey(
        6,
        "2026-02-04 08:00",
        ("draft", "2026-02-04 08:40", "approve"),
        ("verify_kasi", "2026-02-04 08:50", "approve"),
        ("verify_kabid", "2026-02-04 09:00", "approve"),
        ("approve_kadis", "2026-02-04 09:45", "approve", RINA, "plh"),  # 45
        ("answer", "2026-02-04 10:00", "approve"),
    )
    result = report(RETURNED_TWICE + acting_kadis, sop, plain_office, per_official=True)
    names = {BUDI: "Budi", WATI: "Wati", AGUS: "Agus", HADI: "Hadi", RINA: "Rina"}
    lines = with_official_names(result.officials, names)
    assert [(line.official, line.step_id, line.decided_as) for line in lines] == [
        ("Agus", "verify_kabid", ""),
        ("Budi", "draft", ""),
        ("Budi", "answer", ""),
        ("Hadi", "approve_kadis", ""),
        ("Rina", "approve_kadis", "plh"),
        ("Wati", "verify_kasi", ""),
    ]
    rina = lines[4]
    assert (rina.count, rina.median, rina.within, rina.actor) == (1, 45, 0, "Kepala Dinas")
    wati = lines[5]  # 20, 10, 10, 10; her return cost 20 + Budi's 30
    assert (wati.count, wati.median, wati.p90, wati.returns, wati.lost) == (4, 10, 20, 1, 50)
    agus = lines[0]  # 30, 10, 10; his return cost 30 + Wati's 10
    assert (agus.count, agus.median, agus.returns, agus.lost) == (3, 10, 1, 40)
    budi_draft = lines[1]  # 90, 30, 40
    assert (budi_draft.count, budi_draft.median, budi_draft.p90) == (3, 40, 90)
    assert result.steps == report(RETURNED_TWICE + acting_kadis, sop, plain_office).steps


def test_no_per_official_lines_unless_asked(sop, plain_office):
    assert report(RETURNED_TWICE, sop, plain_office).officials == ()
