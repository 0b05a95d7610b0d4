"""The citizen's word after the answer, from the tracking page: rate it, or reopen the
complaint when the answer did not solve it (aduan.complaints.feedback)."""

from django.conf import settings
from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.formats import date_format
from django.utils.timezone import localtime
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from aduan.complaints.feedback import complaint_reopen, rating_save, reopen_until
from aduan.lib.ratelimit import rate_allowed, too_many
from aduan.public.forms import RatingForm, ReopenForm
from aduan.public.views import _errors, _remember, track_page, tracked


@never_cache
@require_POST
def track_rate(request, code):
    complaint, response = tracked(request, code, "public:track")
    if response is not None:
        return response
    if not rate_allowed(request, scope="post", rate=settings.POST_RATE):
        return too_many(request, settings.POST_RATE)
    form = RatingForm(data=request.POST)
    if form.is_valid():
        outcome = rating_save(
            complaint=complaint,
            score=form.cleaned_data["score"],
            comment=form.cleaned_data["comment"],
            answers=form.answers(),
        )
        if outcome.ok or outcome.code == "already_rated":
            messages.success(request, outcome.message)
            return redirect("public:track", code=complaint.tracking_code)
        form.add_error("comment" if outcome.code == "comment" else "score", outcome.message)
    return track_page(request, complaint, rating_form=form)


@never_cache
@require_http_methods(["GET", "POST"])
def track_reopen(request, code):
    complaint, response = tracked(request, code, "public:track_reopen")
    if response is not None:
        return response
    if request.method == "POST" and not rate_allowed(
        request, scope="post", rate=settings.POST_RATE
    ):
        return too_many(request, settings.POST_RATE)
    form = ReopenForm(data=request.POST or None)
    refusal = ""
    if request.method == "POST" and form.is_valid():
        outcome = complaint_reopen(complaint=complaint, reason=form.cleaned_data["reason"])
        if outcome.ok:
            new = outcome.complaint
            _remember(request, new.tracking_code)
            messages.success(
                request,
                _(
                    "Pengaduan Anda dibuka kembali dengan kode lacak %(code)s dan kode rahasia "
                    "%(secret)s. Simpan keduanya untuk melacak pengaduan ini."
                )
                % {"code": new.tracking_code, "secret": outcome.secret},
            )
            return redirect("public:track", code=new.tracking_code)
        if outcome.code in ("reason_required", "reason_too_long"):
            form.add_error("reason", outcome.message)
        else:
            refusal = outcome.message
    until = reopen_until(complaint)
    if until is not None:  # the hint under the question, which is the page's heading
        form.fields["reason"].help_text = _(
            "Bila jawaban belum menyelesaikan masalah Anda, pengaduan dapat dibuka kembali "
            "sampai %(until)s. Pengaduan akan diproses lagi dari awal menurut SOP, dengan "
            "kode lacak baru, dan tetap terhubung dengan pengaduan ini."
        ) % {"until": date_format(localtime(until), "j F Y")}
    return render(
        request,
        "public/reopen.html",
        {
            "complaint": complaint,
            "form": form,
            "refusal": refusal,
            "until": until,
            "errors": _errors(form, ("reason",)) if form.is_bound else [],
        },
        status=409 if refusal else 200,
    )
