"""What officials do to a complaint besides moving it: drafts, requests, the answer.

Every function checks that the official may act on the complaint's open step (through the
engine's decisions_for, the one place that knows the rules) and records what it did in the
audit log, in the same transaction.
"""

from collections.abc import Sequence

from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from aduan.audit.services import audit_record
from aduan.complaints.models import Attachment, Complaint, ComplaintStep, Draft, Message
from aduan.lib.text import clean_text
from aduan.notify.events import citizen_answered, citizen_info_requested
from aduan.papers.letters import letter_issue
from aduan.sla.calendar import calendar_for_today
from aduan.sla.due import step_pause_credit
from aduan.sop.engine import Outcome, decisions_for, step_decide

MAX_TEXT = 20_000


def _refuse(code: str, message: str) -> Outcome:
    return Outcome(ok=False, code=code, message=message)


def _open_step(complaint_id: int) -> ComplaintStep | None:
    return (
        ComplaintStep.objects.select_related("complaint__sop_version")
        .filter(complaint_id=complaint_id, decided_at__isnull=True)
        .first()
    )


def _check_text(body: str, what: str) -> tuple[str, Outcome | None]:
    body = clean_text(body)
    if not body:
        return body, _refuse("text_required", _("Tuliskan %(what)s.") % {"what": what})
    if len(body) > MAX_TEXT:
        return body, _refuse(
            "text_too_long",
            _("%(what)s terlalu panjang: paling banyak %(max)s karakter.")
            % {"what": what[:1].upper() + what[1:], "max": f"{MAX_TEXT:,}".replace(",", ".")},
        )
    return body, None


def draft_save(*, complaint_id: int, actor, kind: str, body: str) -> Outcome:
    """Save a new version of the draft answer at a step whose official writes drafts."""
    step = _open_step(complaint_id)
    if step is None:
        return _refuse("closed", _("Pengaduan ini sudah selesai."))
    definition = step.complaint.sop_version.definition
    if not definition.step(step.step).edits_draft:
        return _refuse("not_drafting", _("Konsep jawaban tidak dapat diubah pada langkah ini."))
    if not decisions_for(step=step, actor=actor):
        return _refuse("not_your_step", _("Anda tidak dapat bertindak pada langkah ini."))
    if kind not in Draft.Kind.values:
        return _refuse("invalid_kind", _("Pilih jenis konsep jawaban."))
    body, problem = _check_text(body, _("konsep jawaban"))
    if problem is not None:  # an Outcome refusal is falsy: test for its presence
        return problem
    with transaction.atomic():
        # Lock the open step row: two saves at once (a double click) queue here instead of
        # both taking the next version number, and a step decided meanwhile takes no draft.
        locked = ComplaintStep.objects.select_for_update().filter(
            pk=step.pk, decided_at__isnull=True
        )
        if not list(locked.values_list("pk", flat=True)):
            return _refuse(
                "step_moved",
                _("Langkah ini baru saja diputus; konsep tidak disimpan. Muat ulang halaman."),
            )
        last = Draft.objects.filter(complaint_id=complaint_id).aggregate(m=Max("seq"))["m"] or 0
        draft = Draft.objects.create(
            complaint_id=complaint_id,
            seq=last + 1,
            step=step,
            kind=kind,
            body=body,
            author=actor,
            created_at=timezone.now(),
        )
        audit_record(
            action="draft.saved",
            actor=actor,
            target=draft,
            complaint_id=complaint_id,
            data={"seq": draft.seq, "kind": kind, "step": step.step},
        )
    return Outcome(ok=True, code="draft_saved", message=_("Konsep jawaban tersimpan."))


def desk_decide(
    *, step_id: int, actor, decision: str, to: str | None = None, note: str = ""
) -> Outcome:
    """Decide a step from the desk: the engine's rules plus the draft the SOP needs.

    Moving a drafting step forward needs a draft; the step that reaches the end sends the
    latest draft as the answer and issues the answer letter.
    """
    step = ComplaintStep.objects.select_related("complaint__sop_version").filter(pk=step_id).first()
    if step is None:
        return _refuse("not_found", _("Langkah ini tidak ditemukan."))
    definition = step.complaint.sop_version.definition
    latest = Draft.objects.filter(complaint_id=step.complaint_id).order_by("-seq").first()
    edge = next((e for e in definition.edges_from(step.step) if e.decision == decision), None)
    if (
        step.is_open
        and edge is not None
        and edge.decision == "approve"
        and latest is None
        # Someone who may not decide here is told why by the engine, not asked for a draft.
        and decisions_for(step=step, actor=actor)
    ):
        return _refuse("draft_missing", _("Tulis konsep jawaban terlebih dahulu."))
    with transaction.atomic():
        outcome = step_decide(step_id=step_id, actor=actor, decision=decision, to=to, note=note)
        if outcome.ok and outcome.next_step is None:  # the end: the answer is sent
            Complaint.objects.filter(pk=step.complaint_id).update(
                answer_text=latest.body, answer_kind=latest.kind, awaiting_reply_since=None
            )
            audit_record(
                action="answer.sent",
                actor=actor,
                target=step.complaint,
                complaint_id=step.complaint_id,
                data={"draft": latest.seq},
            )
            # The official answer letter: numbered and issued with the answer, its PDF
            # rendered once this transaction commits (aduan.papers.letters).
            letter = letter_issue(complaint_id=step.complaint_id, actor=actor)
            citizen_answered(complaint=letter.complaint, letter=letter)
    return outcome


