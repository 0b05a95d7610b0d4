from django.contrib import admin

from aduan.audit.models import AuditEvent


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    """Append-only: nobody adds, changes or deletes events here."""

    list_display = ("at", "action", "actor_label", "target_type", "target_id", "complaint_id")
    list_filter = ("action",)
    search_fields = ("action", "actor_label", "target_id")
    date_hierarchy = "at"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
