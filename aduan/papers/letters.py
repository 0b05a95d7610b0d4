"""Answer letters: issued with the answer, rendered once and kept, checked by anyone.

Services (write): letter_issue (inside the transaction that sends the answer),
letter_render (the PDF, once; after commit by a task, or on the first download),
letter_download (an official's download, checked and audited), letter_copy_check (the
public verification of an uploaded copy). Selectors (read): letter_for_token,
letter_for_complaint, letter_pdf_bytes.

Everything printed is copied into the AnswerLetter when it is issued, so the letter reads
the same whatever changes later. The content hash is the SHA-256 of the UTF-8 JSON array
[number, date (ISO), subject, body] written without spaces (content_hash); the PDF's
SHA-256 is what a copy must match byte for byte.
"""

import hashlib
import hmac
import json
import logging
import re
import secrets
from dataclasses import dataclass
from functools import partial

from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from aduan.accounts.selectors import can_view_personal_data, office_today, official_signature
from aduan.audit.services import audit_record
from aduan.complaints.models import Complaint, ComplaintStep
from aduan.papers.letterhead import letterhead_snapshot
from aduan.papers.models import (
    ROMAN_MONTHS,
    AnswerLetter,
    LetterCounter,
    Letterhead,
    letter_number_format_problem,
)
from aduan.papers.signing import SignatureReport, pdf_signature_report
from aduan.sop.engine import Outcome

logger = logging.getLogger(__name__)

# Printed documents are in Bahasa Indonesia whatever the interface language.
SUBJECTS = {"answer": "Jawaban atas pengaduan", "referral": "Penerusan pengaduan"}
SIGNER_ROLE = "kadis"  # the letter is signed by whoever approved at the Kepala Dinas step
ANONYMOUS_ADDRESSEE = "Pelapor {code}"
TOKEN_SHAPE = re.compile(r"[A-Za-z0-9_-]{16,32}")
CHUNK = 64 * 1024


def content_hash(*, number: str, dated, subject: str, body: str) -> str:
    """SHA-256 of what the letter says: number, date, subject and answer, canonically."""
    payload = json.dumps(
        [number, dated.isoformat(), subject, body], ensure_ascii=False, separators=(",", ":")
    )
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


def letter_seq_next(*, year: int) -> int:
    """The next letter number of the year, without gaps: the counter row stays locked
    until the caller's transaction ends (and rolls back with it)."""
    LetterCounter.objects.get_or_create(year=year)
    LetterCounter.objects.filter(year=year).update(last=F("last") + 1)
    return LetterCounter.objects.get(year=year).last


def letter_number(*, fmt: str, seq: int, dated, complaint: Complaint) -> str:
    """The letter number in the office's format (Letterhead.letter_number_format)."""
    if letter_number_format_problem(fmt):  # set around the admin's check: keep numbering
        logger.error("unusable letter number format %r; the default is used", fmt)
        fmt = Letterhead._meta.get_field("letter_number_format").default
    number = fmt.format(
        seq=seq,
        year=dated.year,
        month=dated.month,
        month_roman=ROMAN_MONTHS[dated.month - 1],
        agenda=complaint.agenda_number,
        agenda_seq=complaint.agenda_seq,
    )
    # A format without {year} repeats last year's numbers: keep each number unique.
    for candidate in (number, f"{number}/{dated.year}", f"{number}/{dated.year}/{seq}"):
        if not AnswerLetter.objects.filter(number=candidate).exists():
            return candidate[:120]
    raise ValueError(f"no free letter number for {number!r}")


def _addressee(complaint: Complaint) -> str:
    if complaint.is_anonymous or not complaint.name:
        return ANONYMOUS_ADDRESSEE.format(code=complaint.tracking_code)
    return complaint.name


