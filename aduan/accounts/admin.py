"""Officials, their roles and appointments (Plt./Plh.), and units.

Every grant added, changed or removed here goes through accounts.services, which records it
in the audit log with the administrator as the actor.
"""

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin
from django.forms.models import BaseInlineFormSet
from django.utils.translation import gettext_lazy as _

from aduan.accounts.lockout import login_lockout_lift
from aduan.accounts.models import LoginLockout, RoleGrant, TotpDevice, Unit, User
from aduan.accounts.selectors import office_today
from aduan.accounts.services import role_grant_delete, role_grant_save
from aduan.accounts.twofactor import totp_disable
from aduan.accounts.views import admin_login

GRANT_FIELDS = ("role", "unit", "kind", "starts_on", "ends_on", "note")


class RoleGrantFormSet(BaseInlineFormSet):
    def clean(self):
        """One definitive grant of a role per person, also among rows added together."""
        super().clean()
        seen = set()
        for form in self.forms:
            data = getattr(form, "cleaned_data", None)
            if not data or data.get("DELETE") or data.get("kind") != RoleGrant.Kind.DEFINITIVE:
                continue
            if data.get("role") in seen:
                form.add_error("role", _("Peran ini sudah diberikan secara definitif di atas."))
            seen.add(data.get("role"))


class RoleGrantInline(admin.TabularInline):
    model = RoleGrant
    formset = RoleGrantFormSet
    fields = GRANT_FIELDS
    extra = 0


def _delete_grants(grants, actor) -> None:
    for grant in grants:
        role_grant_delete(grant=grant, actor=actor)


@admin.register(User)
class OfficialAdmin(UserAdmin):
    inlines = [RoleGrantInline]
    fieldsets = UserAdmin.fieldsets + (("Jabatan", {"fields": ("nip", "position")}),)
    list_display = ("username", "first_name", "last_name", "position", "is_active")

    def save_formset(self, request, form, formset, change):
        if formset.model is not RoleGrant:
            return super().save_formset(request, form, formset, change)
        grants = formset.save(commit=False)
        _delete_grants(formset.deleted_objects, request.user)
        for grant in grants:
            role_grant_save(grant=grant, actor=request.user)
        formset.save_m2m()

    def delete_model(self, request, obj):
        _delete_grants(obj.role_grants.select_related("user"), request.user)
        super().delete_model(request, obj)

    def delete_queryset(self, request, queryset):
        _delete_grants(
            RoleGrant.objects.filter(user__in=queryset).select_related("user"), request.user
        )
        super().delete_queryset(request, queryset)


class InForceFilter(admin.SimpleListFilter):
    title = _("masa berlaku")
    parameter_name = "berlaku"

    def lookups(self, request, model_admin):
        return [
            ("kini", _("Berlaku hari ini")),
            ("nanti", _("Belum mulai")),
            ("lewat", _("Sudah berakhir")),
        ]

    def queryset(self, request, queryset):
        today = office_today()
        if self.value() == "kini":
            return queryset.filter(RoleGrant.in_force_q(today))
        if self.value() == "nanti":
            return queryset.filter(starts_on__gt=today)
        if self.value() == "lewat":
            return queryset.filter(ends_on__lt=today)
        return queryset


@admin.register(RoleGrant)
class RoleGrantAdmin(admin.ModelAdmin):
    """Who holds which role, and who acts for which role until when."""

    fields = ("user", *GRANT_FIELDS)
    list_display = ("user", "role", "kind", "starts_on", "ends_on", "in_force", "unit", "note")
    list_filter = ("kind", InForceFilter, "role")
    list_select_related = ("user", "unit")
    search_fields = ("user__username", "user__first_name", "user__last_name", "role", "note")
    ordering = ("role", "kind", "-starts_on", "user__username")

    @admin.display(boolean=True, description=_("berlaku hari ini"))
    def in_force(self, obj: RoleGrant) -> bool:
        return obj.is_in_force(office_today())

    def save_model(self, request, obj, form, change):
        role_grant_save(grant=obj, actor=request.user)

    def delete_model(self, request, obj):
        role_grant_delete(grant=obj, actor=request.user)

    def delete_queryset(self, request, queryset):
        _delete_grants(queryset.select_related("user"), request.user)


@admin.register(Unit)
class UnitAdmin(admin.ModelAdmin):
    list_display = ("name", "code")
    prepopulated_fields = {"code": ("name",)}


# Administrators sign in through the officials' sign-in page (lockout, second factor).
admin.site.login = admin_login


@admin.register(TotpDevice)
class TotpDeviceAdmin(admin.ModelAdmin):
    """Who has an authenticator. Deleting one (a lost phone) lets the official sign in with
    the password alone, or, for an administrator, enrol a new one: audited."""

    list_display = ("user", "created_at")
    search_fields = ("user__username", "user__first_name", "user__last_name")
    fields = ("user", "created_at")
    readonly_fields = ("user", "created_at")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def delete_model(self, request, obj):
        totp_disable(user=obj.user, actor=request.user)

    def delete_queryset(self, request, queryset):
        for device in queryset.select_related("user"):
            totp_disable(user=device.user, actor=request.user)


@admin.register(LoginLockout)
class LoginLockoutAdmin(admin.ModelAdmin):
    """Sign-in pauses in force or recent; deleting one lifts it at once (audited)."""

    list_display = ("username", "address", "until", "created_at")
    search_fields = ("username", "address")
    readonly_fields = ("username", "address", "until", "created_at")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def delete_model(self, request, obj):
        login_lockout_lift(lockout=obj, actor=request.user)

    def delete_queryset(self, request, queryset):
        for lockout in queryset:
            login_lockout_lift(lockout=lockout, actor=request.user)
