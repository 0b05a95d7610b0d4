"""The citizen's pages: complaint form, check answers, confirmation, tracking.

Until it is sent, the complaint lives in the session: the answers as typed and the one-time
submission key made when they first passed the checks (FORM), the files as PendingUploads
of the session. The code and secret of the complaint just sent are kept (DONE) for the
confirmation page only. Tracking codes opened with their secret are remembered (TRACKED),
so the secret leaves the address bar after one redirect.
"""

import json
import secrets

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ObjectDoesNotExist
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from aduan.complaints.feedback import reopen_until
from aduan.complaints.intake import intake_store, intake_taken
from aduan.complaints.models import Complaint
from aduan.complaints.services import NoSopInForce, complaint_register
from aduan.desk.services import citizen_reply
from aduan.lib.crypto import DataKeyError, data_decrypt, data_encrypt
from aduan.lib.files import MAX_FILES
from aduan.lib.nik import nik_mask
from aduan.lib.ratelimit import rate_allowed, too_many
from aduan.papers.letter_views import letter_file_response
from aduan.papers.letters import letter_for_complaint
from aduan.public.data_export import retention_label
from aduan.public.forms import PublicComplaintForm, RatingForm, ReplyForm, TrackingForm
from aduan.public.selectors import (
    complaint_for_tracking,
    complaint_tracked,
    filing_confirmed,
    intake_waiting,
    tracking_code_shape,
    tracking_timeline,
)
from aduan.public.uploads import (
    pending_add,
    pending_discard,
    pending_list,
    pending_lost,
    pending_opened,
    pending_remove,
    uploads_as_attachments,
)

FORM = "lapor"  # {"sealed": the answers as typed, "key": the submission key}
DONE = "lapor_selesai"  # {"key", "code", "sealed": the secret} of the complaint just sent
TRACKED = "lacak"  # tracking codes this browser opened with their secret, newest first
MAX_TRACKED = 10

# The questions in the order the form page asks them; the error summary follows it.
ABOUT = ("category", "subject", "description")
WHO = ("name", "is_anonymous", "phone", "email", "nik", "is_confidential")
ATTACHMENTS_ID = "lampiran"


def _seal(value) -> str:
    """Personal data kept in the session (the answers with NIK, phone and email; the secret
    just given) is encrypted like the complaint's own fields: the session table holds no
    personal data in clear (aduan.lib.crypto, ADUAN_DATA_KEYS)."""
    return data_encrypt(json.dumps(value))


def _unseal(token: str):
    return json.loads(data_decrypt(token))


def session_draft(session) -> dict | None:
    """The answers typed on the form (kept in the session until sent), or None."""
    draft = session.get(FORM)
    if not draft or "sealed" not in draft:
        return None
    try:
        return {"data": _unseal(draft["sealed"]), "key": draft["key"]}
    except (DataKeyError, ValueError):  # sealed with a key no longer held: start again
        return None


def _session_done(session) -> dict | None:
    done = session.get(DONE)
    if not done or "sealed" not in done:
        return None
    try:
        return {"key": done["key"], "code": done["code"], "secret": _unseal(done["sealed"])}
    except (DataKeyError, ValueError):
        return None


def _errors(form, names, extra=()):
    """The error summary: (element id, message) in page order."""
    listed = [(form[name].id_for_label, error) for name in names for error in form[name].errors]
    return listed + list(extra)


def _session_key(request) -> str:
    if not request.session.session_key:
        request.session.create()
    return request.session.session_key


def _form_page(request, form, *, upload_errors=()):
    uploads = pending_list(session_key=request.session.session_key)
    return render(
        request,
        "public/form.html",
        {
            "form": form,
            "errors": _errors(form, ABOUT)
            + [(ATTACHMENTS_ID, error) for error in upload_errors]
            + _errors(form, WHO),
            "uploads": uploads,
            "upload_errors": upload_errors,
            "can_attach": len(uploads) < MAX_FILES,
            "max_files": MAX_FILES,
            "kept_for": retention_label(),
        },
    )


@never_cache  # personal data as typed, shown again with the errors
@require_http_methods(["GET", "POST"])
def complaint_form(request):
    """The one-page form. Files are kept whatever else is wrong with the answers."""
    draft = session_draft(request.session) or {}
    if request.method == "GET":
        return _form_page(request, PublicComplaintForm(initial=draft.get("data", {})))
    if not rate_allowed(request, scope="post", rate=settings.POST_RATE):
        return too_many(request, settings.POST_RATE)
    files = request.FILES.getlist("lampiran")
    # Files are kept under the session's key, made now if need be; without them the
    # session is made once, when the middleware saves it (one write, not two).
    session_key = (
        _session_key(request) if files or request.POST.get("hapus") else request.session.session_key
    )
    _added, upload_errors = pending_add(session_key=session_key, files=files)
    form = PublicComplaintForm(data=request.POST)
    if request.POST.get("hapus"):
        pending_remove(session_key=session_key, token=request.POST["hapus"])
        # Back to the form as typed, without judging answers that are not finished.
        return _form_page(
            request, PublicComplaintForm(initial=form.typed()), upload_errors=upload_errors
        )
    if not form.is_valid() or upload_errors:
        return _form_page(request, form, upload_errors=upload_errors)
    request.session[FORM] = {
        "sealed": _seal(form.typed()),
        "key": draft.get("key") or secrets.token_urlsafe(32),
    }
    return redirect("public:check")


