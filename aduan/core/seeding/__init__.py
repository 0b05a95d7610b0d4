"""Seeding: fill a database with realistic sample complaints, fast (`manage.py seed_complaints`).

complaints_seed tops the database up to `total` complaints: it adds the missing ones as
an office of `per_day` complaints a weekday would have received them before the moment
the office was first seeded (aduan.core.seeding.plan), each with its whole history
(aduan.core.seeding.story), in batches of `batch` complaints, one transaction each
(aduan.core.seeding.batch). A run that stops is finished by the next: each batch records
what it wrote in a `seed.complaints` audit event.

The rows are written as the services write them (the audit chain verifies, the running
counts equal a recount, every date is on the office's working calendar), with raw inserts:
executemany on SQLite, COPY on PostgreSQL.
"""

import datetime as dt
import random
import secrets
import time
from dataclasses import dataclass

from django.conf import settings
from django.db import connection, transaction
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _

from aduan.complaints.models import AgendaCounter, Complaint
from aduan.core.seeding.batch import Batch, batch_finish, seeded_events
from aduan.core.seeding.clock import DAY, OfficeClock, epoch_seconds
from aduan.core.seeding.office import (
    OFFICE,
    SeedRefused,
    office_ready,
    open311_key,
    personal_data_pool,
)
from aduan.core.seeding.plan import Plan, plan_from_data
from aduan.core.seeding.rows import Stamps, Writer
from aduan.core.seeding.story import Stories

PER_DAY = 1200  # complaints a weekday: 1,000,000 in about three years
BATCH = 25_000
SIGNER_ROLE = "kadis"  # aduan.papers.letters.SIGNER_ROLE
# On PostgreSQL, as a superuser, the foreign-key checks of the seeded rows are skipped
# (session_replication_role = replica, as pg_restore --disable-triggers does): checking
# some 40 keys a complaint at commit costs a third of the time. The keys are right (SQLite
# checks them at every commit, and a test runs PostgreSQL with the checks).
SKIP_KEY_CHECKS = True


@dataclass(frozen=True)
class SeedReport:
    existing: int
    added: int
    seconds: float
    per_day: int
    anchor: dt.datetime


class Context:
    """What every complaint of a run shares."""

    def __init__(self, *, plan: Plan, version, clock: OfficeClock, rng: random.Random):
        from aduan.papers.letterhead import letterhead_snapshot
        from aduan.papers.models import Letterhead
        from aduan.sla.deadlines import complaint_deadlines

        self.plan, self.clock, self.anchor = plan, clock, plan.anchor
        self.anchor_position = clock.position(plan.anchor)
        self.definition = version.definition
        self.version_id = version.pk
        self.stamps = Stamps(connection.vendor)
        self.office = office_ready(rng=rng)
        self.officials = {u.pk: u for users in self.office.people.values() for u in users}
        self.labels = self.office.labels
        self.pool = personal_data_pool(rng=rng)
        self.open311_key = open311_key()
        self.letterhead = Letterhead.current()
        self.letterhead_snapshot = letterhead_snapshot(self.letterhead)
        self.signer_role = SIGNER_ROLE
        self.signer_title = self.definition.role(SIGNER_ROLE).name
        self.secret = secrets.token_hex(16)  # no seeded complaint can be opened by citizens
        self.reply_wait = settings.REPLY_WAIT_DAYS * DAY
        with translation.override(settings.LANGUAGE_CODE):
            self.withdraw_note = _(
                "Pelapor tidak menjawab permintaan keterangan dalam %(days)s hari."
            ) % {"days": settings.REPLY_WAIT_DAYS}
        self._deadlines: dict[dt.date, tuple] = {}
        self._complaint_deadlines = complaint_deadlines

    def deadlines(self, received: int) -> tuple:
        """verify_due_at, follow_up_due_at, resolve_due_at as stored (by the day received)."""
        day = self.clock.local_day(received)
        found = self._deadlines.get(day)
        if found is None:
            moment = dt.datetime.fromtimestamp(received, tz=self.clock.tz)
            due = self._complaint_deadlines(
                received_at=moment, definition=self.definition, calendar=self.clock.calendar
            )
            found = self._deadlines[day] = tuple(
                self.stamps.db(epoch_seconds(due[name])) if due.get(name) else None
                for name in ("verify_due_at", "follow_up_due_at", "resolve_due_at")
            )
        return found

    def withdraw_message(self, asked: int) -> str:
        """The sweep's message to the citizen when it withdraws the complaint."""
        with translation.override(settings.LANGUAGE_CODE):
            day = formats.date_format(self.clock.local_day(asked), "j F Y")
            return _(
                "Kami belum menerima jawaban atas permintaan keterangan kami tanggal "
                "%(asked)s dalam %(days)s hari, sehingga pengaduan ini kami tutup sebagai "
                "ditarik. Bila masalahnya masih ada, silakan sampaikan pengaduan baru."
            ) % {"asked": day, "days": settings.REPLY_WAIT_DAYS}


