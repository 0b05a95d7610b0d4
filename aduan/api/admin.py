"""API tokens in the admin: an admin creates one for an official (an integration account,
say; the secret is shown once, in a message, and audited with the admin as the actor),
lists them and revokes them (audited). Tokens are never edited or deleted."""

from django import forms
from django.contrib import admin, messages
from django.utils.translation import gettext as _

from aduan.accounts.models import User
from aduan.api.models import ApiToken
from aduan.api.tokens import token_create, token_revoke


class TokenAddForm(forms.ModelForm):
    user = forms.ModelChoiceField(
        label="pejabat", queryset=User.objects.filter(is_active=True).order_by("username")
    )

    class Meta:
        model = ApiToken
        fields = ("user", "name")


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    list_display = ("name", "user", "prefix", "created_at", "last_used_at", "revoked_at")
    list_filter = ("revoked_at",)
    search_fields = ("name", "prefix", "user__username")
    readonly_fields = ("user", "name", "prefix", "created_at", "last_used_at", "revoked_at")
    exclude = ("key_hash",)
    actions = ["revoke"]

    def get_form(self, request, obj=None, change=False, **kwargs):
        if obj is None:
            kwargs["form"] = TokenAddForm
        return super().get_form(request, obj, change=change, **kwargs)

    def get_fields(self, request, obj=None):
        return ("user", "name") if obj is None else self.readonly_fields

    def get_readonly_fields(self, request, obj=None):
        return () if obj is None else self.readonly_fields

    def has_change_permission(self, request, obj=None):
        return obj is None and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        if change:
            return
        new = token_create(
            user=form.cleaned_data["user"], name=form.cleaned_data["name"], actor=request.user
        )
        if not new:
            self.message_user(request, new.message, messages.ERROR)
            return
        obj.pk, obj.prefix, obj.created_at = new.token.pk, new.token.prefix, new.token.created_at
        obj.key_hash = new.token.key_hash
        obj._state.adding = False
        self.message_user(
            request,
            _(
                "Token API “%(name)s” untuk %(user)s: %(secret)s — salin sekarang, token ini "
                "tidak akan ditampilkan lagi."
            )
            % {"name": new.token.name, "user": new.token.user, "secret": new.secret},
            messages.WARNING,
        )

    @admin.action(description="Cabut token terpilih")
    def revoke(self, request, queryset):
        revoked = sum(
            token_revoke(token_id=pk, actor=request.user)
            for pk in queryset.filter(revoked_at__isnull=True).values_list("pk", flat=True)
        )
        self.message_user(request, _("%(n)s token dicabut.") % {"n": revoked}, messages.SUCCESS)
