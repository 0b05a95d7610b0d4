"""The citizen's forms: the complaint (the shared fields, dressed for phones) and tracking."""

from django import forms
from django.utils.translation import gettext_lazy as _

from aduan.complaints.feedback import SKM_QUESTIONS, SKM_SCALE
from aduan.complaints.forms import MAX_DESCRIPTION, ComplaintForm
from aduan.lib.files import MAX_FILES


class PublicComplaintForm(ComplaintForm):
    """ComplaintForm as the public sees it; the checks are ComplaintForm's own."""

    # What the phone keyboard and autofill should offer for each field.
    INPUT_HINTS = {
        "name": {"autocomplete": "name", "spellcheck": "false"},
        "phone": {"autocomplete": "tel", "inputmode": "tel", "type": "tel"},
        "email": {"autocomplete": "email", "spellcheck": "false"},
        "nik": {"inputmode": "numeric", "autocomplete": "off", "spellcheck": "false"},
    }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, attrs in self.INPUT_HINTS.items():
            widget = self.fields[name].widget
            if "type" in attrs:
                widget.input_type = attrs["type"]
            widget.attrs.update({k: v for k, v in attrs.items() if k != "type"})
        # No maxlength in the browser: it cuts a pasted text silently. The server says
        # how long it may be, beside the field, and gives back everything typed.
        for name in ("subject", "description"):
            self.fields[name].widget.attrs.pop("maxlength", None)
        self.fields["description"].widget.attrs["rows"] = 8
        self.fields["description"].help_text = _(
            "Ceritakan apa yang terjadi, kapan, dan di mana. Paling banyak %(max)s karakter."
        ) % {"max": f"{MAX_DESCRIPTION:,}".replace(",", ".")}

    def typed(self) -> dict[str, str]:
        """What the citizen typed, as posted, to fill the form again (never the name of
        an anonymous complaint)."""
        typed = {name: self.data[name] for name in self.fields if name in self.data}
        if typed.get("is_anonymous"):
            typed.pop("name", None)
        return typed


class TrackingForm(forms.Form):
    code = forms.CharField(
        label=_("Kode lacak"),
        max_length=40,
        help_text=_("Contoh: ADU-7K3M-9QXZ"),
        error_messages={"required": _("Tuliskan kode lacak.")},
        widget=forms.TextInput(
            attrs={"autocomplete": "off", "autocapitalize": "characters", "spellcheck": "false"}
        ),
    )
    secret = forms.CharField(
        label=_("Kode rahasia"),
        max_length=100,  # 28 characters, with spaces or dashes as people type them
        help_text=_(
            "28 huruf dan angka yang diberikan bersama kode lacak (8 untuk pengaduan lama); "
            "tanda hubung boleh ditulis atau tidak."
        ),
        error_messages={"required": _("Tuliskan kode rahasia.")},
        widget=forms.TextInput(
            attrs={"autocomplete": "off", "autocapitalize": "characters", "spellcheck": "false"}
        ),
    )


class MultipleFileInput(forms.FileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one input; each checked by its content (public.uploads)."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault(
            "widget",
            MultipleFileInput(
                attrs={"accept": "image/jpeg,image/png,application/pdf,.jpg,.jpeg,.png,.pdf"}
            ),
        )
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        files = data if isinstance(data, list | tuple) else ([data] if data else [])
        return [super(MultipleFileField, self).clean(item, initial) for item in files]


class ReplyForm(forms.Form):
    """The citizen's answer to a request for information, with files if they have them;
    citizen_reply checks the text's length."""

    body = forms.CharField(
        label=_("Jawaban Anda"),
        widget=forms.Textarea(attrs={"rows": 6}),
        error_messages={"required": _("Tuliskan jawaban Anda.")},
    )
    lampiran = MultipleFileField(
        label=_("Lampiran (opsional)"),
        required=False,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Formatted per request, so that the text is in the page's language.
        self.fields["lampiran"].help_text = _(
            "Foto (JPEG atau PNG) atau dokumen PDF: paling banyak %(max)s berkas, "
            "masing-masing paling besar 5 MB."
        ) % {"max": MAX_FILES}

    def clean_lampiran(self):
        from aduan.public.uploads import upload_problems

        files = self.cleaned_data.get("lampiran") or []
        problems = upload_problems(files)
        if problems:
            raise forms.ValidationError(
                [*problems, _("Pilih lagi berkas yang hendak dilampirkan.")]
            )
        return files


class RatingForm(forms.Form):
    """The citizen's rating of the answer: a score, a comment, the SKM questions."""

    score = forms.TypedChoiceField(
        label=_("Nilai Anda untuk jawaban ini"),
        choices=[(n, str(n)) for n in range(5, 0, -1)],
        coerce=int,
        widget=forms.RadioSelect,
        help_text=_("5 sangat puas, 1 sangat tidak puas."),
        error_messages={"required": _("Pilih nilai 1 sampai 5.")},
    )
    comment = forms.CharField(
        label=_("Komentar (opsional)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for key, question in SKM_QUESTIONS.items():
            self.fields[f"skm_{key}"] = forms.TypedChoiceField(
                label=question,
                choices=[(n, label) for n, label in SKM_SCALE.items()],
                coerce=int,
                required=False,
                widget=forms.RadioSelect,
            )

    def answers(self) -> dict:
        return {
            key: self.cleaned_data[f"skm_{key}"]
            for key in SKM_QUESTIONS
            if self.cleaned_data.get(f"skm_{key}")
        }


class ReopenForm(forms.Form):
    reason = forms.CharField(
        label=_("Mengapa jawaban belum menyelesaikan masalah Anda?"),
        widget=forms.Textarea(attrs={"rows": 6}),
        error_messages={"required": _("Tuliskan mengapa jawaban belum menyelesaikan masalah.")},
    )
