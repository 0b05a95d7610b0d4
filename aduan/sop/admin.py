from django.contrib import admin

from aduan.sop.models import SopVersion


@admin.register(SopVersion)
class SopVersionAdmin(admin.ModelAdmin):
    """Versions are immutable; load new ones with `manage.py sop_load`."""

    list_display = ("code", "name", "content_hash", "loaded_at", "activated_at", "activation")
    readonly_fields = [f.name for f in SopVersion._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return request.method in ("GET", "HEAD") and super().has_view_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return False
