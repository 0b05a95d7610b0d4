"""The dashboard's numbers (docs/dashboard.md defines every chart).

`dashboard_for` answers in a fixed number of queries for the office and a section: the
running counts per day (aduan.dashboard.models) for what was received, answered, rated and
decided; the open steps for the backlog; one statement for the median end-to-end times of
all the period's months (an index walk per month, as scalar subqueries). An official's own
work ("own") is read from the steps they decided instead (their share of the office is
small). The counting rules are those of the Mutu Baku report
(aduan.sla.report): a step instance counts on the day it was decided, its working minutes
by the working calendar (stored by the engine), medians by nearest rank.
"""

import datetime as dt
from collections import Counter, defaultdict

from django.db.models import Count, F, Q, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from aduan.accounts.selectors import DASHBOARD_OWN
from aduan.complaints.models import Complaint, ComplaintStep
from aduan.dashboard.data import Chart, Dashboard, Series
from aduan.dashboard.models import OwnStepDayCount, StepDayCount
from aduan.dashboard.outcomes import (
    categories_by_id,
    end_to_end_chart,
    period_counts,
    satisfaction_chart,
    top_categories_chart,
)
from aduan.dashboard.recap import recap_for  # noqa: F401  (part of this module's contract)
from aduan.dashboard.scope import Scope, scope_for
from aduan.dashboard.stats import (
    Bucket,
    days_q,
    month_index,
    months_of,
    share,
    week_index,
    weeks_of,
)
from aduan.sop.definition import SopDefinition
from aduan.sop.services import sop_version_in_force


def dashboard_for(
    *, user, first: dt.date, last: dt.date, category: str | None = None, now=None
) -> Dashboard:
    """The dashboard of `user` for the days first..last (office calendar, both included)."""
    now = now or timezone.now()
    if last < first:
        first, last = last, first
    scope, category = scope_for(user=user, category=category)
    version = sop_version_in_force()
    definition = version.definition if version else None
    weeks, months = weeks_of(first, last), months_of(first, last)
    # The running counts of the period (the office's, or the official's own), read once
    # for four charts.
    counts = period_counts(scope, first, last)
    charts = [
        *received_charts(scope, weeks, months, counts),
        *now_charts(scope, definition, now),
        *step_charts(scope, definition, first, last, months),
        end_to_end_chart(scope, definition, months, counts),
        satisfaction_chart(scope, months, counts),
        top_categories_chart(scope, first, last),
    ]
    return Dashboard(
        scope=scope.kind,
        scope_label=scope.label,
        first=first,
        last=last,
        category=category,
        charts=tuple(charts),
    )


def received_charts(
    scope: Scope, weeks: list[Bucket], months: list[Bucket], counts=()
) -> list[Chart]:
    """Received per week by category (stacked) and per month by channel (grouped); for an
    official's own work, the complaints they took up."""
    by_category: dict[int, Counter] = defaultdict(Counter)  # category -> week -> n
    by_channel: dict[str, Counter] = defaultdict(Counter)  # channel -> month -> n
    in_week, in_month = week_index(weeks), month_index(months)
    for week, month, category_id, channel, n, *_others in counts:
        by_category[category_id][in_week[week]] += n
        by_channel[channel][in_month[month]] += n
    categories = categories_by_id()

    def series(key, label, counts: Counter, buckets) -> Series:
        return Series(key=key, label=label, values=tuple(counts[i] for i in range(len(buckets))))

    present = sorted(
        (c for c in by_category if sum(by_category[c].values())),
        key=lambda c: (categories[c].position, categories[c].name),
    )
    channels = [c for c in Complaint.Channel if sum(by_channel[c.value].values())]
    unit = _("pengaduan")
    if scope.is_own:
        weekly_title = _("Pengaduan yang Anda tangani per minggu, menurut kategori")
        monthly_title = _("Pengaduan yang Anda tangani per bulan, menurut saluran")
        monthly_note = _("Dihitung pada tanggal Anda pertama kali memutus langkah pengaduan itu.")
        weekly_note = _(
            "Dihitung pada tanggal Anda pertama kali memutus langkah pengaduan itu; minggu "
            "mulai hari Senin."
        )
    else:
        weekly_title = _("Pengaduan diterima per minggu, menurut kategori")
        monthly_title = _("Pengaduan diterima per bulan, menurut saluran")
        monthly_note = _("Dihitung pada tanggal pengaduan diterima.")
        weekly_note = _("Dihitung pada tanggal pengaduan diterima; minggu mulai hari Senin.")
    return [
        Chart(
            id="received_weekly",
            title=weekly_title,
            kind="stacked",
            x_labels=tuple(w.label for w in weeks),
            series=tuple(
                series(categories[c].code, categories[c].name, by_category[c], weeks)
                for c in present
            ),
            unit=unit,
            note=weekly_note,
        ),
        Chart(
            id="received_monthly",
            title=monthly_title,
            kind="bar",
            x_labels=tuple(m.label for m in months),
            series=tuple(
                series(c.value, str(c.label), by_channel[c.value], months) for c in channels
            ),
            unit=unit,
            note=monthly_note,
        ),
    ]


