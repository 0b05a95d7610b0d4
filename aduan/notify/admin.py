"""The outbox in the admin (read-only: what was sent, what waits, what failed) and the
wording of each message."""

from django import forms
from django.contrib import admin
from django.db import transaction
from django.template.defaultfilters import linebreaksbr
from django.utils.html import format_html

from aduan.audit.services import audit_record
from aduan.notify.models import Delivery, MessageText
from aduan.notify.texts import DEFAULTS, KINDS, fill, sample_values, text_problem


@admin.register(Delivery)
class DeliveryAdmin(admin.ModelAdmin):
    list_display = ("created_at", "kind", "channel", "status", "attempts", "sent_at", "last_error")
    list_filter = ("status", "channel", "kind")
    search_fields = ("event_key", "complaint__tracking_code")
    list_select_related = ("complaint",)
    exclude = ("to", "body", "params")  # personal data: shown masked on the complaint page

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class MessageTextForm(forms.ModelForm):
    kind = forms.ChoiceField(
        label="jenis pesan", choices=[(k.key, f"{k.label} ({k.key})") for k in KINDS.values()]
    )

    class Meta:
        model = MessageText
        fields = ("kind", "language", "subject", "body")

    def clean(self):
        cleaned = super().clean()
        kind = cleaned.get("kind")
        if kind:
            for name in ("subject", "body"):
                problem = text_problem(kind, cleaned.get(name) or "")
                if problem:
                    self.add_error(name, problem)
        return cleaned


@admin.register(MessageText)
class MessageTextAdmin(admin.ModelAdmin):
    """Each message's wording per language. The page shows the values a text may use and a
    preview filled with example values; saving is audited."""

    form = MessageTextForm
    list_display = ("kind", "language", "subject", "updated_at")
    readonly_fields = ("values", "preview", "default_text")

    def get_fields(self, request, obj=None):
        return ("kind", "language", "subject", "body", "values", "preview", "default_text")

    @admin.display(description="nilai yang dapat dipakai")
    def values(self, obj):
        if not obj or not obj.kind:
            return "—"
        return ", ".join("{" + f + "}" for f in KINDS[obj.kind].fields)

    @admin.display(description="pratinjau (dengan nilai contoh)")
    def preview(self, obj):
        if not obj or not obj.kind:
            return "—"
        values = sample_values(obj.kind)
        return format_html(
            "<div><strong>{}</strong><br><br>{}</div>",  # no style="": the CSP refuses it
            fill(obj.subject, values),
            linebreaksbr(fill(obj.body, values)),
        )

    @admin.display(description="teks bawaan Aduan")
    def default_text(self, obj):
        if not obj or not obj.kind:
            return "—"
        subject, body = DEFAULTS[(obj.kind, obj.language)]
        return format_html(
            "<div><strong>{}</strong><br><br>{}</div>",
            subject,
            linebreaksbr(body),
        )

    @transaction.atomic
    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        audit_record(
            action="message_text.changed",
            actor=request.user,
            target=obj,
            data={
                "kind": obj.kind,
                "language": obj.language,
                "subject": obj.subject,
                "body": obj.body,
            },
        )
