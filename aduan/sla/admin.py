"""Admin pages for the working calendar; every change goes through aduan.sla.services,
which records it in the audit log with the admin as the actor."""

from django import forms
from django.contrib import admin
from django.db import models
from django.utils import timezone

from aduan.sla import services
from aduan.sla.calendar import national_holidays
from aduan.sla.models import DayOverride, OfficeHours


@admin.register(OfficeHours)
class OfficeHoursAdmin(admin.ModelAdmin):
    """Seven rows, one per weekday: changed here, never added or deleted."""

    list_display = (
        "weekday",
        "is_open",
        "opens_at",
        "break_start",
        "break_end",
        "closes_at",
        "working_minutes",
    )
    fields = ("weekday", "is_open", "opens_at", "closes_at", "break_start", "break_end")
    readonly_fields = ("weekday",)
    # Hours and minutes only, typed as 07:30 (no seconds, no "now" shortcut).
    formfield_overrides = {
        models.TimeField: {
            "widget": forms.TimeInput(format="%H:%M", attrs={"size": 5, "placeholder": "07:30"})
        }
    }

    @admin.display(description="menit kerja")
    def working_minutes(self, obj: OfficeHours) -> int:
        hours = obj.day_hours()
        return hours.minutes if hours else 0

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        services.office_hours_save(hours=obj, actor=request.user)


@admin.register(DayOverride)
class DayOverrideAdmin(admin.ModelAdmin):
    """The office's own days off, and national holidays or cuti bersama it works anyway."""

    list_display = ("date", "weekday", "kind", "reason", "national_holiday")
    list_filter = ("kind",)
    search_fields = ("reason",)
    date_hierarchy = "date"
    fields = ("date", "kind", "reason")

    @admin.display(description="hari")
    def weekday(self, obj: DayOverride) -> str:
        return OfficeHours.Weekday(obj.date.weekday()).label

    @admin.display(description="hari libur nasional / cuti bersama")
    def national_holiday(self, obj: DayOverride) -> str:
        return obj.national_holiday or "-"

    def save_model(self, request, obj, form, change):
        services.day_override_save(override=obj, actor=request.user)

    def delete_model(self, request, obj):
        services.day_override_delete(override=obj, actor=request.user)

    def delete_queryset(self, request, queryset):
        for override in queryset:
            services.day_override_delete(override=override, actor=request.user)

    def changelist_view(self, request, extra_context=None):
        """Beside the list: this year's and next year's holidays from the `holidays` package,
        and whether the office takes each one."""
        this_year = timezone.localdate().year
        worked = set(
            DayOverride.objects.filter(
                kind=DayOverride.Kind.WORKED,
                date__year__in=(this_year, this_year + 1),
            ).values_list("date", flat=True)
        )
        rows = [
            {
                "date": day,
                "weekday": OfficeHours.Weekday(day.weekday()).label,
                "name": name,
                "worked": day in worked,
            }
            for year in (this_year, this_year + 1)
            for day, name in sorted(national_holidays(year).items())
        ]
        extra_context = {**(extra_context or {}), "national_holidays": rows}
        return super().changelist_view(request, extra_context=extra_context)
