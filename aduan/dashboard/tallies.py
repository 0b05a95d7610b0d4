"""Keeping the dashboard's running counts (aduan.dashboard.models) current.

The services call these inside the transaction that makes the change they count, so a
count and its cause commit or roll back together:
- complaint_register: `tally_received`;
- the engine's step_decide: `tally_step_decided` (and `tally_answered` for the answer);
- the engine's complaint_withdraw: `tally_withdrawn`;
- rating_save: `tally_rated`.
Each of the step, answer and rating tallies also keeps the officials' own counts
(`OwnDayCount`, `OwnStepDayCount`, `OwnAnswer`): a few more bounded queries, one row per
official who decided a step of the complaint (five at most on the SOP's straight path).
`tallies_rebuild` recounts everything from the rows themselves (after a bulk import, or to
check the counts).
"""

import datetime as dt

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from aduan.dashboard.models import (
    DayCount,
    OwnAnswer,
    OwnDayCount,
    OwnStepDayCount,
    StepDayCount,
)


def office_day(instant: dt.datetime) -> dt.date:
    return timezone.localtime(instant, timezone.get_default_timezone()).date()


def week_and_month(day: dt.date) -> dict[str, dt.date]:
    """The grouping columns of a day's row: its week's Monday and its month's first day."""
    return {"week": day - dt.timedelta(days=day.weekday()), "month": day.replace(day=1)}


def _grouping(model, day: dt.date) -> dict[str, dt.date]:
    names = {f.name for f in model._meta.get_fields()}
    return {k: v for k, v in week_and_month(day).items() if k in names}


def _bump(model, keys: dict, **increments: int) -> None:
    """Add `increments` to the row with `keys`, creating it if need be; safe when two
    transactions create the same row at once (the loser adds to the winner's row)."""
    changes = {name: F(name) + value for name, value in increments.items()}
    if model.objects.filter(**keys).update(**changes):
        return
    try:
        with transaction.atomic():
            grouping = _grouping(model, keys["day"])
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


def _worked_on_by(complaint_id: int) -> list[int]:
    """The officials who decided a step of the complaint (not the withdrawal's close)."""
    from aduan.complaints.models import ComplaintStep

    return sorted(
        set(
            ComplaintStep.objects.filter(
                complaint_id=complaint_id,
                decided_by__isnull=False,
                working_minutes__isnull=False,
            ).values_list("decided_by_id", flat=True)
        )
    )


def tally_answered(*, complaint, at: dt.datetime, minutes: int) -> None:
    """The answer was sent at `at`, `minutes` working minutes after receipt."""
    keys = _complaint_keys(complaint, at)
    _bump(DayCount, keys, answered=1)
    officials = _worked_on_by(complaint.pk)
    for official_id in officials:
        _bump(OwnDayCount, {"official_id": official_id, **keys}, answered=1)
    OwnAnswer.objects.bulk_create(
        [
            OwnAnswer(
                official_id=official_id,
                complaint_id=complaint.pk,
                category_id=complaint.category_id,
                answered_at=at,
                answered_month=keys["day"].replace(day=1),
                answer_minutes=minutes,
            )
            for official_id in officials
        ]
    )


def tally_withdrawn(*, complaint, at: dt.datetime) -> None:
    _bump(DayCount, _complaint_keys(complaint, at), withdrawn=1)


def tally_rated(*, complaint, score: int, at: dt.datetime) -> None:
    keys = _complaint_keys(complaint, at)
    _bump(DayCount, keys, rated=1, score_sum=score)
    for official_id in _worked_on_by(complaint.pk):
        _bump(OwnDayCount, {"official_id": official_id, **keys}, rated=1, score_sum=score)


def tally_step_decided(
    *,
    step: str,
    category_id: int,
    at: dt.datetime,
    within: bool,
    returned: bool,
    official_id: int | None = None,
    complaint=None,
) -> None:
    """A step instance decided at `at` (after the row is stored as decided). With the
    official and the complaint, their own counts too, and the complaint taken up by them
    if this is their first decision on it."""
    day = office_day(at)
    counts = {"decided": 1, "within": int(within), "returns": int(returned)}
    _bump(StepDayCount, {"day": day, "step": step, "category_id": category_id}, **counts)
    if official_id is None or complaint is None:
        return
    _bump(
        OwnStepDayCount,
        {"official_id": official_id, "day": day, "step": step, "category_id": category_id},
        **counts,
    )
    from aduan.complaints.models import ComplaintStep

    decisions = ComplaintStep.objects.filter(
        complaint_id=complaint.pk, decided_by_id=official_id, working_minutes__isnull=False
    )
    if decisions[:2].count() == 1:  # this one: the first
        _bump(
            OwnDayCount,
            {"official_id": official_id, **_complaint_keys(complaint, at)},
            taken_up=1,
        )