def _superuser() -> bool:
    if connection.vendor != "postgresql":
        return False
    with connection.cursor() as cursor:
        cursor.execute("SELECT rolsuper FROM pg_roles WHERE rolname = current_user")
        row = cursor.fetchone()
    return bool(row and row[0])


def seed_plan(*, seed: int, per_day: int, offset: int) -> tuple[Plan, list[tuple[int, int]]]:
    """The office's plan (from its first seeding, or new, anchored now) and the arrival
    ranges [from, to) written so far."""
    events = list(seeded_events().values_list("data", flat=True))
    if events:
        plan = plan_from_data(events[0], offset=offset)
        return plan, sorted((int(e["from"]), int(e["to"])) for e in events)
    anchor = int(timezone.now().timestamp())
    local = anchor + offset
    plan = Plan(
        anchor=anchor,
        anchor_day=dt.date(1970, 1, 1) + dt.timedelta(days=local // DAY),
        anchor_second=local % DAY,
        per_day=per_day,
        seed=seed,
        offsets=dict(AgendaCounter.objects.values_list("year", "last")),
    )
    return plan, []


def ranges_to_write(written: list[tuple[int, int]], count: int) -> list[tuple[int, int]]:
    """The arrival ranges a run writes: first the holes a stopped run left, newest first,
    then on back in time after the oldest written."""
    ranges, end = [], 0
    for first, last in written:
        if first > end:
            ranges.append((end, first))
        end = max(end, last)
    ranges.append((end, end + count))
    chosen = []
    for first, last in ranges:
        take = min(count, last - first)
        if take > 0:
            chosen.append((first, first + take))
            count -= take
    return chosen


def complaints_seed(
    *,
    total: int,
    seed: int = 1,
    still_open: int | None = None,
    batch: int = BATCH,
    per_day: int = PER_DAY,
    progress=None,
) -> SeedReport:
    """Top the database up to `total` complaints. The `still_open` newest seeded complaints
    (a day's worth by default) are still open, spread over the SOP's steps."""
    from aduan.sla.calendar import calendar_for_today
    from aduan.sop.services import sop_load, sop_version_in_force

    started = time.perf_counter()
    version = sop_version_in_force() or sop_load()[0]
    roles = {role.id for role in version.definition.roles}
    if roles != set(OFFICE):
        raise SeedRefused(
            f"The SOP in force ({version.code}) has the roles {', '.join(sorted(roles))}; the "
            f"seeder staffs an office of {', '.join(OFFICE)} only."
        )
    existing = Complaint.objects.count()
    calendar = calendar_for_today()
    now = timezone.now()
    offset = int(now.astimezone(calendar.tz).utcoffset().total_seconds())
    with transaction.atomic():
        plan, written = seed_plan(seed=seed, per_day=per_day, offset=offset)
        rng = random.Random(f"{plan.seed}:office")
        need = total - existing
        todo = ranges_to_write(written, max(need, 0))
        oldest = plan.day_of(max((last for _first, last in todo), default=1) - 1)
        clock = OfficeClock(calendar, oldest - dt.timedelta(days=3), plan.anchor_day)
        ctx = Context(plan=plan, version=version, clock=clock, rng=rng)
    still_open = plan.per_day if still_open is None else still_open
    anchor = dt.datetime.fromtimestamp(plan.anchor, tz=calendar.tz)
    if need <= 0:
        return SeedReport(existing, 0, time.perf_counter() - started, plan.per_day, anchor)
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA cache_size=-1048576")  # 1 GiB: the indexes grow fast
    writer = Writer()
    try:
        added = _run(todo=todo, plan=plan, ctx=ctx, batch=batch, still_open=still_open,
                     writer=writer, progress=progress, need=need, started=started)  # fmt: skip
    finally:
        writer.close()
    return SeedReport(existing, added, time.perf_counter() - started, plan.per_day, anchor)


def _run(*, todo, plan, ctx, batch, still_open, writer, progress, need, started) -> int:
    added, trusted = 0, SKIP_KEY_CHECKS and _superuser()
    for first, last in todo:
        # Oldest first within a run: ids, letter numbers and the audit log follow time.
        for stop in range(last, first, -batch):
            start = max(first, stop - batch)
            entries = plan.window(start, stop - start)
            with transaction.atomic(), writer.idle_on_exit():
                if trusted:
                    with connection.cursor() as cursor:
                        cursor.execute("SET LOCAL session_replication_role = replica")
                work = Batch(writer)
                stories = Stories(ctx=ctx, batch=work)
                rng = random.Random(f"{plan.seed}:{start}")
                for entry in entries:
                    stories.complaint(entry, still_open=entry[4] < still_open, rng=rng)
                batch_finish(
                    batch=work, ctx=ctx, seed_data={**plan.as_data(), "from": start, "to": stop}
                )
            added += len(entries)
            if progress is not None:
                progress(added, need, time.perf_counter() - started)
    return added
