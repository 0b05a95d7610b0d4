"""Keeping the dashboard's running counts (aduan.dashboard.models) current.

The services call these inside the transaction that makes the change they count, so a
count and its cause commit or roll back together:
- complaint_register: `tally_received`;
- the engine's step_decide: `tally_step_decided` (and `tally_answered` for the answer);
- the engine's complaint_withdraw: `tally_withdrawn`;
- rating_save: `tally_rated`.
`tallies_rebuild` recounts everything from the rows themselves (after a bulk import, or to
check the counts).
"""

import datetime as dt

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from aduan.dashboard.models import DayCount, StepDayCount


def office_day(instant: dt.datetime) -> dt.date:
    return timezone.localtime(instant, timezone.get_default_timezone()).date()


def week_and_month(day: dt.date) -> dict[str, dt.date]:
    """The grouping columns of a day's row: its week's Monday and its month's first day."""
    return {"week": day - dt.timedelta(days=day.weekday()), "month": day.replace(day=1)}


def _bump(model, keys: dict, **increments: int) -> None:
    """Add `increments` to the row with `keys`, creating it if need be; safe when two
    transactions create the same row at once (the loser adds to the winner's row)."""
    changes = {name: F(name) + value for name, value in increments.items()}
    if model.objects.filter(**keys).update(**changes):
        return
    try:
        with transaction.atomic():
            grouping = week_and_month(keys["day"])
            if model is StepDayCount:
                del grouping["week"]
            model.objects.create(**keys, **grouping, **increments)
    except IntegrityError:
        model.objects.filter(**keys).update(**changes)


def _complaint_keys(complaint, instant: dt.datetime) -> dict:
    return {
        "day": office_day(instant),
        "category_id": complaint.category_id,
        "channel": complaint.channel,
    }


def tally_received(*, complaint) -> None:
    _bump(DayCount, _complaint_keys(complaint, complaint.received_at), received=1)


def tally_answered(*, complaint, at: dt.datetime) -> None:
    _bump(DayCount, _complaint_keys(complaint, at), answered=1)


def tally_withdrawn(*, complaint, at: dt.datetime) -> None:
    _bump(DayCount, _complaint_keys(complaint, at), withdrawn=1)


def tally_rated(*, complaint, score: int, at: dt.datetime) -> None:
    _bump(DayCount, _complaint_keys(complaint, at), rated=1, score_sum=score)


def tally_step_decided(
    *, step: str, category_id: int, at: dt.datetime, within: bool, returned: bool
) -> None:
    _bump(
        StepDayCount,
        {"day": office_day(at), "step": step, "category_id": category_id},
        decided=1,
        within=int(within),
        returns=int(returned),
    )


def tallies_rebuild(apps=None) -> tuple[int, int]:
    """Recount both tables from the complaints, steps and ratings (in Python by day, so
    it works the same on every database). Returns the numbers of rows written. A
    migration passes its `apps` (the historical models)."""
    if apps is None:
        from django.apps import apps
    Complaint = apps.get_model("complaints", "Complaint")
    ComplaintStep = apps.get_model("complaints", "ComplaintStep")
    Rating = apps.get_model("complaints", "Rating")
    DayCount = apps.get_model("dashboard", "DayCount")
    StepDayCount = apps.get_model("dashboard", "StepDayCount")

    days: dict[tuple, dict[str, int]] = {}

    def add(instant, category_id, channel, **increments):
        row = days.setdefault((office_day(instant), category_id, channel), {})
        for name, value in increments.items():
            row[name] = row.get(name, 0) + value

    complaints = Complaint.objects.values_list(
        "category_id", "channel", "received_at", "status", "closed_at"
    )
    for category_id, channel, received_at, status, closed_at in complaints.iterator(10_000):
        add(received_at, category_id, channel, received=1)
        if status == "answered" and closed_at:
            add(closed_at, category_id, channel, answered=1)
        elif status == "withdrawn" and closed_at:
            add(closed_at, category_id, channel, withdrawn=1)
    ratings = Rating.objects.values_list(
        "complaint__category_id", "complaint__channel", "created_at", "score"
    )
    for category_id, channel, created_at, score in ratings.iterator(10_000):
        add(created_at, category_id, channel, rated=1, score_sum=score)

    steps: dict[tuple, dict[str, int]] = {}
    decided = ComplaintStep.objects.filter(
        decided_at__isnull=False, working_minutes__isnull=False
    ).values_list("decided_at", "step", "complaint__category_id", "within_standard", "decision")
    for decided_at, step, category_id, within, decision in decided.iterator(10_000):
        row = steps.setdefault((office_day(decided_at), step, category_id), [0, 0, 0])
        row[0] += 1
        row[1] += int(bool(within))
        row[2] += int(decision == "return")

    with transaction.atomic():
        DayCount.objects.all().delete()
        StepDayCount.objects.all().delete()
        DayCount.objects.bulk_create(
            (
                DayCount(
                    day=day,
                    **week_and_month(day),
                    category_id=category_id,
                    channel=channel,
                    **counts,
                )
                for (day, category_id, channel), counts in days.items()
            ),
            batch_size=5000,
        )
        StepDayCount.objects.bulk_create(
            (
                StepDayCount(
                    day=day,
                    month=day.replace(day=1),
                    step=step,
                    category_id=category_id,
                    decided=n,
                    within=w,
                    returns=r,
                )
                for (day, step, category_id), (n, w, r) in steps.items()
            ),
            batch_size=5000,
        )
    return len(days), len(steps)
