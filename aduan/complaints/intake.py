"""Taking a public filing fast, and registering it a moment later, in arrival order.

A citizen's filing (the web form, Open311, the REST API) without files is checked by the
request and stored as one row, an `Intake`: the request's only write, so filing stays
fast when many citizens file at once. The citizen gets the tracking code and secret at
once. The intake worker (`manage.py intake_register --loop`, started by `manage.py
serve` and the deployment's units) registers intakes oldest first with
`complaint_register`, the same as every other complaint: agenda number, the SOP's first
step (its clock started when the citizen filed), the running counts, the citizen's
notice, the audit events. Each intake is deleted in the transaction that registers it:
a crash at any point leaves it either an intake or a complaint.

With `settings.INTAKE_AT_ONCE` (ADUAN_INTAKE=at-once; the test suite's default) the
request registers its intake itself, after storing it, through the same function.

A filing with files is registered by its request (complaint_register): its files move
in the transaction that stores its rows.
"""

import json
import logging
from contextlib import nullcontext
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.db import (
    DEFAULT_DB_ALIAS,
    IntegrityError,
    OperationalError,
    connection,
    connections,
    transaction,
)
from django.utils import timezone

from aduan.complaints.forms import ComplaintForm
from aduan.complaints.models import Category, Complaint, Intake
from aduan.complaints.services import NoSopInForce, complaint_register
from aduan.lib.codes import new_tracking_code, new_tracking_secret, tracking_digest
from aduan.lib.crypto import data_encrypt
from aduan.lib.ratelimit import Hit, count_statement
from aduan.lib.turns import quick_turns
from aduan.public.models import RateCounter
from aduan.sla.calendar import calendar_for_today
from aduan.sop.models import SopVersion
from aduan.sop.services import sop_version_in_force

logger = logging.getLogger("aduan.intake")

# The complaint's own fields an intake keeps (the category is kept by its key).
FIELDS = tuple(name for name in ComplaintForm.COMPLAINT_FIELDS if name != "category")


@dataclass(frozen=True)
class Taken:
    """A filing taken: what to show the citizen. `complaint` once registered."""

    tracking_code: str
    tracking_secret: str | None  # None: the same submission taken before
    received_at: datetime
    complaint: Complaint | None


@dataclass(frozen=True)
class Still:
    """What a caller took from its memory instead of the database (Open311: the API key
    and the service), as an SQL condition and its parameters: the statement that writes
    the filing checks it, with the SOP loaded and the tracking code free, and writes
    nothing when it no longer holds (intake_store raises Changed)."""

    sql: str
    params: list


class Changed(Exception):  # noqa: N818 (it is news, not an error)
    """What the caller remembered (Still) no longer holds, or the tracking code drawn is
    taken: nothing was written or counted. Look it up again."""


