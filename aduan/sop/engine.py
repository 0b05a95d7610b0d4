"""The SOP engine: the only code that moves a complaint between steps.

Every step a complaint enters is a ComplaintStep row. Deciding a step is one
conditional UPDATE on its open row (`decided_at IS NULL`), so when two officials decide
the same step at once exactly one succeeds and the other is told who decided it and when.

Rules, checked on every decision:
- only an official holding the step's role may decide it;
- the decision must be an edge of the step in the complaint's SOP version, so no step
  can be skipped;
- a return (and any edge marked note_required) needs a note;
- one person may not decide at two levels (roles) of the same complaint, whether they
  hold those roles definitively or as acting officials (Plt./Plh.).

A decision records whether it was taken as an acting official (ComplaintStep.decided_as).
Each step is opened with its due and reminder times (aduan.sla.due) from the working
calendar in force. A complaint whose citizen never answered is closed as withdrawn
(complaint_withdraw), which the SLA sweep calls.

Functions return an Outcome rather than raising: a refusal is a plain message for the
person who asked, never an exception that reaches them.
"""

from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from aduan.accounts.selectors import acting_kind, official_roles
from aduan.audit.services import audit_record
from aduan.complaints.models import Complaint, ComplaintStep
from aduan.dashboard.tallies import (
    office_day,
    tally_answered,
    tally_step_decided,
    tally_withdrawn,
)
from aduan.lib.text import clean_text
from aduan.notify.events import citizen_withdrawn, officials_step_assigned
from aduan.sla.calendar import WorkingCalendar, calendar_for_today
from aduan.sla.due import step_due_times
from aduan.sop.definition import RETURN, Edge

WITHDRAWN = "withdrawn"  # the decision recorded on the step a withdrawal closes


@dataclass(frozen=True)
class Outcome:
    ok: bool
    code: str
    message: str
    next_step: ComplaintStep | None = None

    def __bool__(self) -> bool:
        return self.ok


def _refuse(code: str, message: str) -> Outcome:
    return Outcome(ok=False, code=code, message=message)


def workflow_entry(*, version) -> str:
    """The step a new complaint under this SOP version starts at: store it with the
    complaint, then call `workflow_start` in the same transaction to open it."""
    return version.definition.start


def workflow_start(
    *, complaint: Complaint, calendar: WorkingCalendar | None = None
) -> ComplaintStep:
    """Open the first step of a new complaint. Call in the transaction that creates it.

    The step starts when the complaint was received: the SOP's clock runs from the
    citizen's filing, also for a filing registered a moment later from the intake.
    """
    definition = complaint.sop_version.definition
    first = definition.step(definition.start)
    now = min(complaint.received_at or timezone.now(), timezone.now())
    due = step_due_times(
        started_at=now, minutes=first.minutes, calendar=calendar or calendar_for_today()
    )
    step = ComplaintStep.objects.create(
        complaint=complaint, seq=1, step=first.id, role=first.role, started_at=now, **due
    )
    if complaint.current_step != first.id:  # stored with it when made by workflow_entry
        Complaint.objects.filter(pk=complaint.pk).update(current_step=first.id)
        complaint.current_step = first.id
    officials_step_assigned(step=step, complaint=complaint)
    return step


def decisions_for(*, step: ComplaintStep, actor) -> tuple[Edge, ...]:
    """The decisions this official may take on this step now (empty if none)."""
    if not step.is_open or step.role not in official_roles(user=actor):
        return ()
    if _decided_other_level(step=step, actor=actor):
        return ()
    return step.complaint.sop_version.definition.edges_from(step.step)


def _decided_other_level(*, step: ComplaintStep, actor) -> ComplaintStep | None:
    return (
        ComplaintStep.objects.filter(complaint_id=step.complaint_id, decided_by=actor)
        .exclude(role=step.role)
        .order_by("seq")
        .first()
    )


def _already_decided(step: ComplaintStep) -> Outcome:
    who = str(step.decided_by) if step.decided_by_id else _("orang lain")
    when = timezone.localtime(step.decided_at).strftime("%d-%m-%Y %H:%M")
    return _refuse(
        "already_decided",
        _("Langkah ini sudah diputus oleh %(who)s pada %(when)s.") % {"who": who, "when": when},
    )


