"""One batch of seeded complaints: the rows of every table, the letters numbered in the
order they were issued, the audit events chained in the order they happened, and the
running counts, written in one transaction."""

import hashlib
import json
import secrets
from collections import defaultdict
from dataclasses import dataclass, field

from django.utils import timezone

from aduan.audit.models import AuditEvent, AuditHead
from aduan.audit.services import GENESIS
from aduan.complaints.models import AgendaCounter, Complaint, ComplaintStep, Draft, Message, Rating
from aduan.core.seeding.encoding import content_sha256, jdump
from aduan.core.seeding.rows import Ids, Writer, counts_add
from aduan.core.seeding.rows import Table as Rows
from aduan.dashboard.models import DayCount, OwnAnswer, OwnDayCount, OwnStepDayCount, StepDayCount
from aduan.open311.models import Open311Request
from aduan.papers.letters import ANONYMOUS_ADDRESSEE, SUBJECTS
from aduan.papers.models import ROMAN_MONTHS, AnswerLetter, LetterCounter

SEED_ACTION = "seed.complaints"


def _tables(writer: Writer) -> dict[str, Rows]:
    # The order they are written in: what is pointed at first (the keys are checked at
    # commit anyway: Django's foreign keys are deferrable).
    def table(model, columns):
        return Rows(model, columns, writer=writer)

    return {
        "complaint": table(Complaint, (
            "id", "tracking_code", "agenda_year", "agenda_seq", "channel", "name",
            "is_anonymous", "phone", "email", "nik", "category_id", "subject", "description",
            "is_confidential", "language", "sop_version_id", "current_step", "status",
            "received_at", "closed_at", "tracking_digest", "registered_by_id",
            "awaiting_reply_since", "verify_due_at", "follow_up_due_at", "resolve_due_at",
            "answer_kind", "answer_text", "answer_minutes", "answered_month",
        )),
        "step": table(ComplaintStep, (
            "id", "complaint_id", "seq", "step", "role", "started_at", "due_at", "remind_at",
            "reminded_at", "overdue_at", "paused_minutes", "decided_at", "decided_by_id",
            "decision", "next_step", "note", "working_minutes", "within_standard",
        )),
        "draft": table(Draft, (
            "id", "complaint_id", "seq", "step_id", "kind", "body", "author_id", "created_at",
        )),
        "message": table(Message, (
            "id", "complaint_id", "direction", "body", "author_id", "created_at",
        )),
        "letter": table(AnswerLetter, (
            "id", "complaint_id", "number", "year", "seq", "dated", "issued_at", "addressee",
            "subject", "kind", "body", "signer_id", "signer_name", "signer_nip",
            "signer_title", "letterhead", "verify_token", "content_sha256",
        )),
        "rating": table(Rating, (
            "id", "complaint_id", "score", "comment", "answers", "created_at",
        )),
        "open311": table(Open311Request, (
            "id", "complaint_id", "key_id", "description_public", "created_at",
        )),
        "own_answer": table(OwnAnswer, (
            "official_id", "complaint_id", "category_id", "answered_at", "answered_month",
            "answer_minutes",
        )),
    }  # fmt: skip


@dataclass
class Counts:
    """The running counts of one batch, keyed as aduan.dashboard.models keys them (days
    as day numbers since 1970 on the office's calendar)."""

    days: dict = field(default_factory=lambda: defaultdict(lambda: [0, 0, 0, 0, 0]))
    steps: dict = field(default_factory=lambda: defaultdict(lambda: [0, 0, 0]))
    own_days: dict = field(default_factory=lambda: defaultdict(lambda: [0, 0, 0, 0]))
    own_steps: dict = field(default_factory=lambda: defaultdict(lambda: [0, 0, 0]))


class Batch:
    """What one transaction writes: ids, rows, audit events, letters, counts."""

    def __init__(self, writer: Writer):
        self.writer = writer
        self.ids = {
            name: Ids(model)
            for name, model in (
                ("complaint", Complaint),
                ("step", ComplaintStep),
                ("draft", Draft),
                ("message", Message),
                ("letter", AnswerLetter),
                ("rating", Rating),
                ("open311", Open311Request),
            )
        }
        self.tables = _tables(writer)
        self.events: list[tuple] = []  # (at, actor, action, type, id, complaint, data JSON)
        self.letters: list[tuple] = []  # answers sent, numbered at the end
        self.counts = Counts()
        self.numbers: dict[int, int] = {}  # agenda year -> highest number written


