from django import forms
from django.utils.translation import gettext_lazy as _


class CodeForm(forms.Form):
    """The code after the password: from the authenticator app, or a recovery code."""

    code = forms.CharField(
        label=_("Kode verifikasi"),
        max_length=32,
        help_text=_("6 angka dari aplikasi autentikator, atau salah satu kode cadangan Anda."),
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "autofocus": True}),
    )


class EnrolForm(forms.Form):
    code = forms.CharField(
        label=_("Kode dari aplikasi"),
        max_length=16,
        help_text=_("Ketik 6 angka yang tampil di aplikasi autentikator setelah memindai."),
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True}
        ),
    )


def focus_on_errors(form, *, never: bool = False):
    """A page may hold one autofocus: with errors the error summary takes it (the citizen's
    and the officials' pattern), not the first field; `never` for a page of several forms."""
    if never or (form.is_bound and form.errors):
        for field in form.fields.values():
            field.widget.attrs.pop("autofocus", None)
    return form


WRONG_CODE = _("Kode salah, kedaluwarsa atau sudah pernah dipakai.")
