"""The SLA sweep: reminders, overdue steps and unanswered requests, once each.

`sla_sweep()` makes one pass (`manage.py sla_sweep`, or every minute beside the web server
with `--loop`). It never moves a step except to withdraw a complaint whose citizen did not
answer in time, and that goes through the engine (complaint_withdraw).

1. Reminder: an open step whose `remind_at` (75% of its standard time) has come is claimed
   by setting `reminded_at`, and the officials who may act on it are told: those holding its
   role today, acting grants included, less anyone who decided the complaint at another level.
2. Overdue: an open step whose `due_at` has come is claimed by setting `overdue_at`, and the
   officials one level up are told: the roles of the SOP are listed from the lowest level to
   the highest, so Staff → Kasi → Kabid → Kadis. When nobody holds the role above, the next
   one up is told. The top role has nobody above it: an overdue Kadis step is told to the
   Kadis and to the auditors (who watch the office's compliance); so is any step when no role
   above it is held at all.
3. Withdrawal: a complaint that has waited ADUAN_REPLY_WAIT_DAYS calendar days for the
   citizen's reply is closed as withdrawn; the citizen reads why on the tracking page (a
   Message) and the officials holding the open step's role are told.

While a complaint waits for the citizen's reply its clock is paused (aduan.sla.due): its
steps are neither reminded nor marked overdue.

Once, even with two sweeps at once or a worker stopped mid-pass: in one transaction per
batch, the batch's rows are locked in id order and read under the lock, a conditional UPDATE
(`SET reminded_at = now WHERE id IN (...) AND reminded_at IS NULL`) claims those still
unclaimed, and their notices are written. A sweep that stops mid-batch leaves the batch
unclaimed and without notices; the next sweep does it. Two sweeps at once: the second waits
for the first's row locks (PostgreSQL) or write lock (SQLite), then reads the rows claimed
and writes nothing for them.

Speed: the candidates are read through partial indexes that hold only the open steps not yet
reminded (or not yet marked overdue), so a pass that finds nothing reads one empty index
range, however many steps are open. Batches are read by keyset (remind time, id), so a pass
always ends.
"""

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _

from aduan.accounts.selectors import AUDITOR, officials_holding
from aduan.complaints.models import Complaint, ComplaintStep, Message
from aduan.notices.models import Notice
from aduan.notify.events import officials_sla
from aduan.sop.engine import WITHDRAWN, complaint_withdraw
from aduan.sop.models import SopVersion


@dataclass
class SweepCounts:
    reminded: int = 0  # steps reminded
    overdue: int = 0  # steps marked overdue
    withdrawn: int = 0  # complaints closed as withdrawn
    notices: int = 0  # notices written

    def __str__(self) -> str:
        return (
            f"{self.reminded} reminded, {self.overdue} overdue, {self.withdrawn} withdrawn, "
            f"{self.notices} notices"
        )


@dataclass(frozen=True)
class Due:
    """An open step whose time has come, with what its notices say."""

    id: int
    complaint_id: int
    step: str
    role: str
    at: dt.datetime  # remind_at or due_at: the keyset of the batches
    due_at: dt.datetime
    agenda: str
    subject: str
    sop_version_id: int


class _Pass:
    """What one pass reads once: who holds which role today, the SOP versions."""

    def __init__(self, now: dt.datetime):
        self.now = now
        self.today = timezone.localtime(now, timezone.get_default_timezone()).date()
        self._holders: dict[str, set[int]] = {}
        self._versions: dict[int, SopVersion] = {}

    def holders(self, role: str) -> set[int]:
        return self._holders[role]

    def load(self, rows) -> None:
        """The SOP versions of these rows and the holders of every role they may need."""
        missing = {r.sop_version_id for r in rows} - set(self._versions)
        if missing:
            self._versions.update(SopVersion.objects.in_bulk(missing))
        roles = {AUDITOR} | {
            role.id for r in rows for role in self.definition(r.sop_version_id).roles
        }
        roles -= set(self._holders)
        if roles:
            self._holders.update(officials_holding(roles=roles, on=self.today))

    def definition(self, version_id: int):
        return self._versions[version_id].definition


def _decided_roles(complaint_ids) -> dict[int, dict[int, set[str]]]:
    """complaint -> official -> roles they decided: for the separation of duties."""
    decided: dict[int, dict[int, set[str]]] = defaultdict(lambda: defaultdict(set))
    for complaint_id, user_id, role in ComplaintStep.objects.filter(
        complaint_id__in=complaint_ids, decided_by__isnull=False
    ).values_list("complaint_id", "decided_by_id", "role"):
        decided[complaint_id][user_id].add(role)
    return decided


def _when(instant: dt.datetime) -> str:
    return formats.date_format(
        timezone.localtime(instant, timezone.get_default_timezone()), "j M Y H:i"
    )


