"""The complaint's own fields, checked the same way on the public form and at the desk."""

from django import forms
from django.utils.functional import lazy
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from aduan.complaints.models import Category
from aduan.lib.nik import NikError, nik_normalise
from aduan.lib.phone import PhoneError, phone_normalise

MAX_DESCRIPTION = 5000


def _description_too_long() -> str:
    """The description's length message, in the language of the moment it is shown."""
    return gettext("Uraian paling banyak %(max)s karakter; yang Anda tulis %(count)s karakter.") % {
        "max": "5.000",
        "count": "%(show_value)s",
    }


class ComplaintForm(forms.Form):
    name = forms.CharField(label=_("Nama lengkap"), max_length=200, required=False)
    is_anonymous = forms.BooleanField(
        label=_("Kirim sebagai anonim"),
        required=False,
        help_text=_("Nama Anda tidak ditampilkan kepada petugas maupun pada dokumen apa pun."),
    )
    phone = forms.CharField(
        label=_("Nomor telepon / WhatsApp"),
        max_length=30,
        required=False,
        help_text=_("Contoh: 0812 3456 7890"),
    )
    email = forms.EmailField(
        label=_("Alamat surel (email)"),
        max_length=254,
        required=False,
        error_messages={"invalid": _("Tulis alamat surel yang benar, misalnya nama@contoh.id.")},
    )
    nik = forms.CharField(
        label=_("NIK (opsional)"),
        max_length=40,
        required=False,
        help_text=_("16 angka pada KTP-el atau KK."),
    )
    category = forms.ModelChoiceField(
        label=_("Jenis layanan yang diadukan"),
        queryset=Category.objects.filter(is_active=True),
        empty_label=_("— pilih —"),
        error_messages={
            "required": _("Pilih jenis layanan yang diadukan."),
            "invalid_choice": _("Pilih jenis layanan dari daftar."),
        },
    )
    subject = forms.CharField(
        label=_("Perihal"),
        max_length=200,
        error_messages={
            "required": _("Tuliskan perihal pengaduan."),
            "max_length": _("Perihal paling banyak 200 karakter."),
        },
    )
    description = forms.CharField(
        label=_("Uraian pengaduan"),
        widget=forms.Textarea(attrs={"rows": 6}),
        max_length=MAX_DESCRIPTION,
        error_messages={
            "required": _("Tuliskan uraian pengaduan Anda."),
            "max_length": lazy(_description_too_long, str)(),
        },
    )
    is_confidential = forms.BooleanField(
        label=_("Rahasiakan pengaduan ini"),
        required=False,
        help_text=_("Identitas Anda hanya dapat dilihat oleh petugas yang menangani."),
    )

    COMPLAINT_FIELDS = (
        "category",
        "subject",
        "description",
        "name",
        "is_anonymous",
        "phone",
        "email",
        "nik",
        "is_confidential",
    )

    def complaint_fields(self) -> dict:
        """The checked answers, as complaint_register takes them."""
        return {name: self.cleaned_data[name] for name in self.COMPLAINT_FIELDS}

    def clean_phone(self):
        raw = self.cleaned_data.get("phone", "").strip()
        if not raw:
            return ""
        try:
            return phone_normalise(raw)
        except PhoneError as exc:
            raise forms.ValidationError(str(exc)) from None

    def clean_nik(self):
        raw = self.cleaned_data.get("nik", "").strip()
        if not raw:
            return ""
        try:
            return nik_normalise(raw)
        except NikError as exc:
            raise forms.ValidationError(str(exc)) from None

    def clean_subject(self):
        return self.cleaned_data["subject"].strip()

    def clean_description(self):
        return self.cleaned_data["description"].strip()

    def clean(self):
        data = super().clean()
        if not data.get("is_anonymous") and not (data.get("name") or "").strip():
            self.add_error("name", _("Tuliskan nama Anda, atau pilih kirim sebagai anonim."))
        if (
            not self.has_error("phone")
            and not self.has_error("email")
            and not (data.get("phone") or data.get("email"))
        ):
            self.add_error(
                "phone", _("Isi nomor telepon atau alamat surel agar kami dapat mengirim jawaban.")
            )
        if data.get("is_anonymous"):
            data["name"] = ""
        return data
