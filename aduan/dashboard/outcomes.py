"""The dashboard's outcome charts: the time to the answer, the citizens' satisfaction and
the categories most complained about (docs/dashboard.md defines them)."""

import datetime as dt
from collections import Counter

from django.db import connections
from django.db.models import Sum
from django.utils.translation import gettext as _

from aduan.complaints.models import Category, Complaint
from aduan.dashboard.data import Chart, Series
from aduan.dashboard.models import DayCount, OwnAnswer, OwnDayCount
from aduan.dashboard.scope import Scope
from aduan.dashboard.stats import (
    Bucket,
    days_q,
    month_index,
    previous_period,
)

TOP = 10
ONE_DAY = dt.timedelta(days=1)


def categories_by_id() -> dict[int, Category]:
    return {c.pk: c for c in Category.objects.all()}


def period_counts(scope: Scope, first: dt.date, last: dt.date) -> list[tuple]:
    """The running counts of the days first..last in the scope, summed per week, month,
    category and channel: one scan for the received, answered and rating charts (some
    thousands of rows for a year, whatever the number of complaints). For an official's
    own work, "received" is what they took up (their first decision on a complaint)."""
    received = "taken_up" if scope.is_own else "received"
    return list(
        scope.counts(DayCount, OwnDayCount)
        .filter(days_q(first, last))
        .values_list("week", "month", "category_id", "channel")
        .annotate(
            received=Sum(received),
            answered=Sum("answered"),
            rated=Sum("rated"),
            scores=Sum("score_sum"),
        )
        .order_by()
    )


def _answered_in(scope: Scope, bucket: Bucket):
    """The answer minutes of the complaints answered in `bucket`, in order: on the
    complaints or, for an official's own work, on their answers (OwnAnswer)."""
    if scope.is_own:
        answered = scope.counts(None, OwnAnswer)
        at = "answered_at"
    else:
        answered = Complaint.objects.filter(scope.categories_q(), answered_month__isnull=False)
        at = "closed_at"
    if bucket.is_whole_month:
        answered = answered.filter(answered_month=bucket.first)
    else:  # a month cut by the period's edge
        answered = answered.filter(
            answered_month=bucket.first.replace(day=1),
            **{f"{at}__gte": bucket.start, f"{at}__lt": bucket.end},
        )
    return answered.order_by("answer_minutes").values_list("answer_minutes", flat=True)


def month_medians(scope: Scope, buckets: list[Bucket], counts: list[int]) -> list[int | None]:
    """The nearest-rank median of answer_minutes of the complaints answered in each bucket
    (`counts[i]` of them in `buckets[i]`), in one statement whatever the number of months:
    a scalar subquery per month that has answers, each one index walk
    (ORDER BY answer_minutes LIMIT 1 OFFSET rank-1)."""
    wanted = [(i, b, n) for i, (b, n) in enumerate(zip(buckets, counts, strict=True)) if n]
    medians: list[int | None] = [None] * len(buckets)
    if not wanted:
        return medians
    parts, params, db = [], [], "default"
    for _i, bucket, count in wanted:
        rank = -(-50 * count // 100)
        walk = _answered_in(scope, bucket)[rank - 1 : rank]
        db = walk.db
        sql, walk_params = walk.query.get_compiler(using=db).as_sql()
        parts.append(f"({sql})")
        params.extend(walk_params)
    with connections[db].cursor() as cursor:
        cursor.execute("SELECT " + ", ".join(parts), params)
        row = cursor.fetchone()
    for (i, _bucket, _count), value in zip(wanted, row, strict=True):
        medians[i] = value
    return medians


def month_median(scope: Scope, bucket: Bucket, count: int) -> int | None:
    """The nearest-rank median of the complaints answered in one bucket (the recap's)."""
    return month_medians(scope, [bucket], [count])[0]


def end_to_end_chart(scope: Scope, definition, months: list[Bucket], day_counts=()) -> Chart:
    """The median working minutes from receipt to answer of the complaints answered each
    month, against the SOP's total standard."""
    in_month = month_index(months)
    answered = Counter()
    for _week, month, _category, _channel, _received, n, _rated, _scores in day_counts:
        answered[in_month[month]] += n
    counts = [answered[i] for i in range(len(months))]
    medians = month_medians(scope, months, counts)
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
    in_month = month_index(months)
    rated, scores = Counter(), Counter()
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
    received = "taken_up" if scope.is_own else "received"
    rows = (
        scope.counts(DayCount, OwnDayCount)
        .filter(now_q | before_q)
        .values_list("category_id")
        .annotate(
            now=Sum(received, filter=now_q),
            before=Sum(received, filter=before_q),
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
        note=(
            _("Sepuluh kategori dengan pengaduan yang Anda tangani terbanyak dalam periode ini.")
            if scope.is_own
            else _("Sepuluh kategori dengan pengaduan diterima terbanyak dalam periode ini.")
        ),
    )
