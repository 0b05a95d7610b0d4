"""The complete record: one complaint's PDF, and bundles of them for a period.

Thin views: the record from aduan.papers.records, bundles from aduan.papers.bundles, who
may do what from aduan.accounts.selectors (via the desk's decorators).
"""

import io

from django.contrib import messages
from django.db import transaction
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods

from aduan.accounts.selectors import can_download_record_bundle, office_today
from aduan.audit.services import audit_record
from aduan.desk.decorators import forbidden, official_required
from aduan.desk.report_forms import PeriodForm, quick_periods
from aduan.papers import bundles as bundle_services
from aduan.papers.models import RecordBundle
from aduan.papers.records import record_context, record_filename, render_record

NOT_YOUR_BUNDLE = gettext_lazy(
    "Berkas ini hanya dapat diunduh oleh petugas yang memintanya, auditor dan administrator."
)


@require_GET
@official_required
def complaint_pdf(request, pk: int):
    """The complete record of one complaint as PDF; every printing is audited."""
    context = record_context(complaint_id=pk, printed_by=request.user)
    if context is None:
        raise Http404(_("Pengaduan ini tidak ditemukan."))
    content = render_record(context)
    complaint = context["complaint"]
    with transaction.atomic():
        audit_record(
            action="record.printed",
            actor=request.user,
            target=complaint,
            complaint_id=complaint.pk,
            data={"agenda": complaint.agenda_number, "bytes": len(content)},
        )
    response = FileResponse(
        io.BytesIO(content),
        content_type="application/pdf",
        as_attachment=True,  # a download, as every file the desk gives (not shown inline)
        filename=record_filename(complaint),
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response


@require_http_methods(["GET", "POST"])
@official_required
def bundle_list(request):
    """Ask for a ZIP of the complete records of a period; follow and download them."""
    today = office_today()
    form = PeriodForm(request.POST if request.method == "POST" else request.GET, today=today)
    problem = ""
    if request.method == "POST" and form.is_valid():
        outcome = bundle_services.bundle_request(
            user=request.user, first=form.cleaned_data["dari"], last=form.cleaned_data["sampai"]
        )
        if outcome:
            messages.success(
                request,
                _("Berkas sedang dibuat. Halaman ini diperbarui sendiri sampai berkas siap."),
            )
            return redirect("records:bundles")
        problem = outcome.problem
    bundles = bundle_services.bundles_for(user=request.user)
    waiting = {RecordBundle.Status.QUEUED, RecordBundle.Status.RUNNING}
    return render(
        request,
        "papers/bundles.html",
        {
            "form": form,
            "problem": problem,
            "bundles": bundles,
            "refreshing": any(b.status in waiting for b in bundles),
            "limit": bundle_services.BUNDLE_LIMIT,
            "quick": quick_periods(today),
        },
        status=200,
    )


@require_GET
@official_required
def bundle_download(request, pk: int):
    """The ZIP, to the official who asked for it (or an auditor or admin); audited."""
    bundle = get_object_or_404(RecordBundle, pk=pk)
    if not can_download_record_bundle(user=request.user, bundle=bundle):
        return forbidden(request, NOT_YOUR_BUNDLE)
    if bundle.status != RecordBundle.Status.DONE or not bundle.file:
        raise Http404(_("Berkas ini belum siap."))
    try:
        handle = bundle.file.open("rb")
    except (FileNotFoundError, ValueError):
        raise Http404(_("Berkas ini tidak ditemukan di penyimpanan.")) from None
    with transaction.atomic():
        audit_record(
            action="bundle.downloaded",
            actor=request.user,
            target=bundle,
            data={
                "first_day": bundle.first_day,
                "last_day": bundle.last_day,
                "total": bundle.total,
            },
        )
    return FileResponse(
        handle,
        content_type="application/zip",
        as_attachment=True,
        filename=bundle_services.bundle_filename(bundle),
    )