def batch_finish(*, batch: Batch, ctx, seed_data: dict) -> None:
    """Number the letters, write every row, chain the audit events, add the counts. The
    queries run while the writer is idle (Writer's rule)."""
    writer = batch.writer
    writer.drain()
    _letters(batch, ctx)
    for table in batch.tables.values():
        table.flush()
    writer.drain()
    head, _created = AuditHead.objects.select_for_update().get_or_create(
        pk=1, defaults={"last_hash": GENESIS}
    )
    last = _events(batch, ctx, seed_data, head.last_hash)
    writer.drain()
    AuditHead.objects.filter(pk=1).update(last_hash=last)
    counts, day = batch.counts, ctx.clock.day_date
    counts_add(
        DayCount,
        ("day", "category_id", "channel"),
        ("received", "answered", "withdrawn", "rated", "score_sum"),
        {(day(d), c, ch): v for (d, c, ch), v in counts.days.items()},
    )
    counts_add(
        StepDayCount,
        ("day", "step", "category_id"),
        ("decided", "within", "returns"),
        {(day(d), s, c): v for (d, s, c), v in counts.steps.items()},
    )
    counts_add(
        OwnDayCount,
        ("official_id", "day", "category_id", "channel"),
        ("taken_up", "answered", "rated", "score_sum"),
        {(o, day(d), c, ch): v for (o, d, c, ch), v in counts.own_days.items()},
    )
    counts_add(
        OwnStepDayCount,
        ("official_id", "day", "step", "category_id"),
        ("decided", "within", "returns"),
        {(o, day(d), s, c): v for (o, d, s, c), v in counts.own_steps.items()},
    )
    for year, number in batch.numbers.items():
        AgendaCounter.objects.get_or_create(year=year)
        AgendaCounter.objects.filter(year=year, last__lt=number).update(last=number)


def _letters(batch: Batch, ctx) -> None:
    """Answer letters in the order they were issued, numbered on from each year's counter
    in the office's format (aduan.papers.letters.letter_issue)."""
    batch.letters.sort(key=lambda letter: (letter[0], letter[1]))
    counters: dict[int, int] = {}
    for year in sorted({ctx.clock.local_day(letter[0]).year for letter in batch.letters}):
        counters[year] = LetterCounter.objects.get_or_create(year=year)[0].last
    rows = []
    fmt = ctx.letterhead.letter_number_format
    letterhead = json.dumps(ctx.letterhead_snapshot, ensure_ascii=False)
    db = ctx.stamps.db
    for closed, pk, code, name, kind, body, signer, sender, year, number in batch.letters:
        dated = ctx.clock.local_day(closed)
        counters[dated.year] += 1
        seq = counters[dated.year]
        letter_no = fmt.format(
            seq=seq,
            year=dated.year,
            month=dated.month,
            month_roman=ROMAN_MONTHS[dated.month - 1],
            agenda=f"{number:05d}/{year}",
            agenda_seq=number,
        )[:120]
        subject = SUBJECTS.get(kind, SUBJECTS["answer"])
        official = ctx.officials[signer]
        digest = content_sha256(letter_no, dated.isoformat(), subject, body)
        letter = batch.ids["letter"].take()
        rows.append((
            letter, pk, letter_no, dated.year, seq, dated.isoformat(), db(closed),
            (name or ANONYMOUS_ADDRESSEE.format(code=code))[:200], subject, kind, body, signer,
            (official.get_full_name() or official.username)[:200], official.nip,
            ctx.signer_title, letterhead, secrets.token_urlsafe(16), digest,
        ))  # fmt: skip
        data = {
            "number": letter_no,
            "dated": dated.isoformat(),
            "kind": kind,
            "signer": signer,
            "signer_title": ctx.signer_title,
            "content_sha256": digest,
        }
        batch.events.append(
            (closed, sender, "letter.issued", "papers.answerletter", str(letter), pk,
             jdump(data))
        )  # fmt: skip
    for year, last in counters.items():
        LetterCounter.objects.filter(year=year).update(last=last)
    for row in rows:  # after the queries: the writer may start on them
        batch.tables["letter"].add(row)


def _events(batch: Batch, ctx, seed_data: dict, prev: str) -> str:
    """The batch's audit events in the order they happened, then the batch's own, chained
    from the head's hash `prev` as audit_record chains them (aduan.audit.services._digest).
    Returns the last hash."""
    events = batch.events
    events.sort(key=lambda event: event[0])
    now = int(timezone.now().timestamp())
    events.append((now, None, SEED_ACTION, "", "", None, jdump(seed_data)))
    table = Rows(AuditEvent, (
        "at", "actor_id", "actor_label", "action", "target_type", "target_id", "complaint_id",
        "data", "prev_hash", "hash",
    ), writer=batch.writer)  # fmt: skip
    labels = {pk: json.dumps(label, ensure_ascii=False) for pk, label in ctx.labels.items()}
    labels[None] = '""'
    quoted: dict[str, str] = {}
    stamps, sha256 = ctx.stamps, hashlib.sha256
    for at, actor, action, target_type, target_id, complaint_id, data in events:
        key = (action, target_type)
        if key not in quoted:
            quoted[key] = f"{json.dumps(action)},{json.dumps(target_type)}"
        payload = (
            f'["{prev}","{stamps.iso(at)}",{"null" if actor is None else actor},{quoted[key]},'
            f'"{target_id}",{"null" if complaint_id is None else complaint_id},{data},'
            f"{labels[actor]}]"
        )
        digest = sha256(payload.encode()).hexdigest()
        label = ctx.labels[actor] if actor is not None else ""
        table.add((stamps.db(at), actor, label, action, target_type, target_id, complaint_id,
                   data, prev, digest))  # fmt: skip
        prev = digest
    table.flush()
    return prev


def seeded_events():
    """The `seed.complaints` events, oldest first: what each batch wrote."""
    return AuditEvent.objects.filter(action=SEED_ACTION).order_by("id")
