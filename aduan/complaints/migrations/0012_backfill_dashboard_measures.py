"""The dashboard's stored measures for the steps decided and the complaints answered before
they were stored: each step's working minutes and whether they were within its standard,
each answered complaint's end-to-end minutes and month, by the office's stored calendar
(as the engine stores them now)."""

from django.db import migrations


def backfill(apps, schema_editor):
    from django.conf import settings
    from django.utils import timezone

    from aduan.sla.calendar import calendar_from_configuration
    from aduan.sop.definition import parse_definition

    Complaint = apps.get_model("complaints", "Complaint")
    ComplaintStep = apps.get_model("complaints", "ComplaintStep")
    SopVersion = apps.get_model("sop", "SopVersion")
    OfficeHours = apps.get_model("sla", "OfficeHours")
    DayOverride = apps.get_model("sla", "DayOverride")

    steps = ComplaintStep.objects.filter(
        decided_at__isnull=False, working_minutes__isnull=True
    ).exclude(decision="withdrawn")
    answered = Complaint.objects.filter(status="answered", answer_minutes__isnull=True)
    if not steps.exists() and not answered.exists():
        return
    calendar = calendar_from_configuration(
        (
            tuple(
                OfficeHours.objects.order_by("weekday").values_list(
                    "weekday", "is_open", "opens_at", "closes_at", "break_start", "break_end"
                )
            ),
            tuple(DayOverride.objects.order_by("date").values_list("date", "kind")),
            settings.TIME_ZONE,
        )
    )
    definitions = {
        v.pk: parse_definition(v.source_text, source=v.source_name)
        for v in SopVersion.objects.all()
    }
    rows = steps.values_list("pk", "step", "started_at", "decided_at", "complaint__sop_version_id")
    for pk, step, started_at, decided_at, version_id in rows.iterator(chunk_size=2000):
        minutes = calendar.working_minutes_between(started_at, decided_at)
        definition = definitions[version_id]
        within = minutes <= definition.step(step).minutes if definition.has_step(step) else None
        ComplaintStep.objects.filter(pk=pk).update(working_minutes=minutes, within_standard=within)
    zone = timezone.get_default_timezone()
    for pk, received_at, closed_at in answered.values_list(
        "pk", "received_at", "closed_at"
    ).iterator(chunk_size=2000):
        if closed_at is None:
            continue
        Complaint.objects.filter(pk=pk).update(
            answer_minutes=calendar.working_minutes_between(received_at, closed_at),
            answered_month=timezone.localtime(closed_at, zone).date().replace(day=1),
        )


class Migration(migrations.Migration):
    dependencies = [
        ("complaints", "0011_dashboard_measures"),
        ("sla", "0002_default_office_hours"),
        ("sop", "0001_initial"),
    ]

    operations = [migrations.RunPython(backfill, migrations.RunPython.noop)]