def _signer(*, complaint: Complaint, actor):
    """(official, role, date) of the approval the letter carries: the latest approval at
    the Kepala Dinas step; for an SOP without one, the official who sent the answer."""
    steps = ComplaintStep.objects.select_related("decided_by").filter(
        complaint_id=complaint.pk, decision="approve", decided_by__isnull=False
    )
    step = steps.filter(role=SIGNER_ROLE).order_by("-seq").first() or steps.order_by("-seq").first()
    if step is None:
        return actor, None, office_today()
    on = timezone.localdate(step.decided_at, timezone=timezone.get_default_timezone())
    return step.decided_by, step.role, on


def letter_issue(*, complaint_id: int, actor) -> AnswerLetter:
    """Issue the answer letter of a complaint whose answer is being sent. Call inside that
    transaction: the number is taken from the year's counter, the content copied, the
    issue audited, and the PDF rendered by a task once the transaction commits."""
    existing = AnswerLetter.objects.filter(complaint_id=complaint_id).first()
    if existing is not None:
        return existing
    complaint = Complaint.objects.select_related("sop_version").get(pk=complaint_id)
    dated = office_today()
    seq = letter_seq_next(year=dated.year)
    letterhead = Letterhead.current()
    number = letter_number(
        fmt=letterhead.letter_number_format, seq=seq, dated=dated, complaint=complaint
    )
    kind = complaint.answer_kind or "answer"
    subject = SUBJECTS.get(kind, SUBJECTS["answer"])
    body = complaint.answer_text
    signer, role, on = _signer(complaint=complaint, actor=actor)
    definition = complaint.sop_version.definition
    if role is not None and role in {r.id for r in definition.roles}:
        title = official_signature(user=signer, role=role, definition=definition, on=on)
    else:
        title = signer.position or str(signer)
    letter = AnswerLetter.objects.create(
        complaint=complaint,
        number=number,
        year=dated.year,
        seq=seq,
        dated=dated,
        issued_at=timezone.now(),
        addressee=_addressee(complaint)[:200],
        subject=subject,
        kind=kind,
        body=body,
        signer=signer,
        signer_name=(signer.get_full_name() or signer.username)[:200],
        signer_nip=signer.nip,
        signer_title=title[:200],
        letterhead=letterhead_snapshot(letterhead),
        verify_token=secrets.token_urlsafe(16),
        content_sha256=content_hash(number=number, dated=dated, subject=subject, body=body),
    )
    audit_record(
        action="letter.issued",
        actor=actor,
        target=letter,
        complaint_id=complaint_id,
        data={
            "number": number,
            "dated": dated,
            "kind": kind,
            "signer": signer.pk,
            "signer_title": letter.signer_title,
            "content_sha256": letter.content_sha256,
        },
    )
    transaction.on_commit(partial(_render_later, letter.pk), robust=True)
    return letter


def _render_later(letter_id: int) -> None:
    from aduan.papers.tasks import letter_render_task

    letter_render_task.enqueue(letter_id)


def letter_render(*, letter_id: int) -> AnswerLetter | None:
    """The letter with its PDF, rendering (and signing) it if not done yet; None when the
    letter does not exist or rendering failed (logged; tried again on the next download).
    Two renders at once keep one file: the first to store wins, the other's is deleted."""
    from aduan.papers.letter_pdf import letter_pdf_build

    letter = AnswerLetter.objects.select_related("complaint").filter(pk=letter_id).first()
    if letter is None or letter.pdf_sha256:
        return letter
    try:
        content, signed = letter_pdf_build(letter=letter)
    except Exception:
        logger.exception("answer letter %s could not be rendered (tried again later)", letter)
        return None
    return _letter_store(letter, content, signed=signed)