def intake_store(
    *,
    fields: dict,
    channel: str,
    language: str = "",
    submission_key: str | None = None,
    extras: dict | None = None,
    checked_code: str | None = None,
    counted: Hit | None = None,
    still: Still | None = None,
) -> Taken | None:
    """Store a checked filing as an intake (one INSERT) and return its tracking code and
    secret; registered at once with settings.INTAKE_AT_ONCE. `fields` as
    ComplaintForm.complaint_fields() gives them; `extras` what the channel adds (Open311:
    {"open311": {"key": pk, "description_public": bool, "media_url": str}}).

    `checked_code`: a tracking code the caller drew and found free, with an SOP loaded,
    in a statement of its own (Open311 asks that with its other lookups).

    `counted`: the client's hit against its rate (aduan.lib.ratelimit.client_hit), counted
    with the INSERT, so that a filing commits once. Past the rate its count is kept,
    nothing is stored, and None is returned.

    `still`: what the caller took from its memory, checked by the writing statement
    (with the SOP loaded and the tracking code free) instead of beforehand; Changed is
    raised when it no longer holds, with nothing written or counted.

    Raises NoSopInForce when no SOP is loaded (nothing could be registered)."""
    if submission_key:
        earlier = _earlier(submission_key)
        if earlier is not None:
            return earlier
    category: Category = fields["category"]
    now = timezone.now()
    body = {name: fields[name] for name in FIELDS}
    body |= {"category": category.pk, "language": language or settings.LANGUAGE_CODE}
    for attempt in range(5):
        code, secret = checked_code or new_tracking_code(), new_tracking_secret()
        when = None
        if still is not None:  # checked by the writing statement
            when = (f"{_sop_loaded_and_code_free()} AND {still.sql}", [code, *still.params])
        elif checked_code is None:
            sop_loaded, code_taken = _sop_loaded_and_code_taken(code)
            if not sop_loaded:  # nothing could be registered
                raise NoSopInForce("No SOP is loaded: run `manage.py sop_load` first.")
            if code_taken:
                continue  # taken by a registered complaint (1 in 2^40 a pair): draw again
        checked_code = None
        payload = json.dumps(body | {"secret": secret, "extras": extras or {}})
        try:
            stored = _insert(
                counted=counted,
                when=when,
                code=code,
                digest=tracking_digest(code, secret),
                submission_key=submission_key,
                channel=channel,
                received_at=now,
                payload=payload,
            )
        except IntegrityError:
            if submission_key and (earlier := _earlier(submission_key)) is not None:
                return earlier  # the same form posted twice at once
            if attempt == 4:
                raise
            continue
        if not stored:
            return None  # past the client's rate
        complaint = None
        if settings.INTAKE_AT_ONCE:
            complaint = intake_register_one(code)
        return Taken(code, secret, now, complaint)
    raise IntegrityError("no free tracking code in 5 draws")


COLUMNS = "(tracking_code, tracking_digest, submission_key, channel, received_at, payload, error)"


def _insert(
    *,
    counted: Hit | None,
    when: tuple[str, list] | None,
    code,
    digest,
    submission_key,
    channel,
    received_at,
    payload,
) -> bool:
    """The intake's one INSERT, written out (the ORM's model save costs a filing about a
    millisecond more; bench/README.md), with the client's rate count when there is one,
    and written only `when` the caller's condition holds (else Changed). False: past the
    client's rate, counted and not stored.

    On SQLite the count and the INSERT are one statement, which commits by itself: an
    INSERT into a view whose trigger counts and stores (COUNTED, made by `migrate`), so
    the one write lock is taken once. On PostgreSQL they are two statements on one
    cursor, each committing by itself: the count first, in an UNLOGGED table, which
    commits without waiting for the disk. (One statement, a WITH of both writes, held
    the counter's row until the filing's commit was flushed to disk, so filings from
    one address, an Open311 partner's server, waited for each other's flush;
    bench/README.md.) SQLite without its view (a `migrate` running beside the server
    drops it for a moment) takes the two statements too. A crash between them leaves a
    count without a filing: the client's rate one lower, nothing lost or half-stored."""
    conn = connections[DEFAULT_DB_ALIAS]  # looked up once: each use of `connection` costs
    postgresql = conn.vendor == "postgresql"
    table = conn.ops.quote_name(Intake._meta.db_table)
    values = [
        code,
        digest,
        submission_key,
        channel,
        conn.ops.adapt_datetimefield_value(received_at),
        data_encrypt(payload),
    ]
    if postgresql:  # a SELECT's parameters need their types
        row = "%s::varchar, %s::varchar, %s::varchar, %s::varchar, %s::timestamptz, %s::text"
    else:
        row = "%s, %s, %s, %s, %s, %s"
    # Inside a caller's transaction, a savepoint: a taken tracking code (IntegrityError,
    # drawn again by the caller) must not spoil the caller's transaction.
    alone = transaction.atomic() if conn.in_atomic_block else nullcontext()
    if counted is not None and not postgresql:
        counters = conn.ops.quote_name(RateCounter._meta.db_table)
        sql = (
            f"INSERT INTO {COUNTED} (bucket, expires_at, rate, {COLUMNS[1:]} "
            f"SELECT %s, %s, %s, {row}, ''"
            + (f" WHERE {when[0]}" if when else "")
            + f" RETURNING (SELECT hits FROM {counters} WHERE bucket = %s)"
        )
        params = [counted.bucket, counted.window_ends, counted.rate.hits, *values]
        params += [*(when[1] if when else []), counted.bucket]

        def count_and_insert():
            with alone, conn.cursor() as cursor:
                cursor.execute(sql, params)
                return cursor.fetchone()

        with quick_turns() as turn:
            try:
                found = turn(count_and_insert)
            except OperationalError as error:
                if COUNTED not in str(error):
                    raise
                found = False  # no view: two statements, below
            if found is None:
                raise Changed
            if found:
                return counted.settled(found[0], turn=turn)

    if counted is not None and postgresql:  # two statements on one cursor
        with conn.cursor() as cursor:
            hits = counted.hits(when, cursor=cursor)
            if hits is None:
                raise Changed
            if not counted.settled(hits):
                return False
            with alone:
                cursor.execute(f"INSERT INTO {table} {COLUMNS} VALUES ({row}, '')", values)
        return True

    def insert() -> None:
        with alone, conn.cursor() as cursor:
            if when is None:
                cursor.execute(f"INSERT INTO {table} {COLUMNS} VALUES ({row}, '')", values)
                return
            cursor.execute(
                f"INSERT INTO {table} {COLUMNS} SELECT {row}, '' WHERE {when[0]}",
                [*values, *when[1]],
            )
            if cursor.rowcount == 0:
                raise Changed

    with quick_turns() as turn:
        if counted is not None:
            hits = turn(lambda: counted.hits(when))
            if hits is None:
                raise Changed
            if not counted.settled(hits, turn=turn):
                return False
            when = None  # checked by the count
        turn(insert)
    return True


