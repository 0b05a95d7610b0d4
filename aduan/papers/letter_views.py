"""Answer letter pages: the public verification page the QR code opens, and the PDF for
officials (the citizen's download is on the tracking pages, aduan.public.views)."""

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET, require_http_methods

from aduan.desk.decorators import forbidden, official_required
from aduan.lib.ratelimit import rate_allowed, too_many
from aduan.papers.letters import (
    letter_copy_check,
    letter_download,
    letter_for_token,
    letter_pdf_bytes,
    letter_ready,
)
from aduan.papers.models import AnswerLetter
from aduan.papers.signing import pdf_signature_report

MAX_COPY = 10 * 1024 * 1024
MAX_COPY_LABEL = "10 MB"


class LetterCopyForm(forms.Form):
    copy = forms.FileField(
        label=_("Salinan surat (PDF)"),
        error_messages={
            "required": _("Pilih berkas PDF surat yang ingin diperiksa."),
            "empty": _("Berkas yang dipilih kosong. Pilih berkas PDF surat."),
            "invalid": _("Berkas tidak terkirim dengan benar. Pilih berkasnya sekali lagi."),
        },
        widget=forms.FileInput(attrs={"accept": "application/pdf,.pdf"}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Formatted per request, so that the text is in the page's language.
        self.fields["copy"].help_text = _(
            "Berkas PDF surat jawaban yang Anda terima, paling besar %(max)s."
        ) % {"max": MAX_COPY_LABEL}

    def clean_copy(self):
        upload = self.cleaned_data["copy"]
        if upload.size > MAX_COPY:
            raise ValidationError(
                _("Berkas terlalu besar: paling besar %(max)s.") % {"max": MAX_COPY_LABEL}
            )
        upload.seek(0)
        head = upload.read(1024)
        upload.seek(0)
        if b"%PDF-" not in head:
            raise ValidationError(_("Berkas ini bukan PDF. Pilih berkas PDF surat jawaban."))
        return upload


@require_http_methods(["GET", "POST"])
def verify(request, token):
    """What the QR code opens: the letter's number, date, subject and hashes, never the
    addressee or the answer; an uploaded copy is compared byte for byte."""
    letter = letter_for_token(token=token)
    if letter is None:
        raise Http404("unknown letter")
    letter = letter_ready(letter=letter) or letter
    ready = bool(letter.pdf_sha256)
    signature = None
    if ready and letter.pdf_signed:
        content = letter_pdf_bytes(letter=letter)
        signature = pdf_signature_report(content) if content is not None else None
    form, check = LetterCopyForm(), None
    if request.method == "POST":
        if not rate_allowed(request, scope="post", rate=settings.POST_RATE):
            return too_many(request, settings.POST_RATE)
        form = LetterCopyForm(data=request.POST, files=request.FILES)
        if form.is_valid() and ready:
            check = letter_copy_check(letter=letter, upload=form.cleaned_data["copy"])
    errors = [(form["copy"].id_for_label, error) for error in form["copy"].errors]
    return render(
        request,
        "papers/verify.html",
        {
            "letter": letter,
            "office": (letter.letterhead or {}).get("office", ""),
            "ready": ready,
            "signature": signature,
            "form": form,
            "errors": errors,
            "check": check,
        },
    )


def letter_file_response(request, letter: AnswerLetter, *, actor=None, back: str = ""):
    """The letter's PDF as a download (rendered now if the worker has not yet), recorded
    in the audit log; a plain "being prepared" page while it cannot be had."""
    ready = letter_ready(letter=letter)
    content = letter_pdf_bytes(letter=ready) if ready is not None else None
    if content is None:
        return render(request, "papers/letter_preparing.html", {"back": back}, status=202)
    outcome = letter_download(letter=ready, actor=actor)
    if not outcome.ok:
        return forbidden(request, outcome.message)
    filename = f"surat-jawaban-{letter.complaint.agenda_number.replace('/', '-')}.pdf"
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response


@require_GET
@official_required
def desk_pdf(request, pk: int):
    """The letter's PDF for an official (it names the complainant: audited)."""
    letter = get_object_or_404(AnswerLetter.objects.select_related("complaint"), pk=pk)
    back = reverse("desk:complaint", args=[letter.complaint_id])
    return letter_file_response(request, letter, actor=request.user, back=back)
