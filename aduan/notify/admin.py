"""The outbox in the admin: read-only, to see what was sent, what waits and what failed."""

from django.contrib import admin

from aduan.notify.models import Delivery


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
