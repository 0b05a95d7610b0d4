"""Open311 keys in the admin: adding one shows the key once; revoking is an action."""

from django import forms
from django.contrib import admin, messages
from django.utils.translation import gettext as _

from aduan.open311.keys import KeyProblem, key_create, key_revoke
from aduan.open311.models import Open311Key, Open311Request


class KeyAddForm(forms.ModelForm):
    class Meta:
        model = Open311Key
        fields = ("name",)

    def clean_name(self):
        name = self.cleaned_data["name"].strip()
        if Open311Key.objects.filter(name=name, revoked_at__isnull=True).exists():
            raise forms.ValidationError(
                _("Sudah ada kunci aktif dengan nama ini; cabut dulu kunci itu.")
            )
        return name


@admin.register(Open311Key)
class Open311KeyAdmin(admin.ModelAdmin):
    list_display = ("name", "prefix", "created_at", "last_used_at", "revoked_at")
    list_filter = (("revoked_at", admin.EmptyFieldListFilter),)
    search_fields = ("name", "prefix")
    actions = ["revoke"]
    readonly_fields = ("prefix", "created_at", "last_used_at", "revoked_at")

    def get_form(self, request, obj=None, change=False, **kwargs):
        if obj is None:
            kwargs["form"] = KeyAddForm
        return super().get_form(request, obj, change=change, **kwargs)

    def get_fields(self, request, obj=None):
        return ("name",) if obj is None else ("name", *self.readonly_fields)

    def get_readonly_fields(self, request, obj=None):
        return () if obj is None else ("name", *self.readonly_fields)

    def has_delete_permission(self, request, obj=None):
        return False  # a key that sent complaints stays on record; revoke it instead

    def save_model(self, request, obj, form, change):
        if change:
            return
        try:
            key, secret = key_create(name=form.cleaned_data["name"], actor=request.user)
        except KeyProblem as problem:
            self.message_user(request, str(problem), messages.ERROR)
            return
        obj.pk, obj.prefix, obj.created_at = key.pk, key.prefix, key.created_at
        obj.key_hash = key.key_hash
        obj._state.adding = False
        self.message_user(
            request,
            _(
                "Kunci API Open311 “%(name)s”: %(secret)s — salin sekarang, kunci ini tidak "
                "akan ditampilkan lagi."
            )
            % {"name": key.name, "secret": secret},
            messages.WARNING,
        )

    @admin.action(description="Cabut kunci yang dipilih")
    def revoke(self, request, queryset):
        done = sum(key_revoke(key=key, actor=request.user) for key in queryset)
        self.message_user(request, _("%(count)s kunci dicabut.") % {"count": done})


@admin.register(Open311Request)
class Open311RequestAdmin(admin.ModelAdmin):
    list_display = ("complaint", "key", "description_public", "created_at")
    list_select_related = ("complaint", "key")
    readonly_fields = ("complaint", "key", "description_public", "media_url", "created_at")

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