# SQLite: the rate count and the intake's INSERT as one statement. An INSERT into this
# view runs its trigger, which counts the hit (ratelimit.count_statement) and stores the
# intake while the window's hits are within the rate; the INSERT's RETURNING reads the
# hits back, in the same statement. A view is dropped before every `migrate` and made
# after it (apps.py): SQLite cannot rebuild a table that a view names (Django rebuilds a
# table to alter a column), and a changed definition is made anew.
COUNTED = "aduan_intake_counted"


def counted_view_drop(*, using: str = DEFAULT_DB_ALIAS, **kwargs) -> None:
    """pre_migrate: drop the view (its trigger goes with it)."""
    conn = connections[using]
    if conn.vendor == "sqlite":
        with conn.cursor() as cursor:
            cursor.execute(f"DROP VIEW IF EXISTS {COUNTED}")


def counted_view_make(*, using: str = DEFAULT_DB_ALIAS, **kwargs) -> None:
    """post_migrate: make the view and its trigger (once the tables they name exist)."""
    conn = connections[using]
    if conn.vendor != "sqlite":
        return
    intakes, counters = Intake._meta.db_table, RateCounter._meta.db_table
    if not {intakes, counters} <= set(conn.introspection.table_names()):
        return  # migrated back past one of them
    intakes, counters = conn.ops.quote_name(intakes), conn.ops.quote_name(counters)
    names = COLUMNS[1:-1]
    new = ", ".join(f"NEW.{name.strip()}" for name in names.split(","))
    with conn.cursor() as cursor:
        cursor.execute(
            f"CREATE VIEW IF NOT EXISTS {COUNTED} AS SELECT NULL AS bucket, "
            f"NULL AS expires_at, NULL AS rate, {names} FROM {intakes} WHERE 0"
        )
        cursor.execute(
            f"CREATE TRIGGER IF NOT EXISTS {COUNTED}_insert INSTEAD OF INSERT ON {COUNTED} "
            f"BEGIN {count_statement(counters, 'VALUES (NEW.bucket, 1, NEW.expires_at)')}; "
            f"INSERT INTO {intakes} ({names}) SELECT {new} WHERE (SELECT hits FROM "
            f"{counters} WHERE bucket = NEW.bucket) <= NEW.rate; END"
        )


