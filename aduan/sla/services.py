"""Changes to the working calendar; each one is written to the audit log in its transaction.

The admin (aduan.sla.admin) calls these; `calendar_for_today()` sees a change on its next
call, in every process, because it compares the stored configuration with its cache.
"""

from django.db import transaction

from aduan.audit.services import audit_record
from aduan.sla.models import DayOverride, OfficeHours

HOURS_FIELDS = ("is_open", "opens_at", "closes_at", "break_start", "break_end")
OVERRIDE_FIELDS = ("date", "kind", "reason")


def _snapshot(instance, fields) -> dict:
    if instance is None:
        return {}
    return {name: getattr(instance, name) for name in fields}


@transaction.atomic
def office_hours_save(*, hours: OfficeHours, actor) -> OfficeHours:
    """Store a weekday's changed hours (validated) and record before and after."""
    hours.full_clean()
    stored = OfficeHours.objects.select_for_update().filter(pk=hours.pk).first()
    before = _snapshot(stored, HOURS_FIELDS)
    hours.save()
    audit_record(
        action="calendar.hours_changed",
        actor=actor,
        target=hours,
        data={
            "weekday": hours.weekday,
            "before": before,
            "after": _snapshot(hours, HOURS_FIELDS),
        },
    )
    return hours


@transaction.atomic
def day_override_save(*, override: DayOverride, actor) -> DayOverride:
    """Add or change the office's decision about a date (validated) and record it."""
    override.full_clean()
    stored = None
    if override.pk is not None:
        stored = DayOverride.objects.select_for_update().filter(pk=override.pk).first()
    override.save()
    audit_record(
        action="calendar.day_added" if stored is None else "calendar.day_changed",
        actor=actor,
        target=override,
        data={
            "before": _snapshot(stored, OVERRIDE_FIELDS),
            "after": _snapshot(override, OVERRIDE_FIELDS),
        },
    )
    return override


@transaction.atomic
def day_override_delete(*, override: DayOverride, actor) -> None:
    """Remove the office's decision about a date: the date follows the calendar again."""
    audit_record(
        action="calendar.day_removed",
        actor=actor,
        target=override,
        data={"before": _snapshot(override, OVERRIDE_FIELDS)},
    )
    override.delete()
