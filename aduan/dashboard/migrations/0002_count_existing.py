"""The running counts of everything that happened before the dashboard existed."""

from django.db import migrations


def count(apps, schema_editor):
    from aduan.dashboard.tallies import tallies_rebuild

    tallies_rebuild(apps)


class Migration(migrations.Migration):
    dependencies = [
        ("dashboard", "0001_initial"),
        ("complaints", "0012_backfill_dashboard_measures"),
    ]

    operations = [migrations.RunPython(count, migrations.RunPython.noop)]