def _step_labels(definition: SopDefinition | None) -> list[tuple[str, str, str]]:
    """(step id, label, role) in SOP order; the label names the role (two steps share a title)."""
    if definition is None:
        return []
    return [
        (s.id, f"{s.title} ({definition.role(s.role).name})", s.role)
        for s in definition.ordered_steps
    ]


def now_charts(scope: Scope, definition: SopDefinition | None, now: dt.datetime) -> list[Chart]:
    """The open steps now per step (stacked by role) and those past their due time."""
    steps = _step_labels(definition)
    open_steps = ComplaintStep.objects.filter(
        decided_at__isnull=True, complaint__status=Complaint.Status.OPEN
    ).filter(scope.categories_q("complaint__"))
    if scope.kind == DASHBOARD_OWN:
        open_steps = open_steps.filter(role__in=sorted(scope.roles))
    # Overdue as the inbox shows it (aduan.sla.due.step_clock): due by now, and if the
    # complaint waits for the citizen, due before the wait began (the clock stopped then).
    late = Q(due_at__lte=now) & (
        Q(complaint__awaiting_reply_since__isnull=True)
        | Q(complaint__awaiting_reply_since__gte=F("due_at"))
    )
    counts = {
        (step, role): (n, overdue)
        for step, role, n, overdue in open_steps.values_list("step", "role").annotate(
            n=Count("id"), overdue=Count("id", filter=late)
        )
    }
    roles = []
    for _id, _label, role in steps:
        if role not in roles:
            roles.append(role)
    x_labels = tuple(label for _id, label, _role in steps)
    backlog = tuple(
        Series(
            key=role,
            label=definition.role(role).name,
            values=tuple(
                counts.get((step, r), (0, 0))[0] if r == role else 0 for step, _l, r in steps
            ),
        )
        for role in roles
    )
    overdue = Series(
        key="overdue",
        label=_("Melewati waktu baku"),
        values=tuple(counts.get((step, role), (0, 0))[1] for step, _l, role in steps),
    )
    return [
        Chart(
            id="backlog_now",
            title=_("Tunggakan saat ini per langkah"),
            kind="stacked",
            x_labels=x_labels,
            series=backlog,
            unit=_("langkah terbuka"),
            note=_("Langkah yang sedang menunggu keputusan, saat halaman ini dibuka."),
        ),
        Chart(
            id="overdue_now",
            title=_("Melewati waktu baku saat ini per langkah"),
            kind="bar",
            x_labels=x_labels,
            series=(overdue,),
            unit=_("langkah terbuka"),
            note=_(
                "Langkah terbuka yang sudah melewati waktu bakunya (jam kerja; waktu menunggu "
                "jawaban pelapor tidak dihitung)."
            ),
        ),
    ]


def step_charts(
    scope: Scope, definition, first: dt.date, last: dt.date, months: list[Bucket]
) -> list[Chart]:
    """Share of step instances within the standard per step and month; returns per step."""
    steps = _step_labels(definition)
    decided: dict[tuple[str, int], list[int]] = defaultdict(lambda: [0, 0])  # (step, month)
    returns: Counter = Counter()
    in_month = month_index(months)
    rows = (
        scope.counts(StepDayCount, OwnStepDayCount)
        .filter(days_q(first, last))
        .values_list("month", "step")
        .annotate(n=Sum("decided"), w=Sum("within"), r=Sum("returns"))
        .order_by()
    )
    for month, step, n, w, r in rows:
        tally = decided[step, in_month[month]]
        tally[0] += n
        tally[1] += w
        returns[step] += r
    x_steps = tuple(label for _id, label, _role in steps)
    return [
        Chart(
            id="within_standard",
            title=_("Langkah selesai dalam waktu baku, per bulan"),
            kind="line",
            x_labels=tuple(m.label for m in months),
            series=tuple(
                Series(
                    key=step,
                    label=label,
                    values=tuple(
                        share(decided[step, i][1], decided[step, i][0]) for i in range(len(months))
                    ),
                )
                for step, label, _role in steps
            ),
            unit="%",
            target=100,
            target_label=_("Semua dalam waktu baku"),
            note=_(
                "Langkah dihitung pada bulan diputus; menit kerja menurut kalender kerja, "
                "dibandingkan dengan waktu baku langkah dalam SOP."
            ),
        ),
        Chart(
            id="returns",
            title=_("Pengembalian per langkah"),
            kind="bar",
            x_labels=x_steps,
            series=(
                Series(
                    key="returns",
                    label=_("Dikembalikan"),
                    values=tuple(returns[step] for step, _l, _r in steps),
                ),
            ),
            unit=_("pengembalian"),
            note=_("Dihitung pada langkah yang mengembalikan, pada tanggal diputus."),
        ),
    ]