def _letter_store(letter: AnswerLetter, content: bytes, *, signed: bool) -> AnswerLetter | None:
    # A name of its own per write: an S3 bucket has no create-if-absent, so two renders
    # could both write `surat-<pk>.pdf` and the loser's cleanup delete the winner's file.
    # Names already stored (without the suffix) stay as the database has them.
    digest = hashlib.sha256(content).hexdigest()
    field = letter.pdf.field
    name = field.storage.save(
        field.generate_filename(letter, f"surat-{letter.pk}-{secrets.token_hex(4)}.pdf"),
        ContentFile(content),
    )
    won = 0
    try:
        with transaction.atomic():
            won = AnswerLetter.objects.filter(pk=letter.pk, pdf_sha256="").update(
                pdf=name,
                pdf_sha256=digest,
                pdf_size=len(content),
                pdf_signed=signed,
                rendered_at=timezone.now(),
            )
            if won:
                audit_record(
                    action="letter.rendered",
                    target=letter,
                    complaint_id=letter.complaint_id,
                    data={"number": letter.number, "pdf_sha256": digest, "signed": signed},
                )
    except Exception:
        logger.exception("answer letter %s could not be stored (tried again later)", letter)
        won = 0
        letter = None
    finally:
        if not won:
            field.storage.delete(name)  # another render was first, or this one failed
    if letter is not None:
        letter.refresh_from_db()
    return letter


# Selectors ---------------------------------------------------------------------------------


def letter_for_token(*, token: str) -> AnswerLetter | None:
    """The letter a verification link names (what the public page shows, one query)."""
    if not TOKEN_SHAPE.fullmatch(token or ""):
        return None
    return (
        AnswerLetter.objects.filter(verify_token=token)
        .only(
            "number",
            "dated",
            "subject",
            "kind",
            "content_sha256",
            "pdf",
            "pdf_sha256",
            "pdf_size",
            "pdf_signed",
            "verify_token",
            "letterhead",
            "complaint_id",
        )
        .first()
    )


def letter_for_complaint(*, complaint_id: int) -> AnswerLetter | None:
    return AnswerLetter.objects.filter(complaint_id=complaint_id).first()


def letter_ready(*, letter: AnswerLetter) -> AnswerLetter | None:
    """The letter with its PDF stored, rendering it now if the task has not yet."""
    if letter.pdf_sha256:
        return letter
    return letter_render(letter_id=letter.pk)


def letter_pdf_bytes(*, letter: AnswerLetter) -> bytes | None:
    """The stored PDF; None (logged) when its file is missing from the storage. A lost file
    is never rendered again silently: its SHA-256 is the one copies are checked against."""
    try:
        with letter.pdf.open("rb") as handle:
            return handle.read()
    except (OSError, ValueError):
        logger.error("the PDF of answer letter %s is missing from the storage", letter.number)
        return None


def letter_download(*, letter: AnswerLetter, actor=None) -> Outcome:
    """Record a download of the letter (which names the complainant): an official's only
    when they may see the complainant's identity; `actor` None is the citizen's own."""
    if actor is not None and not can_view_personal_data(user=actor, complaint=letter.complaint):
        return Outcome(
            ok=False,
            code="not_allowed",
            message=_(
                "Surat jawaban pengaduan rahasia hanya dapat diunduh oleh petugas yang "
                "menanganinya."
            ),
        )
    audit_record(
        action="letter.downloaded",
        actor=actor,
        target=letter,
        complaint_id=letter.complaint_id,
        data={
            "number": letter.number,
            "by": "official" if actor is not None else "citizen",
            "pdf_sha256": letter.pdf_sha256,
        },
    )
    return Outcome(ok=True, code="downloaded", message="")


@dataclass(frozen=True)
class CopyCheck:
    """The verdict on an uploaded copy of a letter."""

    matches: bool  # byte for byte the PDF the office issued
    sha256: str
    size: int
    signature: SignatureReport | None  # what the copy's own signature says (signed letters)


def letter_copy_check(*, letter: AnswerLetter, upload) -> CopyCheck:
    """Compare an uploaded file with the issued PDF (SHA-256 of every byte)."""
    digest = hashlib.sha256()
    parts = []
    for chunk in upload.chunks(CHUNK):
        digest.update(chunk)
        parts.append(chunk)
    sha256 = digest.hexdigest()
    matches = bool(letter.pdf_sha256) and hmac.compare_digest(sha256, letter.pdf_sha256)
    content = b"".join(parts)
    signature = pdf_signature_report(content) if letter.pdf_signed else None
    return CopyCheck(matches=matches, sha256=sha256, size=len(content), signature=signature)
