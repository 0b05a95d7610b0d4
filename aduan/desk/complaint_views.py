"""The complaint page and what an official does on it: draft, ask, decide, reveal, open.

Every POST goes through a service (desk.services, desk.disclosure). A success redirects back
to the page with a message (POST/redirect/GET); a refusal is shown on the page: beside the
field it is about (HTTP 200) or as a plain message at the top (HTTP 409), never a 500.
"""

from django.contrib import messages
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from aduan.accounts.selectors import can_view_personal_data
from aduan.complaints.masking import email_mask
from aduan.complaints.models import Attachment, Complaint
from aduan.desk import selectors
from aduan.desk.decorators import forbidden, official_required
from aduan.desk.disclosure import attachment_open, personal_data_reveal
from aduan.desk.forms import DecisionForm, DraftForm, InfoRequestForm
from aduan.desk.services import desk_decide, draft_save, info_request
from aduan.desk.views import NEW_CODES
from aduan.lib.downloads import content_disposition
from aduan.lib.nik import nik_mask
from aduan.lib.phone import phone_mask
from aduan.notify.selectors import deliveries_of_complaint
from aduan.sop.engine import Outcome, decisions_for

# The form field an Outcome refusal is about; other refusals are shown at the top.
FIELD_OF = {
    "text_required": "body",
    "text_too_long": "body",
    "invalid_kind": "kind",
    "note_required": "note",
}
INLINE_TYPES = {"image/jpeg", "image/png"}
KNOWN_TYPES = INLINE_TYPES | {"application/pdf"}


def _contact(complaint: Complaint, *, revealed: bool) -> dict:
    """The complainant as this page view shows them: masked unless revealed."""
    if complaint.is_confidential and not revealed and not complaint.is_anonymous:
        name = _("Rahasia")
    else:
        name = complaint.display_name
    return {
        "name": name,
        "nik": complaint.nik if revealed else nik_mask(complaint.nik),
        "phone": complaint.phone if revealed else phone_mask(complaint.phone),
        "email": complaint.email if revealed else email_mask(complaint.email),
    }


def _actions(record, user, forms: dict) -> dict | None:
    """What the official may do on the open step, or None: decisions_for decides."""
    open_step = record.open_step
    edges = decisions_for(step=open_step, actor=user) if open_step else ()
    if not edges:
        return None
    definition = record.definition
    spec = definition.step(open_step.step)
    latest = record.latest_draft
    draft_initial = {"kind": latest.kind, "body": latest.body} if latest else {}
    return {
        "step": open_step,
        "spec": spec,
        "edges": [{"value": f"{e.decision}:{e.target}", "edge": e} for e in edges],
        "note_required": any(e.note_required for e in edges),
        "decision_form": _decision_form(forms.get("decision"), open_step),
        "draft_form": (forms.get("draft") or DraftForm(initial=draft_initial))
        if spec.edits_draft
        else None,
        "info_form": (forms.get("info") or InfoRequestForm())
        if open_step.step == definition.start
        else None,
        "final_answer": latest if any(e.target == definition.end for e in edges) else None,
        "latest_draft": latest,
    }


def _decision_form(posted: DecisionForm | None, open_step) -> DecisionForm:
    """The form as posted (errors, note kept) if it was about the open step; otherwise a
    fresh one for the step open now (the posted one was decided meanwhile), note kept."""
    if posted is not None and posted.data.get("step_id") == str(open_step.pk):
        return posted
    note = posted.data.get("note", "") if posted is not None else ""
    return DecisionForm(initial={"step_id": open_step.pk, "note": note})


def _render(request, pk: int, *, status=200, forms=None, refusal="", revealed=False, codes=None):
    record = selectors.complaint_record(pk=pk)
    if record is None:
        raise Http404(_("Pengaduan ini tidak ditemukan."))
    forms = forms or {}
    actions = _actions(record, request.user, forms)
    offered = [actions.get(f"{name}_form") for name in forms] if actions else []
    unshown = [form for form in forms.values() if form not in offered]
    if unshown and not refusal:
        # A posted form the page no longer shows: say what was wrong with it, or why not.
        errors = [str(e) for form in unshown for field in form.errors.values() for e in field]
        refusal = " ".join(errors) or _("Anda tidak dapat bertindak pada langkah ini.")
        status = 200 if errors else 409
    complaint = record.complaint
    personal = bool(complaint.name or complaint.nik or complaint.phone or complaint.email)
    return render(
        request,
        "desk/complaint.html",
        {
            "record": record,
            "complaint": complaint,
            "contact": _contact(complaint, revealed=revealed),
            "revealed": revealed,
            "can_reveal": personal
            and not revealed
            and can_view_personal_data(user=request.user, complaint=complaint),
            "actions": actions,
            "refusal": refusal,
            "error_form": next((f for f in forms.values() if f.errors and f in offered), None),
            "codes": codes,
            "deliveries": deliveries_of_complaint(complaint_id=complaint.pk),
        },
        status=status,
    )


