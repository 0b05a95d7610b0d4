"""The dashboard's outcome charts: the time to the answer, the citizens' satisfaction and
the categories most complained about (docs/dashboard.md defines them)."""

import datetime as dt
from collections import Counter, defaultdict

from django.db.models import Count, Q, Sum
from django.utils.translation import gettext as _

from aduan.accounts.selectors import DASHBOARD_OWN
from aduan.complaints.models import Category, Complaint, Rating
from aduan.dashboard.data import Chart, Series
from aduan.dashboard.models import DayCount
from aduan.dashboard.office_time import OfficeMonth
from aduan.dashboard.scope import Scope
from aduan.dashboard.stats import (
    Bucket,
    days_q,
    month_index,
    office_instant,
    previous_period,
)

TOP = 10
ONE_DAY = dt.timedelta(days=1)


def categories_by_id() -> dict[int, Category]:
    return {c.pk: c for c in Category.objects.all()}


def period_counts(scope: Scope, first: dt.date, last: dt.date) -> list[tuple]:
    """The running counts of the days first..last in the scope, summed per week, month,
    category and channel: one scan for the received, answered and rating charts (some
    thousands of rows for a year, whatever the number of complaints)."""
    return list(
        DayCount.objects.filter(days_q(first, last), scope.categories_q())
        .values_list("week", "month", "category_id", "channel")
        .annotate(
            received=Sum("received"),
            answered=Sum("answered"),
            rated=Sum("rated"),
            scores=Sum("score_sum"),
        )
        .order_by()
    )


def own_complaints(scope: Scope, *, since: dt.datetime):
    """For "own": the complaints of the scope the official worked on since `since`."""
    return Complaint.objects.filter(scope.handled_q(since), scope.categories_q())


