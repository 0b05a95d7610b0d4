"""Due and reminder times for the steps open before the SLA clock existed, and the legal
deadlines of the complaints open then, computed with the office's stored calendar."""

from django.db import migrations


def backfill(apps, schema_editor):
    from aduan.sla.calendar import calendar_from_configuration
    from aduan.sla.deadlines import complaint_deadlines
    from aduan.sla.due import step_due_times
    from aduan.sop.definition import parse_definition
    from django.conf import settings

    Complaint = apps.get_model("complaints", "Complaint")
    ComplaintStep = apps.get_model("complaints", "ComplaintStep")
    SopVersion = apps.get_model("sop", "SopVersion")
    OfficeHours = apps.get_model("sla", "OfficeHours")
    DayOverride = apps.get_model("sla", "DayOverride")

    open_steps = ComplaintStep.objects.filter(decided_at__isnull=True, due_at__isnull=True)
    open_complaints = Complaint.objects.filter(status="open", verify_due_at__isnull=True)
    if not open_steps.exists() and not open_complaints.exists():
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
    for step in open_steps.select_related("complaint").iterator(chunk_size=1000):
        definition = definitions[step.complaint.sop_version_id]
        if not definition.has_step(step.step):
            continue
        due = step_due_times(
            started_at=step.started_at,
            minutes=definition.step(step.step).minutes,
            calendar=calendar,
        )
        ComplaintStep.objects.filter(pk=step.pk).update(**due)
    for complaint in open_complaints.iterator(chunk_size=1000):
        deadlines = complaint_deadlines(
            received_at=complaint.received_at,
            definition=definitions[complaint.sop_version_id],
            calendar=calendar,
        )
        Complaint.objects.filter(pk=complaint.pk).update(**deadlines)


class Migration(migrations.Migration):
    dependencies = [
        ("complaints", "0006_sla_clock"),
        ("sla", "0002_default_office_hours"),
        ("sop", "0001_initial"),
    ]

    operations = [migrations.RunPython(backfill, migrations.RunPython.noop)]