@never_cache  # personal data: not kept in the browser's cache on a shared phone
@require_http_methods(["GET", "POST"])
def complaint_check(request):
    """Check answers, then send. The same key posted again shows the same confirmation."""
    posted_key = request.POST.get("kunci", "")
    done = request.session.get(DONE)
    if request.method == "POST" and done and posted_key == done["key"]:
        return redirect("public:done")
    draft = session_draft(request.session)
    if not draft:
        return redirect("public:form")
    form = PublicComplaintForm(data=draft["data"])
    if not form.is_valid():  # e.g. a category withdrawn meanwhile: say so on the form
        return _form_page(request, form)
    uploads = pending_list(session_key=request.session.session_key)
    if request.method == "POST" and posted_key == draft["key"]:
        if not rate_allowed(request, scope="submit", rate=settings.SUBMIT_RATE):
            return too_many(request, settings.SUBMIT_RATE)
        return _submit(request, form, key=draft["key"], uploads=uploads)
    data = form.cleaned_data
    return render(
        request,
        "public/check.html",
        {
            "data": data,
            "nik_masked": nik_mask(data["nik"]),
            "uploads": uploads,
            "key": draft["key"],
        },
    )


def _submit(request, form, *, key, uploads):
    # Sent a moment ago by the same click repeated: that request keeps the confirmation in
    # the session; this one changes nothing. (Without files, intake_store finds the
    # earlier filing by its key itself and answers it without its secret.)
    if uploads and intake_taken(submission_key=key):
        return redirect("public:done")
    try:
        if uploads:  # registered now: the files move in the transaction of its rows
            with pending_opened(uploads=uploads) as attachments:
                complaint = complaint_register(
                    **form.complaint_fields(),
                    submission_key=key,
                    language=request.LANGUAGE_CODE,
                    attachments=attachments,
                )
            code, secret = complaint.tracking_code, complaint.tracking_secret
        else:  # an intake: registered a moment later (aduan.complaints.intake)
            taken = intake_store(
                fields=form.complaint_fields(),
                channel=Complaint.Channel.WEB,
                submission_key=key,
                language=request.LANGUAGE_CODE,
            )
            code, secret = taken.tracking_code, taken.tracking_secret
    except NoSopInForce:
        return render(request, "sop/none.html", status=503)
    except FileNotFoundError:
        if Complaint.objects.filter(submission_key=key).exists():
            return redirect("public:done")  # moved to the complaint by the click repeated
        # A stored file is gone (cleaned up, disk trouble): ask for it again, nothing else.
        lost = pending_lost(uploads=uploads)
        return _form_page(
            request,
            PublicComplaintForm(initial=form.typed()),
            upload_errors=[
                _("Berkas “%(name)s” tidak dapat dibaca lagi; lampirkan sekali lagi.")
                % {"name": name}
                for name in lost
            ],
        )
    if secret is None:
        return redirect("public:done")
    request.session[DONE] = {"key": key, "code": code, "sealed": _seal(secret)}
    request.session.pop(FORM, None)
    # Saved now rather than after the response, so a repeated click finds it (and not
    # saved a second time by the middleware).
    request.session.save()
    request.session.modified = False
    pending_discard(uploads=uploads)
    return redirect("public:done")


@never_cache
@require_GET
def complaint_done(request):
    """The confirmation: shown again on reload, from the session; creates nothing."""
    done = _session_done(request.session)
    filed = filing_confirmed(code=done["code"]) if done else None
    if filed is None:
        return redirect("public:form")
    link = request.build_absolute_uri(
        reverse("public:track_link", args=[done["code"], done["secret"]])
    )
    return render(
        request,
        "public/confirmation.html",
        {
            "filed": filed,
            "code": done["code"],
            "secret": done["secret"],
            "link": link,
        },
    )


def _remember(request, code: str) -> None:
    tracked = [c for c in request.session.get(TRACKED, []) if c != code]
    request.session[TRACKED] = [code, *tracked][:MAX_TRACKED]


def _track_form_page(request, form, *, not_found=False, status=200):
    message = _(
        "Pengaduan dengan kode lacak dan kode rahasia itu tidak ditemukan. Periksa kembali "
        "keduanya seperti tertulis saat pengaduan dikirim."
    )
    errors = [(form["code"].id_for_label, message)] if not_found else []
    return render(
        request,
        "public/track_form.html",
        {
            "form": form,
            "errors": errors + _errors(form, ("code", "secret")),
            "not_found": not_found,
            "not_found_message": message,
        },
        status=status,
    )


