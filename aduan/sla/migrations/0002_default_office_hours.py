"""The office's default hours (the same as aduan.sla.calendar.DEFAULT_HOURS, written out
here so that this migration stays as it was): Monday–Thursday 07:30–16:00 with a break
12:00–13:00, Friday 07:30–16:30 with a break 11:30–13:00, Saturday and Sunday closed.

An admin edits them afterwards; this runs once, on a new database.
"""

import datetime

from django.db import migrations

MON_THU = ("07:30", "16:00", "12:00", "13:00")
FRIDAY = ("07:30", "16:30", "11:30", "13:00")
DEFAULT_HOURS = {0: MON_THU, 1: MON_THU, 2: MON_THU, 3: MON_THU, 4: FRIDAY, 5: None, 6: None}


def add_office_hours(apps, schema_editor):
    OfficeHours = apps.get_model("sla", "OfficeHours")
    for weekday, hours in DEFAULT_HOURS.items():
        if hours is None:
            defaults = {"is_open": False}
        else:
            opens, closes, break_start, break_end = map(datetime.time.fromisoformat, hours)
            defaults = {
                "is_open": True,
                "opens_at": opens,
                "closes_at": closes,
                "break_start": break_start,
                "break_end": break_end,
            }
        OfficeHours.objects.get_or_create(weekday=weekday, defaults=defaults)


class Migration(migrations.Migration):
    dependencies = [("sla", "0001_initial")]
    operations = [migrations.RunPython(add_office_hours, migrations.RunPython.noop)]
