"""The citizen's forms: the complaint (the shared fields, dressed for phones) and tracking."""

from django import forms
from django.utils.translation import gettext_lazy as _

from aduan.complaints.forms import MAX_DESCRIPTION, ComplaintForm


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
        max_length=40,
        help_text=_("8 huruf dan angka yang diberikan bersama kode lacak."),
        error_messages={"required": _("Tuliskan kode rahasia.")},
        widget=forms.TextInput(
            attrs={"autocomplete": "off", "autocapitalize": "characters", "spellcheck": "false"}
        ),
    )


class ReplyForm(forms.Form):
    """The citizen's answer to a request for information; citizen_reply checks its length."""

    body = forms.CharField(
        label=_("Jawaban Anda"),
        widget=forms.Textarea(attrs={"rows": 6}),
        error_messages={"required": _("Tuliskan jawaban Anda.")},
    )