def _about(row: Due, sweep: _Pass) -> dict:
    definition = sweep.definition(row.sop_version_id)
    return {
        "agenda": row.agenda,
        "subject": row.subject,
        "step": definition.step(row.step).title if definition.has_step(row.step) else row.step,
        "role": definition.role(row.role).name,
        "due": _when(row.due_at),
    }


def reminder_notices(row: Due, sweep: _Pass, decided) -> list[Notice]:
    """To whoever may act on the step: its role's holders today, less anyone who decided
    this complaint at another level (the engine would not let them decide it)."""
    barred = {uid for uid, roles in decided.get(row.complaint_id, {}).items() if roles - {row.role}}
    text = _(
        "Pengingat: pengaduan %(agenda)s “%(subject)s”, langkah “%(step)s” (%(role)s), "
        "jatuh tempo %(due)s."
    ) % _about(row, sweep)
    return [
        Notice(
            recipient_id=uid,
            complaint_id=row.complaint_id,
            step_id=row.id,
            kind=Notice.Kind.REMIND,
            text=text,
            created_at=sweep.now,
        )
        for uid in sorted(sweep.holders(row.role) - barred)
    ]


def escalation_recipients(row: Due, sweep: _Pass) -> set[int]:
    """The officials one level up; for the top role, its holders and the auditors."""
    above = sweep.definition(row.sop_version_id).roles_above(row.role)
    for role in above:
        if sweep.holders(role):
            return set(sweep.holders(role))
    top = set() if above else sweep.holders(row.role)
    return top | sweep.holders(AUDITOR)


def overdue_notices(row: Due, sweep: _Pass, decided) -> list[Notice]:
    text = _(
        "Lewat waktu baku: pengaduan %(agenda)s “%(subject)s”, langkah “%(step)s” "
        "(%(role)s), jatuh tempo %(due)s."
    ) % _about(row, sweep)
    return [
        Notice(
            recipient_id=uid,
            complaint_id=row.complaint_id,
            step_id=row.id,
            kind=Notice.Kind.OVERDUE,
            text=text,
            created_at=sweep.now,
        )
        for uid in sorted(escalation_recipients(row, sweep))
    ]


def _candidates(claimed_field: str, time_field: str, now, after, batch: int) -> list[Due]:
    """The next batch of open, unclaimed steps due by `now`, after the keyset `after`.

    The filter matches the partial index (decided_at and the claim field null), so the
    database reads only the range of that index up to `now`.
    """
    steps = ComplaintStep.objects.filter(
        **{
            "decided_at__isnull": True,
            f"{claimed_field}__isnull": True,
            f"{time_field}__lte": now,
            "complaint__awaiting_reply_since__isnull": True,  # paused: not due
        }
    )
    if after is not None:
        at, pk = after
        steps = steps.filter(Q(**{f"{time_field}__gt": at}) | Q(**{time_field: at, "pk__gt": pk}))
    values = steps.order_by(time_field, "pk").values_list(
        "pk",
        "complaint_id",
        "step",
        "role",
        time_field,
        "due_at",
        "complaint__agenda_seq",
        "complaint__agenda_year",
        "complaint__subject",
        "complaint__sop_version_id",
    )[:batch]
    return [
        Due(pk, complaint_id, step, role, at, due_at, f"{seq:05d}/{year}", subject, version)
        for pk, complaint_id, step, role, at, due_at, seq, year, subject, version in values
    ]


# Each claim: the field a sweep sets once, the time that makes a step due, its notices.
CLAIMS = {
    "reminded": ("reminded_at", "remind_at", reminder_notices),
    "overdue": ("overdue_at", "due_at", overdue_notices),
}


def _claim(ids: list[int], claimed_field: str, now: dt.datetime) -> set[int]:
    """Claim the rows among `ids` that are still open and unclaimed; the ids claimed.

    Call inside the batch's transaction. The rows are locked first, in id order, and read
    under the lock (PostgreSQL: SELECT ... ORDER BY id FOR NO KEY UPDATE waits for a sweep
    that holds one and then reads what it wrote; SQLite: the transaction holds the write lock
    from its start). The conditional UPDATE then sets the claim on those still unclaimed.
    Two sweeps at once, in whatever order of time, lock in one order: no cycle, no repeat.
    """
    current = (
        ComplaintStep.objects.select_for_update(no_key=True)
        .filter(pk__in=ids)
        .order_by("pk")
        .values_list("pk", "decided_at", claimed_field)
    )
    free = [
        pk for pk, decided_at, claimed_at in current if decided_at is None and claimed_at is None
    ]
    if free:
        ComplaintStep.objects.filter(
            pk__in=free, decided_at__isnull=True, **{f"{claimed_field}__isnull": True}
        ).update(**{claimed_field: now})
    return set(free)


