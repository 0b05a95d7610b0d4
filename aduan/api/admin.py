"""API tokens in the admin: listed, and revoked (audited); never created or edited here,
since a secret shown in the admin would stay in the browser's history."""

from django.contrib import admin, messages
from django.utils.translation import gettext as _

from aduan.api.models import ApiToken
from aduan.api.tokens import token_revoke


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    list_display = ("name", "user", "prefix", "created_at", "last_used_at", "revoked_at")
    list_filter = ("revoked_at",)
    search_fields = ("name", "prefix", "user__username")
    readonly_fields = ("user", "name", "prefix", "created_at", "last_used_at", "revoked_at")
    exclude = ("key_hash",)
    actions = ["revoke"]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.action(description="Cabut token terpilih")
    def revoke(self, request, queryset):
        revoked = sum(
            token_revoke(token_id=pk, actor=request.user)
            for pk in queryset.filter(revoked_at__isnull=True).values_list("pk", flat=True)
        )
        self.message_user(request, _("%(n)s token dicabut.") % {"n": revoked}, messages.SUCCESS)
