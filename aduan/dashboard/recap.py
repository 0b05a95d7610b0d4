"""The monthly recap (rekap bulanan) of the whole office: totals, charts and the oldest
complaints still open at the month's end. Counted as the dashboard counts (docs/dashboard.md).
"""

import datetime as dt
from collections import Counter

from django.db.models import Count, Q, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from aduan.complaints.models import Category, Complaint, ComplaintStep, Rating
from aduan.dashboard.data import Chart, OpenComplaint, Recap, Series
from aduan.dashboard.models import DayCount, StepDayCount
from aduan.dashboard.scope import Scope
from aduan.dashboard.stats import months_of, share
from aduan.sla.calendar import calendar_for_today
from aduan.sop.services import sop_version_in_force

OLDEST = 10
OFFICE = Scope(kind="office", label="", category_ids=None)


def recap_for(*, month: dt.date, now=None) -> Recap:
    """The recap of the calendar month that contains `month`."""
    from aduan.dashboard.outcomes import month_median
    from aduan.dashboard.selectors import _step_labels

    now = now or timezone.now()
    first = month.replace(day=1)
    bucket = months_of(first, _month_last(first))[0]
    in_month = Q(day__gte=bucket.first, day__lte=bucket.last)
    version = sop_version_in_force()
    definition = version.definition if version else None

    sums = DayCount.objects.filter(in_month).aggregate(
        received=Sum("received"),
        answered=Sum("answered"),
        withdrawn=Sum("withdrawn"),
        rated=Sum("rated"),
        scores=Sum("score_sum"),
    )
    sums = {key: value or 0 for key, value in sums.items()}
    # Open at the month's end: everything received by then, less what was closed by then.
    before_end = DayCount.objects.filter(day__lte=bucket.last).aggregate(
        received=Sum("received"), answered=Sum("answered"), withdrawn=Sum("withdrawn")
    )
    open_at_end = (before_end["received"] or 0) - (before_end["answered"] or 0)
    open_at_end -= before_end["withdrawn"] or 0
    steps = {
        step: (n, w, r)
        for step, n, w, r in StepDayCount.objects.filter(in_month)
        .values_list("step")
        .annotate(n=Sum("decided"), w=Sum("within"), r=Sum("returns"))
    }
    decided = sum(n for n, _w, _r in steps.values())
    within = sum(w for _n, w, _r in steps.values())
    median = month_median(OFFICE, bucket, sums["answered"])
    reopened = Complaint.objects.filter(
        reopened_from__isnull=False, received_at__gte=bucket.start, received_at__lt=bucket.end
    ).count()
    average = round(sums["scores"] / sums["rated"], 2) if sums["rated"] else "–"
    totals = (
        (_("Pengaduan diterima"), sums["received"]),
        (_("Pengaduan dijawab"), sums["answered"]),
        (_("Pengaduan ditarik"), sums["withdrawn"]),
        (_("Masih terbuka pada akhir bulan"), open_at_end),
        (_("Langkah dalam waktu baku (%)"), share(within, decided) if decided else "–"),
        (_("Median waktu sampai dijawab (menit kerja)"), median if median is not None else "–"),
        (_("Penilaian diterima"), sums["rated"]),
        (_("Nilai rata-rata (1–5)"), average),
        (_("Pengaduan dibuka kembali"), reopened),
    )
    charts = (
        _by_category_chart(in_month),
        _by_channel_chart(in_month),
        _sla_chart(steps, _step_labels(definition)),
        _scores_chart(bucket),
    )
    return Recap(
        month=bucket.first,
        totals=totals,
        charts=charts,
        oldest_open=_oldest_open(bucket.end, min(now, bucket.end)),
    )


def _month_last(first: dt.date) -> dt.date:
    return (first.replace(day=28) + dt.timedelta(days=4)).replace(day=1) - dt.timedelta(days=1)


