"""Reading what the compliance report (aduan.sla.report) measures: one query for the steps."""

import datetime as dt

from aduan.accounts.models import User
from aduan.complaints.models import ComplaintStep
from aduan.sla.report import StepRow

# The columns of StepRow, in its order, as the ORM names them.
STEP_ROW_COLUMNS = (
    "complaint_id",
    "seq",
    "step",
    "role",
    "started_at",
    "decided_at",
    "decision",
    "next_step",
    "decided_by_id",
    "decided_as",
    "complaint__received_at",
)


def report_step_rows(*, sop_code: str, start: dt.datetime, end: dt.datetime) -> list[StepRow]:
    """The decided step instances of every complaint under SOP `sop_code` (any version) that
    had a step decided in [start, end): those decided in the period and, to tell which
    return an instance re-does, the same complaints' earlier ones. Sorted by complaint and
    seq. One query (the complaints are chosen in a subquery), only the needed columns.
    """
    touched = ComplaintStep.objects.filter(
        decided_at__gte=start,
        decided_at__lt=end,
        complaint__sop_version__code=sop_code,
    ).values("complaint_id")
    rows = (
        ComplaintStep.objects.filter(
            complaint_id__in=touched, decided_at__isnull=False, decided_at__lt=end
        )
        # A step closed because the citizen never replied was decided by nobody: not measured.
        .exclude(decision="withdrawn")
        .order_by("complaint_id", "seq")
        .values_list(*STEP_ROW_COLUMNS)
    )
    return [StepRow._make(row) for row in rows]


def report_official_names(*, ids) -> dict[int, str]:
    """The officials' names as the desk shows them, by id (one query)."""
    officials = User.objects.filter(pk__in=set(ids) - {None}).only(
        "first_name", "last_name", "username"
    )
    return {user.pk: str(user) for user in officials}