def _locked_complaint(complaint_id: int) -> tuple[str, object] | None:
    """(status, awaiting_reply_since) of the complaint, locked until the end of the
    transaction: a reply, a new question and the sweep's withdrawal queue here.

    The open step's row is locked before the complaint's, the order in which the engine
    (step_decide, complaint_withdraw) writes them, so none of them waits on another in a
    cycle. FOR NO KEY UPDATE: the sweep's notices may still refer to these rows meanwhile.
    """
    list(
        ComplaintStep.objects.select_for_update(no_key=True)
        .filter(complaint_id=complaint_id, decided_at__isnull=True)
        .values_list("pk", flat=True)
    )
    return (
        Complaint.objects.select_for_update(no_key=True)
        .filter(pk=complaint_id)
        .values_list("status", "awaiting_reply_since")
        .first()
    )


def _pause_end(complaint_id: int, paused_since, now) -> dict:
    """End the pause of the open step's clock; what it did, for the audit log."""
    if paused_since is None:
        return {}
    credit = step_pause_credit(
        complaint_id=complaint_id,
        paused_since=paused_since,
        until=now,
        calendar=calendar_for_today(),
    )
    if credit is None:
        return {"paused_since": paused_since, "paused_minutes": 0}
    return {
        "paused_since": paused_since,
        "paused_minutes": credit.minutes,
        "paused_step": credit.step.step,
        "paused_seq": credit.step.seq,
        "due_at": credit.due_at,
    }


def info_request(*, complaint_id: int, actor, body: str) -> Outcome:
    """Ask the citizen for more information; the complaint waits for the reply.

    The open step's clock pauses until the reply. A question asked while an earlier one is
    unanswered ends that pause (its minutes are credited) and starts the wait afresh.
    """
    step = _open_step(complaint_id)
    if step is None:
        return _refuse("closed", _("Pengaduan ini sudah selesai."))
    definition = step.complaint.sop_version.definition
    if step.step != definition.start or not decisions_for(step=step, actor=actor):
        return _refuse(
            "not_your_step",
            _("Permintaan keterangan dikirim oleh petugas pada langkah verifikasi."),
        )
    body, problem = _check_text(body, _("pertanyaan kepada pelapor"))
    if problem is not None:  # an Outcome refusal is falsy: test for its presence
        return problem
    now = timezone.now()
    with transaction.atomic():
        locked = _locked_complaint(complaint_id)
        if locked is None or locked[0] != Complaint.Status.OPEN:
            return _refuse("closed", _("Pengaduan ini sudah selesai."))
        pause = _pause_end(complaint_id, locked[1], now)
        message = Message.objects.create(
            complaint_id=complaint_id,
            body=body,
            author=actor,
            direction=Message.Direction.TO_CITIZEN,
            created_at=now,
        )
        Complaint.objects.filter(pk=complaint_id).update(awaiting_reply_since=now)
        citizen_info_requested(complaint=step.complaint, message=message)
        audit_record(
            action="info.requested",
            actor=actor,
            target=message,
            complaint_id=complaint_id,
            data={"step": step.step, **pause},
        )
    return Outcome(
        ok=True,
        code="info_requested",
        message=_("Permintaan keterangan tersimpan; pengaduan menunggu jawaban pelapor."),
    )


def citizen_reply(*, complaint: Complaint, body: str, attachments: Sequence = ()) -> Outcome:
    """The citizen answers a request for information (from the tracking page), with text
    and checked files (complaints.services.NewAttachment); the step's clock resumes."""
    if complaint.status != Complaint.Status.OPEN:
        return _refuse("closed", _("Pengaduan ini sudah selesai."))
    body, problem = _check_text(body, _("jawaban Anda"))
    if problem is not None:  # an Outcome refusal is falsy: test for its presence
        return problem
    now = timezone.now()
    with transaction.atomic():
        locked = _locked_complaint(complaint.pk)
        if locked is None or locked[0] != Complaint.Status.OPEN:  # withdrawn meanwhile
            return _refuse("closed", _("Pengaduan ini sudah selesai."))
        # The clock of the open step runs again, its due time moved by the pause.
        pause = _pause_end(complaint.pk, locked[1], now)
        message = Message.objects.create(
            complaint=complaint,
            body=body,
            direction=Message.Direction.FROM_CITIZEN,
            created_at=now,
        )
        for item in attachments:
            attachment = Attachment(
                complaint=complaint,
                message=message,
                original_name=item.name[:255],
                content_type=item.content_type,
                size=item.size,
                sha256=item.sha256,
                uploaded_at=now,
                scan_state=item.scan_state,
            )
            attachment.file.save(item.sha256, item.file, save=True)
        Complaint.objects.filter(pk=complaint.pk).update(awaiting_reply_since=None)
        audit_record(
            action="info.replied",
            target=message,
            complaint_id=complaint.pk,
            data={**pause, "attachments": [a.sha256 for a in attachments]},
        )
    return Outcome(ok=True, code="replied", message=_("Terima kasih, keterangan Anda terkirim."))