def month_median(scope: Scope, bucket: Bucket, count: int) -> int | None:
    """The nearest-rank median of answer_minutes of the complaints answered in `bucket`,
    `count` of them: one index walk (ORDER BY answer_minutes OFFSET rank-1)."""
    if not count:
        return None
    answered = Complaint.objects.filter(scope.categories_q(), answered_month__isnull=False)
    if bucket.is_whole_month:
        answered = answered.filter(answered_month=bucket.first)
    else:  # a month cut by the period's edge
        answered = answered.filter(closed_at__gte=bucket.start, closed_at__lt=bucket.end)
    rank = -(-50 * count // 100)
    ordered = answered.order_by("answer_minutes").values_list("answer_minutes", flat=True)
    return next(iter(ordered[rank - 1 : rank]), None)


def _histogram_median(counts: Counter, total: int) -> int | None:
    """The nearest-rank median of values given as value -> how many."""
    if not total:
        return None
    rank, seen = -(-50 * total // 100), 0
    for value in sorted(counts):
        seen += counts[value]
        if seen >= rank:
            return value
    return None


def end_to_end_chart(scope: Scope, definition, months: list[Bucket], day_counts=()) -> Chart:
    """The median working minutes from receipt to answer of the complaints answered each
    month, against the SOP's total standard."""
    first = months[0].first
    medians: list[int | None] = []
    counts: list[int] = []
    if scope.kind == DASHBOARD_OWN:
        # Per month, how many took each number of minutes: the median without the rows.
        minutes: dict[int, Counter] = defaultdict(Counter)
        in_month = month_index(months)
        start = office_instant(first)
        rows = own_complaints(scope, since=start).filter(
            answered_month__isnull=False, closed_at__gte=start, closed_at__lt=months[-1].end
        )
        for month, value, n in (
            rows.values_list(OfficeMonth("closed_at"), "answer_minutes")
            .annotate(n=Count("id"))
            .order_by()
        ):
            minutes[in_month[month]][value] += n
        for i in range(len(months)):
            counted = sum(minutes[i].values())
            medians.append(_histogram_median(minutes[i], counted))
            counts.append(counted)
    else:
        in_month = month_index(months)
        answered = Counter()
        for _week, month, _category, _channel, _received, n, _rated, _scores in day_counts:
            answered[in_month[month]] += n
        for i, bucket in enumerate(months):
            medians.append(month_median(scope, bucket, answered[i]))
            counts.append(answered[i])
    total = definition.total_minutes if definition else None
    return Chart(
        id="end_to_end",
        title=_("Median waktu dari diterima sampai dijawab"),
        kind="line",
        x_labels=tuple(m.label for m in months),
        series=(
            Series(key="median", label=_("Median"), values=tuple(medians)),
            Series(
                key="answered",
                label=_("Pengaduan dijawab"),
                values=tuple(counts),
                table_only=True,
            ),
        ),
        unit=_("menit kerja"),
        target=total,
        target_label=_("Waktu baku SOP"),
        note=_(
            "Pengaduan dihitung pada bulan dijawab; menit kerja dari diterima sampai jawaban "
            "dikirim; median peringkat terdekat."
        ),
    )


def satisfaction_chart(scope: Scope, months: list[Bucket], counts=()) -> Chart:
    """The citizens' average score (1–5) per month of rating, and how many rated."""
    first = months[0].first
    in_month = month_index(months)
    rated, scores = Counter(), Counter()
    if scope.kind == DASHBOARD_OWN:
        start = office_instant(first)
        rows = Rating.objects.filter(
            scope.handled_q(start, "complaint__"),
            scope.categories_q("complaint__"),
            created_at__gte=start,
            created_at__lt=months[-1].end,
        )
        for month, n, total in (
            rows.values_list(OfficeMonth("created_at"))
            .annotate(n=Count("id"), total=Sum("score"))
            .order_by()
        ):
            rated[in_month[month]] += n
            scores[in_month[month]] += total
    else:
        for _week, month, _category, _channel, _received, _answered, n, total in counts:
            rated[in_month[month]] += n
            scores[in_month[month]] += total
    return Chart(
        id="satisfaction",
        title=_("Kepuasan pelapor per bulan"),
        kind="line",
        x_labels=tuple(m.label for m in months),
        series=(
            Series(
                key="average",
                label=_("Nilai rata-rata"),
                values=tuple(
                    round(scores[i] / rated[i], 2) if rated[i] else None for i in range(len(months))
                ),
            ),
            Series(
                key="ratings",
                label=_("Jumlah penilaian"),
                values=tuple(rated[i] for i in range(len(months))),
                table_only=True,
            ),
        ),
        unit=_("nilai (1–5)"),
        target=5,
        target_label=_("Nilai tertinggi"),
        note=_("Penilaian dihitung pada tanggal diberikan."),
    )


def top_categories_chart(scope: Scope, first: dt.date, last: dt.date) -> Chart:
    """The ten categories most complained about in the period, beside the previous period
    of the same length."""
    before_first, before_last = previous_period(first, last)
    now_q, before_q = days_q(first, last), days_q(before_first, before_last)
    if scope.kind == DASHBOARD_OWN:
        start, middle = office_instant(before_first), office_instant(first)
        rows = (
            own_complaints(scope, since=start)
            .filter(received_at__gte=start, received_at__lt=office_instant(last + ONE_DAY))
            .values_list("category_id")
            .annotate(
                now=Count("id", filter=Q(received_at__gte=middle)),
                before=Count("id", filter=Q(received_at__lt=middle)),
            )
            .order_by()
        )
        current = Counter({c: n for c, n, _b in rows})
        previous = Counter({c: b for c, _n, b in rows})
    else:
        rows = (
            DayCount.objects.filter(scope.categories_q(), now_q | before_q)
            .values_list("category_id")
            .annotate(
                now=Sum("received", filter=now_q),
                before=Sum("received", filter=before_q),
            )
        )
        current = Counter({c: n or 0 for c, n, _b in rows})
        previous = Counter({c: b or 0 for c, _n, b in rows})
    categories = categories_by_id()
    top = sorted(
        (c for c in current if current[c]),
        key=lambda c: (-current[c], categories[c].position, categories[c].name),
    )[:TOP]
    return Chart(
        id="top_categories",
        title=_("Kategori terbanyak"),
        kind="hbar",
        x_labels=tuple(categories[c].name for c in top),
        series=(
            Series(
                key="period",
                label=_("Periode ini"),
                values=tuple(current[c] for c in top),
            ),
            Series(
                key="previous",
                label=_("Periode sebelumnya (%(first)s–%(last)s)")
                % {"first": before_first.isoformat(), "last": before_last.isoformat()},
                values=tuple(previous[c] for c in top),
            ),
        ),
        unit=_("pengaduan"),
        note=_("Sepuluh kategori dengan pengaduan diterima terbanyak dalam periode ini."),
    )
