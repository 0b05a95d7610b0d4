"""The desk's forms: they read what an official typed; the services decide what it means."""

import re

from django import forms
from django.utils.translation import gettext_lazy as _

from aduan.complaints.forms import ComplaintForm
from aduan.complaints.models import Complaint, Draft
from aduan.desk.services import MAX_TEXT

# Channels an official registers at the desk; web, API and Open311 arrive by themselves.
OFFLINE_CHANNELS = [
    (value, label)
    for value, label in Complaint.Channel.choices
    if value not in (Complaint.Channel.WEB, Complaint.Channel.API, Complaint.Channel.OPEN311)
]


class DraftForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Jenis konsep"),
        choices=Draft.Kind.choices,
        initial=Draft.Kind.ANSWER,
        widget=forms.RadioSelect,
        error_messages={"required": _("Pilih jenis konsep jawaban.")},
    )
    body = forms.CharField(
        label=_("Konsep jawaban"),
        widget=forms.Textarea(attrs={"rows": 12}),
        max_length=MAX_TEXT,
        # Empty text reaches draft_save, which refuses it with its own message.
        required=False,
        strip=False,
    )

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("auto_id", "draft_%s")  # the page also has the info form's body
        super().__init__(*args, **kwargs)


class InfoRequestForm(forms.Form):
    body = forms.CharField(
        label=_("Pertanyaan kepada pelapor"),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=MAX_TEXT,
        required=False,
        strip=False,
    )

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("auto_id", "info_%s")
        super().__init__(*args, **kwargs)


class DecisionForm(forms.Form):
    """One form per open step: an optional note and one button per edge (decision:target)."""

    step_id = forms.IntegerField(widget=forms.HiddenInput)
    edge = forms.RegexField(
        regex=re.compile(r"^(approve|return):[a-z][a-z0-9_]{0,31}$"),
        error_messages={
            "required": _("Pilih salah satu keputusan."),
            "invalid": _("Keputusan ini tidak tersedia pada langkah ini."),
        },
    )
    note = forms.CharField(
        label=_("Catatan"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=MAX_TEXT,
        required=False,
        help_text=_("Wajib diisi bila Anda mengembalikan konsep; tampil pada riwayat."),
    )

    def decision(self) -> tuple[str, str]:
        decision, _sep, target = self.cleaned_data["edge"].partition(":")
        return decision, target


class RegisterForm(ComplaintForm):
    """The complaint form the citizen fills in, plus how the complaint reached the office."""

    channel = forms.ChoiceField(
        label=_("Diterima melalui"),
        choices=[("", _("— pilih —")), *OFFLINE_CHANNELS],
        error_messages={
            "required": _("Pilih saluran penerimaan pengaduan."),
            "invalid_choice": _("Pilih saluran dari daftar."),
        },
    )

    field_order = ["channel"]


class ComplaintFilterForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Status"),
        choices=[("", _("Semua status")), *Complaint.Status.choices],
        required=False,
    )


_AGENDA = re.compile(r"^\s*0*(\d{1,9})\s*/\s*(\d{4})\s*$")


class AuditFilterForm(forms.Form):
    agenda = forms.CharField(
        label=_("Nomor agenda"),
        max_length=20,
        required=False,
        help_text=_("Contoh: 00012/2026"),
    )
    action = forms.ChoiceField(label=_("Tindakan"), required=False)

    def __init__(self, *args, actions: list[str], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["action"].choices = [("", _("Semua tindakan"))] + [(a, a) for a in actions]

    def clean_agenda(self) -> tuple[int, int] | None:
        raw = self.cleaned_data["agenda"].strip()
        if not raw:
            return None
        match = _AGENDA.match(raw)
        if not match:
            raise forms.ValidationError(_("Tulis nomor agenda seperti 00012/2026."))
        return int(match.group(2)), int(match.group(1))