def _sop_loaded_and_code_free() -> str:
    """The SQL condition, with the tracking code as its parameter, that an SOP is loaded
    and no complaint has the code (written once per database: a filing's every
    microsecond counts)."""
    conn = connections[DEFAULT_DB_ALIAS]
    sql = _CONDITIONS.get(conn.vendor)
    if sql is None:
        sql = _CONDITIONS[conn.vendor] = (
            f"EXISTS (SELECT 1 FROM {_quoted(SopVersion)}) AND NOT EXISTS (SELECT 1 FROM "
            f"{_quoted(Complaint)} WHERE tracking_code = %s)"
        )
    return sql


_CONDITIONS: dict[str, str] = {}


def _quoted(model) -> str:
    return connection.ops.quote_name(model._meta.db_table)


def _sop_loaded_and_code_taken(code: str) -> tuple[bool, bool]:
    """Whether an SOP is loaded, and whether a complaint has this tracking code: one
    statement (each statement is a good part of a filing's time)."""
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT EXISTS (SELECT 1 FROM {_quoted(SopVersion)}), "
            f"EXISTS (SELECT 1 FROM {_quoted(Complaint)} WHERE tracking_code = %s)",
            [code],
        )
        loaded, taken = cursor.fetchone()
    return bool(loaded), bool(taken)


def _earlier(submission_key: str) -> Taken | None:
    """The filing this submission key made before, if any (its secret not known)."""
    complaint = Complaint.objects.filter(submission_key=submission_key).first()
    if complaint is not None:
        return Taken(complaint.tracking_code, None, complaint.received_at, complaint)
    intake = Intake.objects.filter(submission_key=submission_key).first()
    if intake is not None:
        return Taken(intake.tracking_code, None, intake.received_at, None)
    return None


def intake_taken(*, submission_key: str) -> bool:
    """Whether this submission of the form was filed already (registered or waiting)."""
    return (
        Complaint.objects.filter(submission_key=submission_key).exists()
        or Intake.objects.filter(submission_key=submission_key).exists()
    )


def intake_register_one(tracking_code: str) -> Complaint | None:
    """Register the intake with this tracking code now (with the request that stored it);
    None if it is gone already (the worker took it) or failed (kept, logged, for the
    worker to report)."""
    with transaction.atomic():
        rows = Intake.objects.filter(tracking_code=tracking_code, failed_at__isnull=True)
        if connection.features.has_select_for_update:
            rows = rows.select_for_update()
        intake = rows.first()
        if intake is None:
            return None
        return _register_or_mark(intake, _Batch())


class _Batch:
    """What every registration of a batch reads alike, read once: the SOP in force, the
    working calendar, the categories."""

    def __init__(self):
        self.version = sop_version_in_force()
        if self.version is None:
            raise NoSopInForce("No SOP is loaded: run `manage.py sop_load` first.")
        self.calendar = calendar_for_today()
        self.categories: dict[int, Category] = {}

    def category(self, pk: int) -> Category:
        if pk not in self.categories:
            self.categories[pk] = Category.objects.get(pk=pk)
        return self.categories[pk]


def _register_or_mark(intake: Intake, batch: "_Batch") -> Complaint | None:
    try:
        with transaction.atomic():
            complaint = _register(intake, batch)
            intake.delete()
        return complaint
    except Exception as exc:
        logger.exception("intake %s could not be registered", intake.tracking_code)
        Intake.objects.filter(pk=intake.pk).update(
            failed_at=timezone.now(), error=f"{type(exc).__name__}: {exc}"[:500]
        )
        return None


def _register(intake: Intake, batch: _Batch) -> Complaint:
    body = json.loads(intake.payload)
    extras = body.get("extras") or {}
    complaint = complaint_register(
        **{name: body[name] for name in FIELDS},
        category=batch.category(body["category"]),
        version=batch.version,
        calendar=batch.calendar,
        channel=intake.channel,
        submission_key=intake.submission_key,
        language=body["language"],
        tracking=(intake.tracking_code, body["secret"]),
        received_at=intake.received_at,
    )
    if "open311" in extras:
        from aduan.open311.submit import open311_noted

        open311_noted(complaint=complaint, **extras["open311"])
    return complaint