def _by_category_chart(in_month: Q) -> Chart:
    rows = {
        c: (r or 0, a or 0)
        for c, r, a in DayCount.objects.filter(in_month)
        .values_list("category_id")
        .annotate(r=Sum("received"), a=Sum("answered"))
    }
    categories = [c for c in Category.objects.all() if any(rows.get(c.pk, ()))]
    return Chart(
        id="by_category",
        title=_("Pengaduan menurut kategori"),
        kind="hbar",
        x_labels=tuple(c.name for c in categories),
        series=(
            Series("received", _("Diterima"), tuple(rows[c.pk][0] for c in categories)),
            Series("answered", _("Dijawab"), tuple(rows[c.pk][1] for c in categories)),
        ),
        unit=_("pengaduan"),
    )


def _by_channel_chart(in_month: Q) -> Chart:
    rows = dict(
        DayCount.objects.filter(in_month).values_list("channel").annotate(r=Sum("received"))
    )
    channels = [c for c in Complaint.Channel if rows.get(c.value)]
    return Chart(
        id="by_channel",
        title=_("Pengaduan diterima menurut saluran"),
        kind="bar",
        x_labels=tuple(str(c.label) for c in channels),
        series=(Series("received", _("Diterima"), tuple(rows[c.value] for c in channels)),),
        unit=_("pengaduan"),
    )


def _sla_chart(steps: dict, labels: list) -> Chart:
    return Chart(
        id="sla_steps",
        title=_("Langkah selesai dalam waktu baku, per langkah"),
        kind="bar",
        x_labels=tuple(label for _id, label, _role in labels),
        series=(
            Series(
                "within",
                _("Dalam waktu baku (%)"),
                tuple(share(*_within_of(steps.get(s))) for s, _label, _role in labels),
            ),
        ),
        unit="%",
        target=100,
        target_label=_("Semua dalam waktu baku"),
    )


def _within_of(counts) -> tuple[int, int]:
    decided, within, _returns = counts or (0, 0, 0)
    return within, decided


def _scores_chart(bucket) -> Chart:
    scores = Counter(
        dict(
            Rating.objects.filter(created_at__gte=bucket.start, created_at__lt=bucket.end)
            .values_list("score")
            .annotate(n=Count("id"))
            .order_by()
        )
    )
    return Chart(
        id="satisfaction",
        title=_("Penilaian pelapor menurut nilai"),
        kind="bar",
        x_labels=tuple(str(n) for n in range(1, 6)),
        series=(Series("ratings", _("Penilaian"), tuple(scores[n] for n in range(1, 6))),),
        unit=_("penilaian"),
    )


def _oldest_open(end: dt.datetime, as_of: dt.datetime) -> tuple[OpenComplaint, ...]:
    """The complaints received before `end` and not closed by then, oldest first, with the
    step each was waiting at `end` (two queries)."""
    complaints = list(
        Complaint.objects.filter(Q(closed_at__isnull=True) | Q(closed_at__gte=end))
        .filter(received_at__lt=end)
        .select_related("sop_version")
        .only("agenda_year", "agenda_seq", "received_at", "subject", "sop_version")
        .order_by("received_at", "id")[:OLDEST]
    )
    waiting = {
        step.complaint_id: step
        for step in ComplaintStep.objects.filter(
            Q(decided_at__isnull=True) | Q(decided_at__gte=end),
            complaint_id__in=[c.pk for c in complaints],
            started_at__lt=end,
        ).order_by("complaint_id", "seq")
    }
    calendar = calendar_for_today()
    rows = []
    for complaint in complaints:
        definition = complaint.sop_version.definition
        step = waiting.get(complaint.pk)
        known = step is not None and definition.has_step(step.step)
        rows.append(
            OpenComplaint(
                id=complaint.pk,
                agenda_number=complaint.agenda_number,
                received_at=complaint.received_at,
                subject=complaint.subject,
                step_title=definition.step(step.step).title if known else "",
                role_name=definition.role(step.role).name if known else "",
                working_minutes_open=calendar.working_minutes_between(complaint.received_at, as_of),
            )
        )
    return tuple(rows)