def step_decide(
    *, step_id: int, actor, decision: str, to: str | None = None, note: str = ""
) -> Outcome:
    """Decide the open step `step_id` for `actor`: approve, or return (to a named step)."""
    step = (
        ComplaintStep.objects.select_related("complaint__sop_version", "decided_by")
        .filter(pk=step_id)
        .first()
    )
    if step is None:
        return _refuse("not_found", _("Langkah ini tidak ditemukan."))
    if not step.is_open:
        return _already_decided(step)

    definition = step.complaint.sop_version.definition
    roles = official_roles(user=actor)
    if step.role not in roles:
        role_name = definition.role(step.role).name
        return _refuse(
            "not_your_role",
            _("Langkah ini hanya dapat diputus oleh %(role)s.") % {"role": role_name},
        )

    candidates = [e for e in definition.edges_from(step.step) if e.decision == decision]
    if to is not None:
        candidates = [e for e in candidates if e.target == to]
    if len(candidates) != 1:
        if decision == RETURN and len(candidates) > 1:
            return _refuse("choose_target", _("Pilih langkah tujuan pengembalian."))
        return _refuse("invalid_decision", _("Keputusan ini tidak tersedia pada langkah ini."))
    edge = candidates[0]

    note = clean_text(note)
    if edge.note_required and not note:
        return _refuse("note_required", _("Tuliskan catatan alasan pengembalian."))

    earlier = _decided_other_level(step=step, actor=actor)
    if earlier is not None:
        return _refuse(
            "separation_of_duties",
            _(
                "Anda sudah memutus langkah “%(step)s” pada pengaduan ini; satu orang tidak "
                "boleh memutus di dua tingkat."
            )
            % {"step": definition.step(earlier.step).title},
        )

    # Recorded with the decision: "plt"/"plh" if the actor holds the role only as acting.
    decided_as = acting_kind(user=actor, role=step.role)
    now = timezone.now()
    calendar = calendar_for_today()
    # Stored for the dashboard, counted as the Mutu Baku report counts (aduan.sla.report).
    minutes = calendar.working_minutes_between(step.started_at, now)
    within = minutes <= definition.step(step.step).minutes
    with transaction.atomic():
        won = ComplaintStep.objects.filter(pk=step.pk, decided_at__isnull=True).update(
            decided_at=now,
            decided_by=actor,
            decided_as=decided_as,
            decision=edge.decision,
            next_step=edge.target,
            note=note,
            working_minutes=minutes,
            within_standard=within,
        )
        if not won:
            return _already_decided(
                ComplaintStep.objects.select_related("decided_by").get(pk=step.pk)
            )
        complaint_id = step.complaint_id
        next_step = None
        tally_step_decided(
            step=step.step,
            category_id=step.complaint.category_id,
            at=now,
            within=within,
            returned=edge.decision == RETURN,
            official_id=actor.pk,
            complaint=step.complaint,
        )
        if edge.target == definition.end:
            answer_minutes = calendar.working_minutes_between(step.complaint.received_at, now)
            Complaint.objects.filter(pk=complaint_id).update(
                current_step="",
                status=Complaint.Status.ANSWERED,
                closed_at=now,
                answer_minutes=answer_minutes,
                answered_month=office_day(now).replace(day=1),
            )
            tally_answered(complaint=step.complaint, at=now, minutes=answer_minutes)
        else:
            target = definition.step(edge.target)
            next_step = ComplaintStep.objects.create(
                complaint_id=complaint_id,
                seq=step.seq + 1,
                step=target.id,
                role=target.role,
                started_at=now,
                **step_due_times(started_at=now, minutes=target.minutes, calendar=calendar),
            )
            Complaint.objects.filter(pk=complaint_id).update(current_step=target.id)
            officials_step_assigned(step=next_step, complaint=step.complaint)
        audit_record(
            action=f"step.{edge.decision}",
            actor=actor,
            target=step,
            complaint_id=complaint_id,
            data={
                "step": step.step,
                "role": step.role,
                "decided_as": decided_as,
                "seq": step.seq,
                "to": edge.target,
                "note": note,
            },
        )
    return Outcome(ok=True, code="decided", message=_("Keputusan tersimpan."), next_step=next_step)


def complaint_withdraw(
    *, complaint_id: int, note: str, actor=None, awaiting_reply_before=None
) -> Outcome:
    """Close an open complaint as withdrawn: its open step is closed with the decision
    "withdrawn" and the note. With `awaiting_reply_before`, only while the complaint still
    waits for a reply asked before that instant (a reply that arrives first wins).

    Two conditional UPDATEs guard it, so a withdrawal happens once: the open step first (the
    row order of step_decide, so the two never wait on each other in a cycle), then the
    complaint; if either has moved meanwhile, nothing is written.
    """
    now = timezone.now()
    note = clean_text(note)
    with transaction.atomic():
        closed = ComplaintStep.objects.filter(
            complaint_id=complaint_id, decided_at__isnull=True
        ).first()
        if closed is not None:
            decided = ComplaintStep.objects.filter(pk=closed.pk, decided_at__isnull=True).update(
                decided_at=now, decision=WITHDRAWN, note=note
            )
            if not decided:  # an official decided it a moment ago
                return _refuse("not_open", _("Pengaduan ini tidak lagi terbuka."))
        open_complaint = Complaint.objects.filter(pk=complaint_id, status=Complaint.Status.OPEN)
        if awaiting_reply_before is not None:
            open_complaint = open_complaint.filter(awaiting_reply_since__lte=awaiting_reply_before)
        won = open_complaint.update(
            status=Complaint.Status.WITHDRAWN,
            current_step="",
            closed_at=now,
            awaiting_reply_since=None,
        )
        if not won:  # answered, replied to or closed meanwhile: undo the step's close
            transaction.set_rollback(True)
            return _refuse("not_open", _("Pengaduan ini tidak lagi terbuka."))
        withdrawn = Complaint.objects.get(pk=complaint_id)
        tally_withdrawn(complaint=withdrawn, at=now)
        citizen_withdrawn(complaint=withdrawn)
        audit_record(
            action="complaint.withdrawn",
            actor=actor,
            target=closed,
            complaint_id=complaint_id,
            data={
                "step": closed.step if closed else "",
                "seq": closed.seq if closed else None,
                "note": note,
            },
        )
    return Outcome(ok=True, code=WITHDRAWN, message=_("Pengaduan ditutup sebagai ditarik."))