@dataclass(frozen=True)
class Pass:
    """A pass of the intake worker: intakes taken; whether filings are still arriving
    (one received in the last second); and whether the worker is behind (the oldest
    waiting was received longer ago than the catch-up time). It gives way to the web
    requests while filings arrive and it is not behind."""

    taken: int
    arriving: bool
    behind: bool = False

    @property
    def giving_way(self) -> bool:
        return self.arriving and not self.behind

    def __str__(self) -> str:
        return (
            f"{self.taken} registered"
            + (", filings arriving" if self.arriving else "")
            + (", behind: catching up" if self.behind else "")
        )


ARRIVING = timedelta(seconds=1)
CATCH_UP = timedelta(minutes=5)


def intakes_pass(*, limit: int = 10, catch_up: timedelta = CATCH_UP) -> Pass:
    """One pass of `manage.py intake_register --loop`."""
    taken = intakes_register(limit=limit)
    now = timezone.now()
    newest = Intake.objects.order_by("-pk").values_list("received_at", flat=True).first()
    oldest = (
        Intake.objects.filter(failed_at__isnull=True)
        .order_by("pk")
        .values_list("received_at", flat=True)
        .first()
    )
    return Pass(
        taken,
        arriving=newest is not None and now - newest < ARRIVING,
        behind=oldest is not None and now - oldest >= catch_up,
    )


def intakes_register(*, limit: int = 50) -> int:
    """Register up to `limit` waiting intakes, oldest first, each in its own savepoint of
    one transaction; returns how many were taken (registered or marked failed). Safe to
    run in several processes at once: the batches take turns (PostgreSQL: the oldest rows
    locked, so a second worker waits for them and then finds them gone; SQLite: one
    writer at a time), so agenda numbers follow the order of arrival. A second worker is
    for availability, not speed: two registering side by side would number out of order."""
    with transaction.atomic():
        rows = Intake.objects.filter(failed_at__isnull=True).order_by("pk")
        if connection.features.has_select_for_update:
            rows = rows.select_for_update()
        intakes = list(rows[:limit])
        if not intakes:
            return 0
        try:
            batch = _Batch()
        except NoSopInForce:
            logger.warning("intakes wait: no SOP is loaded (run `manage.py sop_load`)")
            return 0
        for intake in intakes:
            _register_or_mark(intake, batch)
    return len(intakes)


@dataclass(frozen=True)
class Held:
    """Filings the intake worker has not registered that officials should hear of: those
    waiting past the catch-up time (the worker stopped, or is far behind) and those whose
    registration failed (kept, for `intake_register --status` and `--retry-failed`)."""

    late: int
    oldest: datetime | None  # when the oldest late one was filed
    failed: int


def intakes_held(*, now: datetime | None = None) -> Held | None:
    """Held, in one statement; None when nothing is held (the usual answer: the worker
    registers a filing within seconds)."""
    from django.db.models import Count, Min, Q

    late = Q(failed_at__isnull=True, received_at__lt=(now or timezone.now()) - CATCH_UP)
    found = Intake.objects.aggregate(
        late=Count("pk", filter=late),
        oldest=Min("received_at", filter=late),
        failed=Count("pk", filter=Q(failed_at__isnull=False)),
    )
    if not found["late"] and not found["failed"]:
        return None
    return Held(found["late"], found["oldest"], found["failed"])


def intakes_waiting() -> dict:
    """How many intakes wait, the oldest's age in seconds, and how many failed."""
    now = timezone.now()
    oldest = (
        Intake.objects.filter(failed_at__isnull=True)
        .order_by("pk")
        .values_list("received_at", flat=True)
        .first()
    )
    return {
        "waiting": Intake.objects.filter(failed_at__isnull=True).count(),
        "oldest_seconds": round((now - oldest).total_seconds()) if oldest else 0,
        "failed": Intake.objects.filter(failed_at__isnull=False).count(),
    }