def _not_found(request):
    """One answer for a wrong secret, an unknown code and a malformed one."""
    return _track_form_page(request, TrackingForm(), not_found=True, status=404)


@never_cache
@require_http_methods(["GET", "POST"])
def track_form(request):
    if request.method == "GET":
        return _track_form_page(request, TrackingForm())
    form = TrackingForm(data=request.POST)
    if not form.is_valid():
        return _track_form_page(request, form)
    if not rate_allowed(request, scope="track", rate=settings.TRACK_RATE):
        return too_many(request, settings.TRACK_RATE)
    complaint = complaint_for_tracking(
        code=form.cleaned_data["code"], secret=form.cleaned_data["secret"]
    )
    if complaint is None:
        return _track_form_page(request, form, not_found=True)
    _remember(request, complaint.tracking_code)
    return redirect("public:track", code=complaint.tracking_code)


@never_cache
@require_GET
def track_link(request, code, secret):
    """The link to bookmark: checks the pair, remembers it, and drops the secret from the
    address bar."""
    if not rate_allowed(request, scope="track", rate=settings.TRACK_RATE):
        return too_many(request, settings.TRACK_RATE)
    complaint = complaint_for_tracking(code=code, secret=secret)
    if complaint is None:
        return _not_found(request)
    _remember(request, complaint.tracking_code)
    return redirect("public:track", code=complaint.tracking_code)


def tracked(request, code: str, view: str):
    """(complaint, None) for a tracking code this browser opened with its secret, else
    (None, the response to give): the canonical address, or the tracking form."""
    canonical = tracking_code_shape(code)
    if canonical is None:
        return None, _not_found(request)
    if canonical != code:
        return None, redirect(view, code=canonical)
    complaint = None
    if canonical in request.session.get(TRACKED, []):
        complaint = complaint_tracked(code=canonical)
        if complaint is None and (intake := intake_waiting(code=canonical)) is not None:
            # Filed a moment ago, not yet in the agenda book: say so, and nothing else.
            back = reverse(view, args=[canonical])
            return None, render(
                request, "public/track_waiting.html", {"intake": intake, "back": back}
            )
    if complaint is None:
        return None, redirect("public:track_form")
    return complaint, None


def track_page(request, complaint, *, reply_form=None, rating_form=None, status=200):
    """The tracking page, with the forms as posted when one of them has errors."""
    reply_form = reply_form or ReplyForm()
    rating_form = rating_form or RatingForm()
    errors = []
    if reply_form.is_bound:
        errors = _errors(reply_form, ("body", "lampiran"))
    if rating_form.is_bound:
        errors = _errors(rating_form, ("score", "comment"))
    until = reopen_until(complaint)
    return render(
        request,
        "public/track.html",
        {
            "complaint": complaint,
            "timeline": tracking_timeline(complaint=complaint),
            "reply_form": reply_form,
            "rating_form": rating_form,
            "errors": errors,
            "may_rate": complaint.status == Complaint.Status.ANSWERED and not _rated(complaint),
            "may_reopen": until is not None
            and timezone.now() <= until
            and not complaint.reopened_as,
            "reopen_until": until,
            "now": timezone.now(),
        },
        status=status,
    )


def _rated(complaint) -> bool:
    try:
        return complaint.rating is not None
    except ObjectDoesNotExist:
        return False


@never_cache
@require_http_methods(["GET", "POST"])
def track_detail(request, code):
    complaint, response = tracked(request, code, "public:track")
    if response is not None:
        return response
    if request.method == "GET":
        return track_page(request, complaint)
    if not rate_allowed(request, scope="post", rate=settings.POST_RATE):
        return too_many(request, settings.POST_RATE)
    reply_form = ReplyForm(data=request.POST, files=request.FILES)
    if reply_form.is_valid():
        outcome = citizen_reply(
            complaint=complaint,
            body=reply_form.cleaned_data["body"],
            attachments=uploads_as_attachments(reply_form.cleaned_data["lampiran"]),
        )
        if outcome.ok:
            messages.success(request, outcome.message)
            return redirect("public:track", code=complaint.tracking_code)
        reply_form.add_error("body", outcome.message)
    return track_page(request, complaint, reply_form=reply_form)


@never_cache
@require_GET
def track_letter(request, code):
    """The answer letter's PDF, to the browser that opened the complaint with its secret
    (the same check as the tracking page)."""
    complaint, response = tracked(request, code, "public:track_letter")
    if response is not None:
        return response
    back = reverse("public:track", args=[complaint.tracking_code])
    letter = letter_for_complaint(complaint_id=complaint.pk)
    if letter is None:  # not answered, or answered before letters were issued
        return render(request, "papers/letter_missing.html", {"back": back}, status=404)
    return letter_file_response(request, letter, back=back)