def _claim_batch(kind: str, rows: list[Due], sweep: _Pass, counts: SweepCounts) -> None:
    """Claim a batch and write its notices, in one transaction: both or neither."""
    claimed_field, _time, make_notices = CLAIMS[kind]
    sweep.load(rows)
    decided = _decided_roles({r.complaint_id for r in rows}) if kind == "reminded" else {}
    with transaction.atomic():
        claimed = _claim([r.id for r in rows], claimed_field, sweep.now)
        notices = []
        for row in rows:
            if row.id in claimed:
                notices.extend(make_notices(row, sweep, decided))
        Notice.objects.bulk_create(notices, batch_size=500)
        officials_sla(notices=notices, agenda_of={r.complaint_id: r.agenda for r in rows})
    setattr(counts, kind, getattr(counts, kind) + len(claimed))
    counts.notices += len(notices)


def _withdraw_unanswered(sweep: _Pass, batch: int, counts: SweepCounts) -> None:
    """Close the complaints whose citizen has not answered for REPLY_WAIT_DAYS days, in
    batches read by keyset (the wait's start, id) through the index on awaiting_reply_since."""
    days = settings.REPLY_WAIT_DAYS
    cutoff = sweep.now - dt.timedelta(days=days)
    after = None
    while True:
        waiting = Complaint.objects.filter(
            status=Complaint.Status.OPEN, awaiting_reply_since__lte=cutoff
        )
        if after is not None:
            waiting = waiting.filter(
                Q(awaiting_reply_since__gt=after[0])
                | Q(awaiting_reply_since=after[0], pk__gt=after[1])
            )
        rows = list(
            waiting.order_by("awaiting_reply_since", "pk").values_list(
                "pk", "awaiting_reply_since"
            )[:batch]
        )
        for complaint_id, since in rows:
            _withdraw(complaint_id, since, cutoff, days, sweep, counts)
        if len(rows) < batch:
            return
        after = (rows[-1][1], rows[-1][0])


def _withdraw(complaint_id, since, cutoff, days, sweep: _Pass, counts: SweepCounts) -> None:
    """One complaint, in one transaction: the engine closes it (or refuses, if the citizen
    answered meanwhile), the citizen's message, the notices to the step's officials."""
    office_tz = timezone.get_default_timezone()
    asked = formats.date_format(timezone.localtime(since, office_tz), "j F Y")
    with transaction.atomic():
        outcome = complaint_withdraw(
            complaint_id=complaint_id,
            note=_("Pelapor tidak menjawab permintaan keterangan dalam %(days)s hari.")
            % {"days": days},
            awaiting_reply_before=cutoff,
        )
        if not outcome.ok:  # answered, or closed, meanwhile
            return
        Message.objects.create(
            complaint_id=complaint_id,
            direction=Message.Direction.TO_CITIZEN,
            created_at=timezone.now(),
            body=_(
                "Kami belum menerima jawaban atas permintaan keterangan kami tanggal "
                "%(asked)s dalam %(days)s hari, sehingga pengaduan ini kami tutup sebagai "
                "ditarik. Bila masalahnya masih ada, silakan sampaikan pengaduan baru."
            )
            % {"asked": asked, "days": days},
        )
        step = (
            ComplaintStep.objects.filter(complaint_id=complaint_id, decision=WITHDRAWN)
            .select_related("complaint")
            .first()
        )
        notices = []
        if step is not None:
            complaint = step.complaint
            sweep.load([complaint])
            text = _(
                "Pengaduan %(agenda)s “%(subject)s” ditutup sebagai ditarik: pelapor tidak "
                "menjawab permintaan keterangan dalam %(days)s hari."
            ) % {"agenda": complaint.agenda_number, "subject": complaint.subject, "days": days}
            notices = [
                Notice(
                    recipient_id=uid,
                    complaint_id=complaint_id,
                    step_id=step.pk,
                    kind=Notice.Kind.WITHDRAWN,
                    text=text,
                    created_at=sweep.now,
                )
                for uid in sorted(sweep.holders(step.role))
            ]
            Notice.objects.bulk_create(notices)
    counts.withdrawn += 1
    counts.notices += len(notices)


def sla_sweep(*, now: dt.datetime | None = None, batch: int = 500) -> SweepCounts:
    """One pass: reminders, then overdue steps, then unanswered requests. Returns counts."""
    sweep = _Pass(now or timezone.now())
    counts = SweepCounts()
    with translation.override(settings.LANGUAGE_CODE):
        for kind, (claimed_field, time_field, _make) in CLAIMS.items():
            after = None
            while rows := _candidates(claimed_field, time_field, sweep.now, after, batch):
                _claim_batch(kind, rows, sweep, counts)
                if len(rows) < batch:
                    break
                after = (rows[-1].at, rows[-1].id)
        _withdraw_unanswered(sweep, batch, counts)
    return counts