def tallies_rebuild(apps=None) -> tuple[int, int]:
    """Recount the tables from the complaints, steps and ratings (in Python by day, so
    it works the same on every database). Returns the numbers of office rows written
    (per day, per step and day). A migration passes its `apps` (the historical models)."""
    if apps is None:
        from django.apps import apps
    Complaint = apps.get_model("complaints", "Complaint")
    ComplaintStep = apps.get_model("complaints", "ComplaintStep")
    Rating = apps.get_model("complaints", "Rating")
    models = {}
    for name in ("DayCount", "StepDayCount", "OwnDayCount", "OwnStepDayCount", "OwnAnswer"):
        try:
            models[name] = apps.get_model("dashboard", name)
        except LookupError:  # an early migration, before the officials' own counts
            pass

    days: dict[tuple, dict[str, int]] = {}  # (day, category, channel)
    own_days: dict[tuple, dict[str, int]] = {}  # (official, day, category, channel)

    def add(table, key, **increments):
        row = table.setdefault(key, {})
        for name, value in increments.items():
            row[name] = row.get(name, 0) + value

    # Who worked on each complaint, and when they first decided a step of it.
    steps: dict[tuple, list[int]] = {}  # (day, step, category)
    own_steps: dict[tuple, list[int]] = {}  # (official, day, step, category)
    first_decision: dict[int, dict[int, dt.datetime]] = {}  # complaint -> official -> at
    decided = ComplaintStep.objects.filter(
        decided_at__isnull=False, working_minutes__isnull=False
    ).values_list(
        "complaint_id",
        "decided_by_id",
        "decided_at",
        "step",
        "complaint__category_id",
        "within_standard",
        "decision",
    )
    for complaint_id, official, decided_at, step, category_id, within, decision in decided.iterator(
        10_000
    ):
        day = office_day(decided_at)
        counts = (1, int(bool(within)), int(decision == "return"))
        tables = [(steps, (day, step, category_id))]
        if official is not None:
            tables.append((own_steps, (official, day, step, category_id)))
            earliest = first_decision.setdefault(complaint_id, {})
            if official not in earliest or decided_at < earliest[official]:
                earliest[official] = decided_at
        for table, key in tables:
            row = table.setdefault(key, [0, 0, 0])
            for i, n in enumerate(counts):
                row[i] += n

    answers = []
    complaints = Complaint.objects.values_list(
        "pk", "category_id", "channel", "received_at", "status", "closed_at", "answer_minutes"
    )
    for pk, category_id, channel, received_at, status, closed_at, minutes in complaints.iterator(
        10_000
    ):
        add(days, (office_day(received_at), category_id, channel), received=1)
        officials = first_decision.get(pk, {})
        for official, first_at in officials.items():
            add(own_days, (official, office_day(first_at), category_id, channel), taken_up=1)
        if status == "answered" and closed_at:
            day = office_day(closed_at)
            add(days, (day, category_id, channel), answered=1)
            for official in officials:
                add(own_days, (official, day, category_id, channel), answered=1)
                if minutes is not None:
                    answers.append(
                        dict(
                            official_id=official,
                            complaint_id=pk,
                            category_id=category_id,
                            answered_at=closed_at,
                            answered_month=day.replace(day=1),
                            answer_minutes=minutes,
                        )
                    )
        elif status == "withdrawn" and closed_at:
            add(days, (office_day(closed_at), category_id, channel), withdrawn=1)
    ratings = Rating.objects.values_list(
        "complaint_id", "complaint__category_id", "complaint__channel", "created_at", "score"
    )
    for complaint_id, category_id, channel, created_at, score in ratings.iterator(10_000):
        day = office_day(created_at)
        add(days, (day, category_id, channel), rated=1, score_sum=score)
        for official in first_decision.get(complaint_id, {}):
            add(own_days, (official, day, category_id, channel), rated=1, score_sum=score)

    def step_rows(model, table, named):
        for key, (n, w, r) in table.items():
            fields = dict(zip(named, key, strict=True))
            yield model(
                **fields, month=fields["day"].replace(day=1), decided=n, within=w, returns=r
            )

    def day_rows(model, table, named):
        for key, counts in table.items():
            fields = dict(zip(named, key, strict=True))
            yield model(**fields, **week_and_month(fields["day"]), **counts)

    with transaction.atomic():
        for model in models.values():
            model.objects.all().delete()
        writes = [
            ("DayCount", day_rows(models["DayCount"], days, ("day", "category_id", "channel"))),
            (
                "OwnDayCount",
                day_rows(
                    models.get("OwnDayCount"),
                    own_days,
                    ("official_id", "day", "category_id", "channel"),
                ),
            ),
            (
                "StepDayCount",
                step_rows(models["StepDayCount"], steps, ("day", "step", "category_id")),
            ),
            (
                "OwnStepDayCount",
                step_rows(
                    models.get("OwnStepDayCount"),
                    own_steps,
                    ("official_id", "day", "step", "category_id"),
                ),
            ),
            ("OwnAnswer", (models["OwnAnswer"](**a) for a in answers if "OwnAnswer" in models)),
        ]
        for name, rows in writes:
            if name in models:
                models[name].objects.bulk_create(rows, batch_size=5000)
    return len(days), len(steps)
