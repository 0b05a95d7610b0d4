from django.contrib import admin
from django.contrib.auth.admin import UserAdmin

from aduan.accounts.models import RoleGrant, Unit, User


class RoleGrantInline(admin.TabularInline):
    model = RoleGrant
    extra = 0


@admin.register(User)
class OfficialAdmin(UserAdmin):
    inlines = [RoleGrantInline]
    fieldsets = UserAdmin.fieldsets + (("Jabatan", {"fields": ("nip", "position")}),)
    list_display = ("username", "first_name", "last_name", "position", "is_active")


@admin.register(Unit)
class UnitAdmin(admin.ModelAdmin):
    list_display = ("name", "code")
    prepopulated_fields = {"code": ("name",)}
