"""The desk's lists and forms: inbox, all complaints, offline registration, audit log.

The complaint page and what is done on it live in complaint_views.py. Views stay thin:
permissions come from aduan.accounts.selectors (through desk.decorators), reading from
desk.selectors, writing from services.
"""

from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from aduan.audit.services import audit_verify
from aduan.complaints.intake import intakes_held
from aduan.complaints.services import NoSopInForce, complaint_register
from aduan.desk import selectors
from aduan.desk.decorators import auditor_required, official_required, registrar_required
from aduan.desk.forms import AuditFilterForm, ComplaintFilterForm, RegisterForm

PAGE_SIZE = 25
AUDIT_PAGE_SIZE = 50
NEW_CODES = "desk_new_codes"


@require_GET
@official_required
def inbox(request):
    """The open steps the official's roles decide, oldest first, counted per step, a page
    at a time (?page=N); ?langkah=<step> shows one step, ?terlambat=1 only the overdue ones."""
    step = request.GET.get("langkah", "")
    overdue = request.GET.get("terlambat", "") == "1"
    box = selectors.inbox_for(
        user=request.user, step=step, overdue=overdue, page=request.GET.get("page")
    )
    return render(
        request,
        "desk/inbox.html",
        {
            "inbox": box,
            "page": box.page,
            "selected": step,
            "overdue_only": overdue,
            "held": intakes_held(),
        },
    )


@require_GET
@official_required
def complaint_list(request):
    form = ComplaintFilterForm(request.GET or None)
    status = form.cleaned_data["status"] if form.is_valid() else ""
    page = Paginator(selectors.complaint_list(status=status), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "desk/complaint_list.html",
        {
            "form": form,
            "page": page,
            "complaints": selectors.complaint_list_titles(page.object_list),
        },
    )


@require_http_methods(["GET", "POST"])
@registrar_required
def complaint_new(request):
    """A complaint received offline (walk-in, phone, letter...), registered by an official."""
    form = RegisterForm(request.POST if request.method == "POST" else None)
    problem = ""
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            complaint = complaint_register(
                actor=request.user,
                channel=data["channel"],
                **form.complaint_fields(),
            )
        except NoSopInForce:
            problem = _(
                "Belum ada SOP yang berlaku, sehingga pengaduan belum dapat dicatat. "
                "Minta administrator memuat SOP (manage.py sop_load)."
            )
        else:
            # Shown once on the complaint page, then gone: only its digest is stored.
            request.session[NEW_CODES] = {
                "pk": complaint.pk,
                "code": complaint.tracking_code,
                "secret": complaint.tracking_secret,
            }
            messages.success(
                request,
                _("Pengaduan tercatat dengan nomor agenda %(agenda)s.")
                % {"agenda": complaint.agenda_number},
            )
            return redirect("desk:complaint", pk=complaint.pk)
    return render(
        request,
        "desk/complaint_new.html",
        {"form": form, "problem": problem},
        status=503 if problem else 200,
    )


@require_GET
@auditor_required
def audit_log(request):
    form = AuditFilterForm(request.GET or None, actions=selectors.audit_actions())
    complaint_id, action, not_found = None, "", False
    if form.is_valid():
        action = form.cleaned_data["action"]
        agenda = form.cleaned_data["agenda"]
        if agenda:
            complaint = selectors.complaint_by_agenda(year=agenda[0], seq=agenda[1])
            not_found = complaint is None
            complaint_id = complaint.pk if complaint else -1
    events = selectors.audit_events(complaint_id=complaint_id, action=action)
    page = Paginator(events, AUDIT_PAGE_SIZE).get_page(request.GET.get("page"))
    intact, broken = audit_verify()
    return render(
        request,
        "desk/audit_log.html",
        {
            "form": form,
            "page": page,
            "events": selectors.audit_event_rows(page.object_list),
            "not_found": not_found,
            "intact": intact,
            "broken": broken,
        },
    )