def _respond(request, pk: int, outcome: Outcome, name: str, form):
    """Success: back to the page with the message. Refusal: the page with the message."""
    if outcome.ok:
        messages.success(request, outcome.message)
        return redirect("desk:complaint", pk=pk)
    field = FIELD_OF.get(outcome.code)
    if field and field in form.fields:
        form.add_error(field, outcome.message)
        return _render(request, pk, forms={name: form})
    return _render(request, pk, forms={name: form}, refusal=outcome.message, status=409)


def _complaint_or_404(pk: int) -> None:
    if not selectors.complaint_exists(pk=pk):
        raise Http404(_("Pengaduan ini tidak ditemukan."))


@require_GET
@official_required
def complaint_detail(request, pk: int):
    codes = request.session.get(NEW_CODES)
    if codes and codes.get("pk") == pk:
        del request.session[NEW_CODES]  # the secret is shown once
    else:
        codes = None
    return _render(request, pk, codes=codes)


@require_POST
@official_required
def complaint_draft(request, pk: int):
    _complaint_or_404(pk)
    form = DraftForm(request.POST)
    if not form.is_valid():
        return _render(request, pk, forms={"draft": form})
    outcome = draft_save(
        complaint_id=pk,
        actor=request.user,
        kind=form.cleaned_data["kind"],
        body=form.cleaned_data["body"],
    )
    return _respond(request, pk, outcome, "draft", form)


@require_POST
@official_required
def complaint_info_request(request, pk: int):
    _complaint_or_404(pk)
    form = InfoRequestForm(request.POST)
    if not form.is_valid():
        return _render(request, pk, forms={"info": form})
    outcome = info_request(complaint_id=pk, actor=request.user, body=form.cleaned_data["body"])
    return _respond(request, pk, outcome, "info", form)


@require_POST
@official_required
def complaint_decide(request, pk: int):
    _complaint_or_404(pk)
    form = DecisionForm(request.POST)
    if not form.is_valid():
        return _render(request, pk, forms={"decision": form})
    step_id = form.cleaned_data["step_id"]
    if not selectors.step_of_complaint(step_id=step_id, complaint_id=pk):
        outcome = Outcome(
            ok=False, code="not_found", message=_("Langkah ini tidak ditemukan pada pengaduan ini.")
        )
        return _respond(request, pk, outcome, "decision", form)
    decision, target = form.decision()
    outcome = desk_decide(
        step_id=step_id,
        actor=request.user,
        decision=decision,
        to=target,
        note=form.cleaned_data["note"],
    )
    if outcome.ok:
        outcome = Outcome(ok=True, code=outcome.code, message=_after_decision(outcome))
    return _respond(request, pk, outcome, "decision", form)


def _after_decision(outcome: Outcome) -> str:
    step = outcome.next_step
    if step is None:
        return _("Jawaban terkirim kepada pelapor; pengaduan selesai.")
    definition = step.complaint.sop_version.definition
    return _("Keputusan tersimpan. Pengaduan kini menunggu %(role)s: “%(step)s”.") % {
        "role": definition.role(step.role).name,
        "step": definition.step(step.step).title,
    }


@require_POST
@official_required
def complaint_reveal(request, pk: int):
    """Show the complainant's identity on this one page view; the reveal is audited."""
    complaint = get_object_or_404(Complaint, pk=pk)
    outcome = personal_data_reveal(complaint=complaint, actor=request.user)
    if not outcome.ok:
        return forbidden(request, outcome.message)
    return _render(request, pk, revealed=True)


@require_GET
@official_required
def attachment(request, pk: int):
    """An attachment, to officials only, never from a public media URL; each view audited."""
    item = get_object_or_404(Attachment.objects.select_related("complaint"), pk=pk)
    if not item.file.name:  # erased by the retention sweep (aduan.complaints.retention)
        raise Http404(_("Berkas lampiran ini sudah dihapus setelah masa simpannya berakhir."))
    try:
        handle = item.file.storage.open(item.file.name, "rb")
    except (FileNotFoundError, ValueError):
        raise Http404(_("Berkas lampiran tidak ditemukan di penyimpanan.")) from None
    outcome = attachment_open(attachment=item, actor=request.user)
    if not outcome.ok:
        handle.close()
        return forbidden(request, outcome.message)
    content_type = item.content_type if item.content_type in KNOWN_TYPES else None
    response = FileResponse(handle, content_type=content_type or "application/octet-stream")
    # Photos open in the browser (sandboxed below); everything else is downloaded. The
    # citizen's file name, cleaned, with an ASCII stand-in (aduan.lib.downloads).
    response["Content-Disposition"] = content_disposition(
        item.original_name, inline=content_type in INLINE_TYPES, default="lampiran"
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; img-src 'self'; sandbox"
    return response
