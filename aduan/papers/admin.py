"""The letterhead in the admin: one row, changed (audited), never added twice or deleted.
Issued letters are shown read-only: a letter is never edited after it is issued."""

from django.contrib import admin
from django.db import transaction

from aduan.audit.services import audit_record
from aduan.papers.letterhead import SNAPSHOT_FIELDS
from aduan.papers.models import AnswerLetter, Letterhead

LOGO_TYPES = (".png", ".jpg", ".jpeg", ".svg")


@admin.register(Letterhead)
class LetterheadAdmin(admin.ModelAdmin):
    fields = (*SNAPSHOT_FIELDS, "logo", "letter_number_format")

    def has_add_permission(self, request):
        return not Letterhead.objects.exists()

    def has_delete_permission(self, request, obj=None):
        return False

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)
        logo = form.base_fields["logo"]
        logo.widget.attrs["accept"] = ",".join(LOGO_TYPES)
        clean_logo = form.clean_logo if hasattr(form, "clean_logo") else None

        def _clean_logo(self):
            value = clean_logo(self) if clean_logo else self.cleaned_data.get("logo")
            name = getattr(value, "name", "") or ""
            if value and not name.lower().endswith(LOGO_TYPES):
                from django.core.exceptions import ValidationError

                raise ValidationError("Logo harus berkas PNG, JPEG atau SVG.")
            return value

        form.clean_logo = _clean_logo
        return form

    @transaction.atomic
    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        audit_record(
            action="letterhead.changed",
            actor=request.user,
            target=obj,
            data={
                "changed": list(form.changed_data),
                **{name: getattr(obj, name) for name in (*SNAPSHOT_FIELDS, "letter_number_format")},
            },
        )


@admin.register(AnswerLetter)
class AnswerLetterAdmin(admin.ModelAdmin):
    list_display = ("number", "dated", "subject", "signer_title", "pdf_signed")
    search_fields = ("number",)
    list_select_related = ("complaint",)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
